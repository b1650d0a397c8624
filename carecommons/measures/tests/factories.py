"""Measures fixtures, made through the real services."""

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.measures.access import invitation_token
from carecommons.measures.engine.scoring import Answer
from carecommons.measures.models import Invitation, Response, Wave
from carecommons.measures.running import services
from carecommons.people.models import ConsentPurpose, Person
from carecommons.people.services import current_wording, publish_wording, record_consent
from carecommons.programmes.models import Cohort, Programme
from carecommons.programmes.tests.factories import enrol, make_cohort, person_of

PHQ9_CALM = [0, 1, 0, 0, 1, 0, 0, 0, 0, 0]
PHQ9_RISK = [2, 2, 1, 2, 1, 2, 1, 1, 1, 1]  # item 9 answered "Several days"
GAD7_CALM = [1, 0, 0, 1, 0, 0, 0]


def make_wave(
    programme: Programme,
    kind: str = "baseline",
    instruments: Sequence[str] = ("phq9", "gad7"),
    *,
    weeks_after_end: int = 0,
) -> Wave:
    return services.save_wave(
        programme=programme,
        by=None,
        kind=kind,
        instruments=list(instruments),
        weeks_after_end=weeks_after_end,
    )


def invite(
    who: User | Person,
    *,
    cohort: Cohort | None = None,
    wave: Wave | None = None,
    facilitator: User | None = None,
) -> Invitation:
    """An invitation open now for a participant enrolled (accepted) in the cohort."""
    person = who if isinstance(who, Person) else person_of(who)
    cohort = cohort or make_cohort(facilitator=facilitator)
    if not cohort.enrolments.filter(person=person).exists():
        enrol(cohort, person)
    wave = wave or Wave.objects.filter(programme=cohort.programme).first() or make_wave(cohort.programme)
    return services.invite_now(wave=wave, cohort=cohort, person=person, by=None)


def link(invitation: Invitation) -> str:
    return f"/measures/a/{invitation.uuid}/{invitation_token(invitation)}/"


def answer(
    invitation: Invitation, instrument: str, answers: Sequence[Answer], *, send: bool = True
) -> Response:
    return services.save_answers(
        invitation=invitation, instrument_id=instrument, answers=list(answers), send=send, by=None
    ).response


def consent_to_programme(person: Person, given: bool = True) -> None:
    wording = current_wording(ConsentPurpose.PROGRAMME) or publish_wording(
        purpose=ConsentPurpose.PROGRAMME,
        text="Taking part, and sharing what you choose with facilitators.",
        by=None,
    )
    record_consent(
        person=person,
        purpose=ConsentPurpose.PROGRAMME,
        given=given,
        method="online",
        wording=wording,
        by=None,
        decided_at=timezone.now() - timedelta(seconds=1),
    )
