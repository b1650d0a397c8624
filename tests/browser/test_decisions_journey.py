"""Issue 13: a member proposes a ranked-choice decision, two members vote (one on a 360 px phone),
a facilitator records a vote given by phone, and the proposer closes it with an outcome; then a
member starts an initiative from the decision and adds an action to it. The decision page passes
axe-core on a phone and on a wide screen, and fits a phone's width; the initiative page passes
axe-core too."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from tests.browser.axe import assert_accessible
from tests.browser.pages import SignedIn, assert_fits, people_signed_in
from tests.browser.server import (
    last_line_of_shell,
    load_demo,
    running_server,
    server_environment,
    throwaway_database,
)

pytestmark = pytest.mark.browser

# A group of four demo personas; the facilitator's role records votes. Printed: the group's uuid.
SETUP = """
from datetime import timedelta
from django.utils import timezone
from carecommons.groups import services
from carecommons.groups.models import Power
from carecommons.people.models import Person
names = ("participant", "member", "facilitator", "treasurer")
found = Person.objects.filter(user__email__in=[f"{n}@example.org" for n in names])
people = {p.user.email.split("@")[0]: p for p in found}
group = services.start_group(name="Riverside action group", by=None, founders=[people[n] for n in names],
                             today=timezone.localdate() - timedelta(days=1))
role = services.name_role(group=group, name="Facilitator", by=None, term_months=None,
                          max_consecutive_terms=None, seats=None, powers=[Power.RECORD_VOTES])
services.give_term(role=role, person=people["facilitator"], starts_on=timezone.localdate(), by=None)
print(group.uuid)
"""


@pytest.fixture(scope="module")
def group_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    workdir = tmp_path_factory.mktemp("decisions")
    with throwaway_database(server_environment(), workdir) as env:
        load_demo(env)
        group_uuid = last_line_of_shell(env, SETUP)
        with running_server(env, Path(workdir) / "server.log") as url:
            yield url, group_uuid


@pytest.fixture
def person(browser: Browser, group_site: tuple[str, str]) -> Iterator[SignedIn]:
    with people_signed_in(browser, group_site[0]) as signed_in:
        yield signed_in


def test_a_group_proposes_votes_records_a_phone_vote_and_closes_with_an_outcome(
    person: SignedIn, group_site: tuple[str, str]
) -> None:
    decisions = f"/groups/{group_site[1]}/decisions/"
    proposer = person("participant")
    proposer.goto(decisions)
    proposer.get_by_role("link", name="Propose a decision").click()
    proposer.get_by_role("link", name="Ranked choice").click()
    proposer.get_by_label("Title").fill("Which issue do we act on first?")
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    proposer.get_by_label("Closes at").fill(closes)
    for number, label in enumerate(("Housing repairs", "Bus routes", "Loneliness"), 1):
        proposer.get_by_label(f"Option {number}").fill(label)
    proposer.get_by_role("button", name="Open it for votes").click()
    expect(proposer.get_by_role("heading", level=1)).to_have_text("Which issue do we act on first?")
    decision_url = proposer.url
    proposer.get_by_label("Rank for “Loneliness”").fill("1")
    proposer.get_by_label("Rank for “Housing repairs”").fill("2")
    proposer.get_by_role("button", name="Vote", exact=True).click()
    expect(proposer.get_by_text("Your vote is in.")).to_be_visible()
    expect(proposer.get_by_role("table").first).to_be_visible()

    phone = person("member", phone=True)
    phone.goto(decision_url)
    expect(phone.get_by_text("Results show once you have voted.")).to_be_visible()
    assert_fits(phone)
    assert_accessible(phone)
    phone.get_by_label("Rank for “Bus routes”").fill("1")
    phone.get_by_label("Rank for “Loneliness”").fill("2")
    phone.get_by_role("button", name="Vote", exact=True).click()
    expect(phone.get_by_role("table", name="Instant runoff, round by round")).to_be_visible()
    assert_fits(phone)
    assert_accessible(phone)

    facilitator = person("facilitator")
    facilitator.goto(decision_url)
    facilitator.get_by_role("link", name="Record a hand vote").click()
    facilitator.get_by_label("Whose vote").select_option(label="Declan Byrne")
    facilitator.get_by_label("Given by phone").check()
    facilitator.get_by_label("Rank for “Loneliness”").fill("1")
    facilitator.get_by_role("button", name="Record").click()
    expect(facilitator.get_by_text("Recorded, marked as recorded by you.")).to_be_visible()

    proposer.goto(decision_url)
    expect(proposer.get_by_text("recorded by")).to_be_visible()
    proposer.get_by_role("link", name="Close now").click()
    proposer.get_by_role("button", name="Yes, close and count").click()
    proposer.get_by_label("What the group decided").fill("We start with loneliness: a weekly lunch club.")
    proposer.get_by_label("Review on").fill((timezone.localdate() + timedelta(days=90)).isoformat())
    proposer.get_by_role("button", name="State the outcome").click()
    expect(proposer.get_by_text("We start with loneliness: a weekly lunch club.")).to_be_visible()
    expect(proposer.get_by_text("Chosen: Loneliness")).to_be_visible()
    assert_accessible(proposer)

    starter = person("member")
    starter.goto(decision_url)
    starter.get_by_role("link", name="Start an initiative from this decision").click()
    expect(starter.get_by_role("heading", level=1)).to_have_text("Start an initiative")
    expect(starter.get_by_label("Title")).to_have_value("Which issue do we act on first?")
    expect(starter.get_by_label("Purpose")).to_have_value("We start with loneliness: a weekly lunch club.")
    starter.get_by_label("Title").fill("Weekly lunch club")
    starter.get_by_role("button", name="Start the initiative").click()
    expect(starter.get_by_role("heading", level=1)).to_have_text("Weekly lunch club")
    expect(starter.get_by_role("link", name="Which issue do we act on first?")).to_be_visible()
    starter.get_by_role("link", name="Add an action").click()
    starter.get_by_label("What").fill("Book the community hall for Tuesdays")
    starter.get_by_label("Who").select_option(index=1)
    starter.get_by_label("By when").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    starter.get_by_role("button", name="Add the action").click()
    expect(
        starter.get_by_role("cell", name="Book the community hall for Tuesdays", exact=True)
    ).to_be_visible()
    assert_accessible(starter)
    starter.goto(decision_url)
    expect(starter.get_by_role("link", name="Weekly lunch club")).to_be_visible()
