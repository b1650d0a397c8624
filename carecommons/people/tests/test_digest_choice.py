"""A person chooses the daily digest or none, on their own choices page (issue 13 point 6)."""

from django.urls import reverse

from carecommons.audit.models import AuditEvent
from carecommons.people.digests import digest_daily
from carecommons.people.models import DigestChoice
from carecommons.people.own_data import collect


def test_no_row_means_daily_and_choosing_none_is_kept_and_audited(participant, client_for) -> None:
    person = participant.person
    assert digest_daily(person) is True
    client = client_for(participant)
    url = reverse("people:own_consent", args=[person.uuid])
    assert "Daily digest" in client.get(url).content.decode()
    client.post(url, {"digest": "none"})
    assert digest_daily(person) is False
    assert AuditEvent.objects.filter(action="person.digest_choice_changed", actor=participant).count() == 1
    client.post(url, {"digest": "none"})  # the same again changes nothing and is not a new event
    assert AuditEvent.objects.filter(action="person.digest_choice_changed").count() == 1
    client.post(url, {"digest": "daily"})
    assert digest_daily(person) is True
    assert DigestChoice.objects.filter(person=person).count() == 1


def test_leaving_the_digest_unanswered_keeps_the_choice(participant, client_for) -> None:
    person = participant.person
    client = client_for(participant)
    url = reverse("people:own_consent", args=[person.uuid])
    client.post(url, {"digest": "none"})
    client.post(url, {})
    assert digest_daily(person) is False


def test_the_choice_is_in_the_persons_own_data(participant, client_for) -> None:
    person = participant.person
    client_for(participant).post(reverse("people:own_consent", args=[person.uuid]), {"digest": "none"})
    assert collect(person).section("digests").rows[0]["daily_digest"] == "no"
