"""Who reaches a trial, and with what standing. Views load trial rows only through here.

- Evaluators design trials, lock the plan, build reports and read the full report; they see people
  only as research pseudonyms and, until the plan is locked, arms only as A and B.
- Convenors screen and allocate people (they must know each person's arm to run the programme),
  never the sequence ahead, and read the shared report, whose small counts are hidden.
- The trial's statistician (an evaluator named on the trial) alone sees the randomisation secret.
- Anyone else gets a 404.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from carecommons.accounts.models import Role, User
from carecommons.measures.models import WaveKind
from carecommons.programmes.models import Programme
from carecommons.trials.models import Trial, TrialParticipant, TrialReport


@dataclass(frozen=True)
class TrialAccess:
    trial: Trial
    evaluator: bool
    convenor: bool
    statistician: bool

    @property
    def blinded(self) -> bool:
        """Arms are shown as A and B to the evaluation team until the plan is locked."""
        return self.evaluator and not self.trial.sap_locked

    @property
    def sees_names(self) -> bool:
        return self.convenor

    @property
    def full_report(self) -> bool:
        return self.evaluator


def may_use_trials(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.CONVENOR, Role.EVALUATOR)


def may_design_trials(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.EVALUATOR)


def programmes_for_trials(user: User) -> QuerySet[Programme]:
    """Programmes an evaluator may define a trial on: those that measure a baseline."""
    if not may_design_trials(user):
        return Programme.objects.none()
    return Programme.objects.filter(waves__kind=WaveKind.BASELINE).distinct().order_by("name", "id")


def get_programme_for_trial(user: User, programme_uuid: UUID) -> Programme:
    try:
        return programmes_for_trials(user).get(uuid=programme_uuid)
    except Programme.DoesNotExist:
        raise Http404 from None


def trials_visible_to(user: User) -> QuerySet[Trial]:
    if not may_use_trials(user):
        return Trial.objects.none()
    return Trial.objects.select_related("programme")


def get_trial_for_user(
    user: User, trial_uuid: UUID, *, design: bool = False, enrol: bool = False, statistician: bool = False
) -> TrialAccess:
    """`design`: evaluators only; `enrol`: convenors only; `statistician`: the trial's statistician."""
    if not may_use_trials(user):
        raise Http404
    try:
        trial = trials_visible_to(user).select_related("baseline_wave", "statistician").get(uuid=trial_uuid)
    except Trial.DoesNotExist:
        raise Http404 from None
    access = TrialAccess(
        trial=trial,
        evaluator=user.has_role(Role.EVALUATOR),
        convenor=user.has_role(Role.CONVENOR),
        statistician=trial.statistician_id == user.pk,
    )
    if (design and not access.evaluator) or (enrol and not access.convenor):
        raise Http404
    if statistician and not access.statistician:
        raise Http404
    return access


def get_participant(access: TrialAccess, participant_uuid: UUID) -> TrialParticipant:
    try:
        return access.trial.participants.select_related("person", "cohort", "allocation__arm").get(
            uuid=participant_uuid
        )
    except TrialParticipant.DoesNotExist:
        raise Http404 from None


def get_report(access: TrialAccess, report_uuid: UUID) -> TrialReport:
    try:
        return access.trial.reports.get(uuid=report_uuid)
    except TrialReport.DoesNotExist:
        raise Http404 from None
