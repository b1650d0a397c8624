"""A decision opened from a session's page keeps the session, and its outcome is in the session's
closing report (through programmes/session_report.py)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.decisions import services
from carecommons.decisions.models import Decision
from carecommons.decisions.tests.factories import make_member
from carecommons.groups.tests.factories import make_group
from carecommons.programmes.tests.factories import make_cohort, make_session, person_of

pytestmark = pytest.mark.django_db


def test_a_decision_opened_from_a_session_shows_its_outcome_in_the_closing_report(facilitator: User) -> None:
    cohort = make_cohort(facilitator=facilitator)
    session = make_session(cohort, starts_at=timezone.now() - timedelta(hours=2))
    me = person_of(facilitator)
    group = make_group(
        "Tuesday action group", members=[me, make_member("Bilal")], cohort=cohort, today=timezone.localdate()
    )
    client = Client()
    client.force_login(facilitator)
    page = client.get(reverse("programmes:session_detail", args=[session.uuid])).content.decode()
    propose = f"{reverse('decisions:propose', args=[group.uuid])}?session={session.uuid}"
    assert propose in page
    assert f"?session={session.uuid}" in client.get(propose).content.decode()
    url = f"{reverse('decisions:decision_create', args=[group.uuid, 'proposal'])}?session={session.uuid}"
    closes = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {"title": "Meet fortnightly", "closes_at": closes, "results": "after_vote"})
    decision = Decision.objects.get()
    assert decision.session == session
    services.close_decision(decision=decision, by=facilitator)
    services.state_outcome(
        decision=decision, by=facilitator, statement="We meet every other Tuesday", review_on=None
    )
    report = client.get(reverse("programmes:closing_report", args=[session.uuid])).content.decode()
    assert "Meet fortnightly" in report and "We meet every other Tuesday" in report


def test_a_session_of_another_cohort_is_not_attached(facilitator: User) -> None:
    me = person_of(facilitator)
    group = make_group("Standalone", members=[me], today=timezone.localdate())
    other = make_session(make_cohort(facilitator=facilitator))
    client = Client()
    client.force_login(facilitator)
    url = f"{reverse('decisions:decision_create', args=[group.uuid, 'proposal'])}?session={other.uuid}"
    closes = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {"title": "Elsewhere", "closes_at": closes, "results": "after_vote"})
    assert Decision.objects.get().session is None
