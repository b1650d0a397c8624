"""Issue 13 point 7: the Riverside Action Group's decisions in the demo, made through the services."""

from datetime import UTC, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from carecommons.decisions.models import Ballot, Decision, Method, Objection, Participation
from carecommons.demo import deciding
from carecommons.demo.fixtures import DEMO_ACCOUNTS
from carecommons.demo.tests.test_demo_deciding import signed_in
from carecommons.groups.models import CommunityGroup, RoleTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(settings) -> CommunityGroup:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    return CommunityGroup.objects.get(name=deciding.NAME)


def decision(group: CommunityGroup, title: str) -> Decision:
    return Decision.objects.select_related("outcome").get(group=group, title=title)


def labels(found: Decision, keys: list[str]) -> list[str]:
    by_key = dict(found.options.values_list("key", "label"))
    return [by_key[key] for key in keys]


def test_each_decision_the_demo_promises_exists_with_its_shape(group: CommunityGroup) -> None:
    now, today = timezone.now(), timezone.localdate()
    assert group.decisions.count() == 7  # five of the group's own, two that carried handover steps
    carried = group.decisions.filter(handover_step__isnull=False).select_related("handover_step", "outcome")
    assert len(carried) == 2
    for carrier in carried:
        step = carrier.handover_step
        assert step is not None and carrier.outcome.result["outcome"] == "passes"
        assert step.done_on == timezone.localdate(carrier.closes_at)

    consent = decision(group, deciding.AGREEMENT)
    assert consent.kind == "consent" and consent.closed_at is not None and consent.closes_at < now
    objection = Objection.objects.get(ballot__decision=consent)
    assert objection.ballot.person is not None and objection.ballot.person.given_name == "Neil"
    assert objection.resolved_at is not None and "Saturday mornings" in objection.resolution
    assert consent.outcome.result["outcome"] == "passes" and consent.outcome.result["open_blocks"] == 0
    assert consent.outcome.statement and consent.outcome.review_on == today

    ranked = decision(group, deciding.WHICH_ISSUE)
    assert ranked.kind == "ranked_choice" and ranked.closed_at is not None and ranked.closes_at < now
    options = list(ranked.options.select_related("issue__conversation"))
    assert [o.issue.title for o in options if o.issue] == list(deciding.ISSUE_OPTIONS)
    assert {o.issue.conversation.lab_id for o in options if o.issue} == {group.lab_id}
    result = ranked.outcome.result
    assert len(result["rounds"]) == 3
    assert [r["eliminated"] for r in result["rounds"]] == ["o4", "o3", None]
    assert result["rounds"][-1]["counts"] == {"o1": 5, "o2": 4}
    assert labels(ranked, [result["winner"]]) == ["Unpaid travel time"]
    assert ranked.outcome.statement and ranked.outcome.review_on and ranked.outcome.review_on > today

    dots = decision(group, deciding.COFFEE_TOPICS)
    assert dots.kind == "dot_vote" and dots.dots == 5 and dots.closed_at is not None
    assert dots.closes_at < now and dots.options.filter(theme__lab=group.lab).count() == 4
    assert dots.outcome.result["tallies"] == {"o1": 13, "o2": 8, "o3": 5, "o4": 4}

    poll = decision(group, deciding.NEXT_MEETING)
    assert poll.kind == "time_poll" and poll.closed_at is not None and poll.closes_at < now
    chosen = poll.options.get(key=poll.outcome.result["winner"])
    assert chosen.position == 2 and chosen.starts_at is not None and chosen.starts_at > now

    proposal = decision(group, deciding.BRIGHTWATER)
    assert proposal.kind == "proposal" and proposal.anonymous and proposal.is_open
    assert now < proposal.closes_at <= now + timedelta(days=3)
    ballots = Ballot.objects.filter(decision=proposal)
    assert ballots.count() == len(deciding.BRIGHTWATER_VOTES) > 0
    assert not ballots.filter(person__isnull=False).exists()
    voted = Participation.objects.filter(decision=proposal).values_list("person__user__email", flat=True)
    assert len(voted) == ballots.count()
    for persona in ("participant", "member"):
        assert DEMO_ACCOUNTS[persona][0] not in voted

    hand = Participation.objects.get(decision__group=group, method__in=[Method.IN_ROOM, Method.PHONE])
    assert hand.decision == ranked and hand.person.given_name == "Pauline"
    assert hand.recorded_by is not None and hand.recorded_by.person.given_name == "Leila"
    facilitator = RoleTerm.objects.get(
        role__group=group, role__name="Facilitator", person__user=hand.recorded_by
    )
    assert facilitator.starts_on <= timezone.localdate(hand.voted_at)


def test_a_member_opens_every_decision_page_and_the_chosen_time_downloads(group: CommunityGroup) -> None:
    amara = signed_in("participant")
    listing = amara.get(reverse("decisions:decision_list", args=[group.uuid]))
    assert listing.status_code == 200
    for found in group.decisions.all():
        page = amara.get(reverse("decisions:decision_detail", args=[group.uuid, found.uuid]))
        assert page.status_code == 200, found.title
        assert found.title in listing.content.decode()
    ranked = decision(group, deciding.WHICH_ISSUE)
    text = amara.get(reverse("decisions:decision_detail", args=[group.uuid, ranked.uuid])).content.decode()
    assert "round by round" in text and "recorded by Leila" in text

    poll = decision(group, deciding.NEXT_MEETING)
    ics = amara.get(reverse("decisions:decision_ics", args=[group.uuid, poll.uuid]))
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    chosen = poll.options.get(key=poll.outcome.result["winner"])
    assert chosen.starts_at is not None
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body and f"DTSTART:{chosen.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in body

    for persona in ("participant", "member"):
        home = signed_in(persona).get("/").content.decode()
        assert deciding.BRIGHTWATER in home, persona  # waiting for their vote
        assert deciding.AGREEMENT in home, persona  # its review date has come
