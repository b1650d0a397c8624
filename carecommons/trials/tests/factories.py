"""Trial fixtures, made through the real services: a programme measured at baseline, the end and 12
weeks after, people who applied to its cohort and consented to research, their baseline answers,
a trial defined by an evaluator, screening and allocation."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.measures.models import Response, Wave
from carecommons.measures.tests.factories import answer, invite, make_wave
from carecommons.people.models import ConsentMethod, ConsentPurpose, Person
from carecommons.people.services import create_person, current_wording, publish_wording, record_consent
from carecommons.programmes.models import Cohort, Programme
from carecommons.programmes.tests.factories import enrol, make_cohort, make_programme
from carecommons.trials import services
from carecommons.trials.generate import design_of, trial_waves
from carecommons.trials.models import Allocation, Trial, TrialParticipant, TrialReport
from carecommons.trials.services import Design

PLAN = {
    "sap_objectives": "Does the course lower PHQ-9 at the end of the course compared with the waiting list?",
    "sap_sample_size": "120 people give 80% power to detect 3 points (SD 6) at the 5% level.",
    "sap_primary_analysis": "ANCOVA of PHQ-9 at the end, adjusted for baseline PHQ-9 and site.",
}


def make_trial_programme(name: str = "Radical Self-Care") -> Programme:
    programme = make_programme(name, workshops=8)
    make_wave(programme, "baseline", ("phq9", "gad7"))
    make_wave(programme, "end", ("phq9", "gad7"))
    make_wave(programme, "follow_up", ("phq9", "gad7"), weeks_after_end=12)
    return programme


def wave_of(programme: Programme, kind: str) -> Wave:
    return programme.waves.get(kind=kind)


def design_for(
    programme: Programme,
    statistician: User,
    *,
    sites: Sequence[str] = ("Hackney", "Salford"),
    **changes: Any,
) -> Design:
    """The generator's design (trials/generate.py), with any field changed."""
    design = design_of(programme, trial_waves(programme), statistician, tuple(sites))
    return replace(design, **changes)


def make_trial(
    statistician: User,
    *,
    programme: Programme | None = None,
    by: User | None = None,
    plan: Mapping[str, str] = PLAN,
    **changes: Any,
) -> Trial:
    programme = programme or make_trial_programme()
    design = design_for(programme, statistician, **changes)
    return services.create_trial(by=by or statistician, design=design, plan=plan)


def trial_cohort(trial: Trial, name: str = "Cohort 1") -> Cohort:
    return make_cohort(trial.programme, name=name, capacity=200)


def give_research_consent(person: Person, *, given: bool = True) -> None:
    wording = current_wording(ConsentPurpose.RESEARCH) or publish_wording(
        purpose=ConsentPurpose.RESEARCH, text="Your answers may be used, pseudonymised, to evaluate.", by=None
    )
    record_consent(
        person=person,
        purpose=ConsentPurpose.RESEARCH,
        given=given,
        method=ConsentMethod.ONLINE,
        wording=wording,
        by=None,
        decided_at=timezone.now() - timedelta(seconds=1),
    )


def applicant(cohort: Cohort, name: str = "Applicant") -> Person:
    person = create_person(by=None, given_name=name, family_name="Trialist")
    enrol(cohort, person)
    return person


def answer_baseline(
    trial: Trial, person: Person, cohort: Cohort, phq9: Sequence[int] | None = None
) -> Response:
    invitation = invite(person, cohort=cohort, wave=trial.baseline_wave)
    return answer(invitation, "phq9", list(phq9 or [2, 1, 2, 1, 1, 2, 1, 1, 0, 1]))


def answer_wave(person: Person, cohort: Cohort, wave: Wave, phq9_total: int) -> Response:
    """PHQ-9 answers (0 to 3 each, item 9 always 0) adding up to `phq9_total`, clipped to 0–24."""
    left = max(0, min(24, phq9_total))
    items = []
    for _ in range(8):
        item = min(3, left)
        items.append(item)
        left -= item
    items.insert(8, 0)
    items.append(1)
    return answer(invite(person, cohort=cohort, wave=wave), "phq9", items)


def screen(
    trial: Trial, by: User, person: Person, cohort: Cohort, *, eligible: bool = True, site: str = "Hackney"
) -> TrialParticipant:
    answers = {q.pk: eligible for q in trial.eligibility_questions.all()}
    levels = {f.pk: site for f in trial.factors.all()}
    return services.screen_person(
        trial=trial, by=by, person=person, cohort=cohort, answers=answers, levels=levels
    )


def ready_participant(
    trial: Trial, by: User, cohort: Cohort, *, name: str = "Applicant", site: str = "Hackney"
) -> TrialParticipant:
    """Screened eligible, consented to research and answered the baseline: allocation may follow."""
    person = applicant(cohort, name)
    participant = screen(trial, by, person, cohort, site=site)
    give_research_consent(person)
    answer_baseline(trial, person, cohort)
    return participant


def allocated(
    trial: Trial, by: User, cohort: Cohort, *, name: str = "Applicant", site: str = "Hackney"
) -> Allocation:
    return services.allocate(participant=ready_participant(trial, by, cohort, name=name, site=site), by=by)


def go_live(trial: Trial, by: User) -> Trial:
    return services.open_live_list(trial=trial, by=by)


def ready_report(trial: Trial, by: User) -> TrialReport:
    """A report asked for and built as the page does (tasks run at once in tests)."""
    return services.request_report(trial=trial, by=by)
