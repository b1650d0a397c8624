from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.measures.engine.scoring import Answer
from carecommons.measures.models import Invitation, SafeguardingAlert
from carecommons.measures.running import safeguarding, services
from carecommons.measures.tests.factories import PHQ9_CALM, PHQ9_RISK, invite, make_wave
from carecommons.people.services import create_person
from carecommons.programmes.models import Cohort
from carecommons.programmes.tests.factories import make_cohort, person_of

pytestmark = pytest.mark.django_db

CORE10_RISK = [2, 2, 2, 2, 2, 1, 2, 2, 2, 2]  # item 6 answered "Only occasionally"
CORE10_CALM = [0, 4, 4, 0, 0, 0, 0, 0, 0, 0]


def set_with_two_risk_questionnaires(facilitator: User, organiser: User) -> Cohort:
    cohort = make_cohort(facilitator=facilitator)
    make_wave(cohort.programme, instruments=["phq9", "core10"])
    services.set_safeguarding_leads(programme=cohort.programme, people=[person_of(organiser)], by=None)
    return cohort


def send(invitation: Invitation, instrument: str, answers: Sequence[Answer], capture: Any) -> None:
    with capture(execute=True):
        services.save_answers(
            invitation=invitation, instrument_id=instrument, answers=answers, send=True, by=None
        )


def someone_else(cohort: Cohort, given_name: str) -> Invitation:
    person = create_person(
        by=None, given_name=given_name, family_name="Example", email=f"{given_name}@example.org"
    )
    return invite(person, cohort=cohort)


def test_two_risk_answers_in_one_set_raise_one_alert_naming_both_and_as_many_emails_as_one_risk_answer(
    participant: User,
    facilitator: User,
    organiser: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    cohort = set_with_two_risk_questionnaires(facilitator, organiser)
    one = someone_else(cohort, "Una")
    send(one, "phq9", PHQ9_RISK, django_capture_on_commit_callbacks)
    send(one, "core10", CORE10_CALM, django_capture_on_commit_callbacks)
    emails_for_one_risk_answer = len(mail.outbox)
    assert emails_for_one_risk_answer == 2  # the lead and the facilitator
    mail.outbox.clear()

    both = invite(participant, cohort=cohort)
    send(both, "phq9", PHQ9_RISK, django_capture_on_commit_callbacks)
    send(both, "core10", CORE10_RISK, django_capture_on_commit_callbacks)

    alert = SafeguardingAlert.objects.get(invitation=both)
    assert alert.flags == ["phq9_item9", "core10_item6"]
    assert SafeguardingAlert.objects.count() == 2  # one for each person's set
    assert len(mail.outbox) == emails_for_one_risk_answer
    page = client_for(facilitator).get(reverse("measures:alert_detail", args=[alert.uuid])).content.decode()
    assert "PHQ-9 question 9" in page and "CORE-10 question 6" in page


def test_closing_the_alert_leaves_no_risk_answer_of_the_set_open(
    participant: User, facilitator: User, organiser: User, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = set_with_two_risk_questionnaires(facilitator, organiser)
    invitation = invite(participant, cohort=cohort)
    send(invitation, "phq9", PHQ9_RISK, django_capture_on_commit_callbacks)
    send(invitation, "core10", CORE10_RISK, django_capture_on_commit_callbacks)
    alert = SafeguardingAlert.objects.get()
    reached = alert.raised_at + timedelta(hours=1)
    safeguarding.log_follow_up(
        alert=alert,
        by=organiser,
        contacted_at=reached,
        method="phone",
        note="Spoke; they have a friend with them tonight.",
        closes_alert=True,
        now=reached,
    )
    assert not SafeguardingAlert.objects.open().exists()


def test_saving_and_sending_again_raises_no_second_alert_and_no_second_email(
    participant: User, facilitator: User, organiser: User, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = set_with_two_risk_questionnaires(facilitator, organiser)
    invitation = invite(participant, cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):  # a double click on "save for later"
            services.save_answers(
                invitation=invitation, instrument_id="phq9", answers=PHQ9_RISK, send=False, by=None
            )
    send(invitation, "phq9", PHQ9_RISK, django_capture_on_commit_callbacks)
    with pytest.raises(services.AlreadySent):
        send(invitation, "phq9", PHQ9_RISK, django_capture_on_commit_callbacks)
    send(invitation, "core10", CORE10_RISK, django_capture_on_commit_callbacks)

    assert SafeguardingAlert.objects.count() == 1
    assert len(mail.outbox) == 2


def test_the_database_refuses_a_second_alert_for_one_set(
    participant: User, facilitator: User, organiser: User, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = set_with_two_risk_questionnaires(facilitator, organiser)
    invitation = invite(participant, cohort=cohort)
    send(invitation, "phq9", PHQ9_RISK, django_capture_on_commit_callbacks)
    first = SafeguardingAlert.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SafeguardingAlert.objects.create(
            invitation=invitation,
            person=first.person,
            cohort=first.cohort,
            flags=["core10_item6"],
            raised_at=first.raised_at,
            due_at=first.due_at,
        )


def test_a_risk_answer_after_the_alert_was_closed_reopens_it_and_tells_the_leads_again(
    participant: User, facilitator: User, organiser: User, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = set_with_two_risk_questionnaires(facilitator, organiser)
    invitation = invite(participant, cohort=cohort)
    send(invitation, "phq9", PHQ9_RISK, django_capture_on_commit_callbacks)
    alert = SafeguardingAlert.objects.get()
    reached = alert.raised_at + timedelta(minutes=30)
    safeguarding.log_follow_up(
        alert=alert,
        by=organiser,
        contacted_at=reached,
        method="phone",
        note="Spoke; they are safe and have support.",
        closes_alert=True,
        now=reached,
    )
    mail.outbox.clear()
    send(invitation, "core10", CORE10_RISK, django_capture_on_commit_callbacks)

    alert.refresh_from_db()
    assert alert.closed_at is None and alert.flags == ["phq9_item9", "core10_item6"]
    assert len(mail.outbox) == 2


def test_a_set_with_no_risk_answer_raises_no_alert(
    participant: User, facilitator: User, organiser: User, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = set_with_two_risk_questionnaires(facilitator, organiser)
    invitation = invite(participant, cohort=cohort)
    send(invitation, "phq9", PHQ9_CALM, django_capture_on_commit_callbacks)
    send(invitation, "core10", CORE10_CALM, django_capture_on_commit_callbacks)
    assert not SafeguardingAlert.objects.exists() and mail.outbox == []
