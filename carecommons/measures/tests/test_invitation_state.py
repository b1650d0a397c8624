"""An invitation's open or closed state and its last day: one rule on the model, used by the
answering pages, the staff overview, the service that saves answers, emails and the home page."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carecommons.measures.attention import waiting_items
from carecommons.measures.models import COMPLETE, EXPIRED, NOT_OPEN, WITHDRAWN, Invitation, ResponseMode
from carecommons.measures.running import services
from carecommons.measures.tests.factories import invite

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def test_the_link_state_names_why_a_link_does_not_work_in_the_order_people_need_to_hear_it(
    participant,
) -> None:
    invitation = invite(participant)
    now = timezone.now()
    assert invitation.link_state(now) is None
    assert set(Invitation.objects.usable(now)) == {invitation}
    assert invitation.link_state(invitation.opens_at - timedelta(seconds=1)) == NOT_OPEN
    assert invitation.link_state(invitation.expires_at) == EXPIRED
    invitation.completed_at = now
    assert invitation.link_state(invitation.expires_at) == COMPLETE
    invitation.revoked_at = now
    assert invitation.link_state(now) == WITHDRAWN


def test_the_usable_query_finds_exactly_the_invitations_whose_link_state_is_open(participant) -> None:
    invitation = invite(participant)
    for moment in (
        invitation.opens_at - timedelta(seconds=1),
        invitation.opens_at,
        invitation.expires_at - timedelta(seconds=1),
        invitation.expires_at,
    ):
        usable = Invitation.objects.filter(pk=invitation.pk).usable(moment).exists()
        assert usable == (invitation.link_state(moment) is None)


def test_the_service_refuses_online_answers_outside_the_invitations_window(participant) -> None:
    invitation = invite(participant)
    assert invitation.in_window(timezone.now())
    with pytest.raises(ValidationError, match="not open now"):
        services.check_usable(invitation, mode=ResponseMode.ONLINE, now=invitation.expires_at)
    services.check_usable(invitation, mode=ResponseMode.PAPER, now=invitation.expires_at)


def test_the_last_day_is_the_day_before_the_midnight_the_link_stops(participant, settings) -> None:
    settings.TIME_ZONE = "Europe/London"
    invitation = invite(participant)
    invitation.expires_at = datetime(2026, 12, 8, 0, 0, tzinfo=LONDON)
    with timezone.override(LONDON):
        assert invitation.last_day == datetime(2026, 12, 7, 23, 59, tzinfo=LONDON)
        assert "Monday 07 December" in waiting_items([invitation])[0].detail
