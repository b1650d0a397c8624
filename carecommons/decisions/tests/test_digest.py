"""The daily digest of decisions (issue 13 point 6): at most one email per person per day, sent by
the worker, only with consent to be contacted, only for a decision opening, closing within a day,
or its outcome; each person chooses daily or none."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from carecommons.decisions import services
from carecommons.decisions.digest import note_closing_soon
from carecommons.decisions.models import DecisionNotice, NoticeKind
from carecommons.decisions.tests.factories import group_with, make_member, open_one, user_of
from carecommons.groups.models import GroupMembership
from carecommons.groups.services import leave_group
from carecommons.people import services as people
from carecommons.people.digests import queue_digests, send_digest, set_digest_choice
from carecommons.people.models import DigestSent, Person

pytestmark = pytest.mark.django_db


def consents(*persons: Person) -> None:
    wording = people.publish_wording(purpose="contact", text="You may email me", by=None)
    for person in persons:
        people.record_consent(
            person=person, purpose="contact", given=True, method="online", wording=wording, by=None
        )


def mail_to(person: Person) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [person.mail_address]]


@pytest.fixture
def cast() -> dict[str, Person]:
    names = ["Amira", "Bea", "Cal", "Dev"]
    persons = {n: make_member(n) for n in names}
    consents(*persons.values())
    return persons


def test_an_opened_decision_reaches_every_other_member_in_one_digest_sent_by_the_worker(
    cast: dict[str, Person],
) -> None:
    group = group_with(list(cast.values()))
    decision = open_one(group, cast["Amira"])
    open_one(group, cast["Amira"], "sense_check")
    assert queue_digests(timezone.now()) == 3  # Bea, Cal and Dev; the immediate worker sends them now
    assert mail_to(cast["Amira"]) == []
    for name in ("Bea", "Cal", "Dev"):
        [message] = mail_to(cast[name])
        assert "2 items" in message.subject
        assert decision.title in message.body and group.name in message.body
        assert f"/groups/{group.uuid}/decisions/{decision.uuid}/" in message.body
        assert "Amira" not in message.body  # says what opened, not who
    assert set(DecisionNotice.objects.values_list("taken_on", flat=True)) == {timezone.localdate()}


def test_at_most_one_digest_a_day_and_later_news_waits_for_tomorrow(cast: dict[str, Person]) -> None:
    group = group_with(list(cast.values()))
    open_one(group, cast["Amira"])
    bea, today = cast["Bea"], timezone.localdate()
    assert send_digest(bea.pk, today) == 1
    assert send_digest(bea.pk, today) == 0  # a retry, or a second run the same day
    open_one(group, cast["Cal"], "sense_check")
    assert send_digest(bea.pk, today) == 0
    assert len(mail_to(bea)) == 1
    assert DecisionNotice.objects.filter(person=bea, taken_on__isnull=True).count() == 1
    assert send_digest(bea.pk, today + timedelta(days=1)) == 1
    assert len(mail_to(bea)) == 2 and DigestSent.objects.filter(person=bea).count() == 2


def test_no_consent_or_no_digest_means_no_email_and_no_stale_news_later(cast: dict[str, Person]) -> None:
    quiet = make_member("Eli")  # never asked to be contacted
    group = group_with([*cast.values(), quiet])
    set_digest_choice(person=cast["Bea"], daily=False, by=None)
    open_one(group, cast["Amira"])
    queue_digests(timezone.now())
    assert mail_to(quiet) == [] and mail_to(cast["Bea"]) == []
    assert len(mail_to(cast["Cal"])) == 1
    # their news was taken and dropped: saying yes later does not bring a stale digest
    consents(quiet)
    set_digest_choice(person=cast["Bea"], daily=True, by=None)
    assert send_digest(quiet.pk, timezone.localdate() + timedelta(days=1)) == 0
    assert send_digest(cast["Bea"].pk, timezone.localdate() + timedelta(days=1)) == 0


def test_closing_soon_is_news_only_for_members_who_have_not_voted(cast: dict[str, Person]) -> None:
    group = group_with(list(cast.values()))
    soon = open_one(group, cast["Amira"], closes_in=timedelta(hours=20))
    later = open_one(group, cast["Amira"], closes_in=timedelta(days=3))
    services.cast_vote(decision=soon, person=cast["Bea"], by=user_of(cast["Bea"]), choices=["agree"])
    assert note_closing_soon(timezone.now()) == 3  # Amira (the proposer may vote too), Cal, Dev
    assert note_closing_soon(timezone.now()) == 0  # once only
    closing = DecisionNotice.objects.filter(kind=NoticeKind.CLOSING_SOON)
    assert set(closing.values_list("decision", flat=True)) == {soon.pk}
    assert not closing.filter(person=cast["Bea"]).exists()
    assert later.pk not in set(closing.values_list("decision", flat=True))
    queue_digests(timezone.now())
    [to_cal] = mail_to(cast["Cal"])
    assert "you have not voted yet" in to_cal.body


def test_an_outcome_is_news_for_every_member_and_a_member_who_left_hears_nothing(
    cast: dict[str, Person],
) -> None:
    group = group_with(list(cast.values()))
    decision = open_one(group, cast["Amira"])
    DecisionNotice.objects.update(taken_on=timezone.localdate())  # yesterday's digest took the opening
    services.close_decision(decision=decision, by=user_of(cast["Amira"]))
    assert DecisionNotice.objects.filter(kind=NoticeKind.OUTCOME).count() == 4
    leave_group(membership=GroupMembership.objects.get(group=group, person=cast["Dev"]), by=None)
    queue_digests(timezone.now())
    assert "Decided:" in mail_to(cast["Amira"])[0].body
    assert mail_to(cast["Dev"]) == []


def test_anonymous_decisions_make_the_same_news_and_name_no_ballot(cast: dict[str, Person]) -> None:
    group = group_with(list(cast.values()))
    decision = open_one(group, cast["Amira"], anonymous=True)
    services.cast_vote(decision=decision, person=cast["Bea"], by=user_of(cast["Bea"]), choices=["disagree"])
    queue_digests(timezone.now())
    body = mail_to(cast["Cal"])[0].body
    assert decision.title in body and "disagree" not in body.lower()
