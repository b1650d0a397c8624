"""Who is on a trial's lists, as each audience may see them: convenors by name, the evaluation
team by research pseudonym, arms as A and B while the evaluator is blinded. A fixed number of
queries whatever the number of people."""

from dataclasses import dataclass

from django.db.models import Prefetch

from carecommons.measures.reporting.export import Pseudonyms, research_key
from carecommons.programmes.models import Cohort
from carecommons.trials.access import TrialAccess
from carecommons.trials.models import Allocation, AllocationUnit, TrialArm, TrialParticipant


@dataclass(frozen=True)
class ParticipantRow:
    participant: TrialParticipant
    shown_as: str
    cohort: str
    arm: str


@dataclass(frozen=True)
class CohortToAllocate:
    cohort: Cohort
    screened: int
    arm: TrialArm | None


def arm_shown(access: TrialAccess, arm: TrialArm | None) -> str:
    if arm is None:
        return ""
    return f"Arm {arm.blind_label}" if access.blinded else arm.name


def participant_rows(access: TrialAccess, list_name: str) -> list[ParticipantRow]:
    trial = access.trial
    participants = trial.participants.on_list(list_name).select_related("person", "cohort", "allocation__arm")
    cohort_arms = {
        allocation.cohort_id: allocation.arm
        for allocation in Allocation.objects.filter(
            trial=trial, list_name=list_name, cohort__isnull=False
        ).select_related("arm")
    }
    pseudonyms = Pseudonyms(research_key())
    rows = []
    for participant in participants:
        if trial.unit == AllocationUnit.COHORT:
            arm = cohort_arms.get(participant.cohort_id) if participant.screening == "eligible" else None
        else:
            allocation = getattr(participant, "allocation", None)
            arm = allocation.arm if allocation is not None else None
        person = participant.person
        if person is None:
            shown = "Erased"
        elif access.sees_names:
            shown = str(person)
        else:
            shown = pseudonyms.of(person.uuid)
        cohort = (
            participant.cohort.name if access.sees_names else pseudonyms.of(participant.cohort.uuid, "cohort")
        )
        rows.append(ParticipantRow(participant, shown, cohort, arm_shown(access, arm)))
    return rows


def cohorts_to_allocate(access: TrialAccess) -> list[CohortToAllocate]:
    """For a cluster trial: the cohorts with someone screened on the current list, and their arm."""
    trial = access.trial
    if trial.unit != AllocationUnit.COHORT:
        return []
    list_name = trial.current_list
    allocations = Allocation.objects.filter(
        trial=trial, list_name=list_name, cohort__isnull=False
    ).select_related("arm")
    arms = {a.cohort_id: a.arm for a in allocations}
    screened = (
        Cohort.objects.filter(trial_participants__trial=trial, trial_participants__list_name=list_name)
        .distinct()
        .prefetch_related(
            Prefetch(
                "trial_participants",
                queryset=TrialParticipant.objects.filter(trial=trial, list_name=list_name),
                to_attr="screened_here",
            )
        )
        .order_by("starts_on", "id")
    )
    return [CohortToAllocate(c, len(c.screened_here), arms.get(c.pk)) for c in screened]
