"""The group's Handover page on a 360 px phone passes axe-core, for a member and for the convening
staff, and so do the confirmation page for withdrawing an invitation back and the invite form.

The demo has no groups yet (they come with the Riverside demo, decision 0030 step 9), so this file
starts its own server on the demo data with one handover half done, seeded through the services."""

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible
from tests.browser.pages import assert_fits
from tests.browser.server import (
    last_line_of_shell,
    load_demo,
    running_server,
    server_environment,
    throwaway_database,
)

pytestmark = pytest.mark.browser
WIDTH = 360

SEED = """
from datetime import timedelta
from django.utils import timezone
from carecommons.groups import services
from carecommons.groups.models import HandoverArea
from carecommons.people.models import Person
from carecommons.people.services import add_affiliation, create_organisation

today = timezone.localdate()
staff = Person.objects.get(user__email="organiser@example.org")
member = Person.objects.get(user__email="participant@example.org")
adviser = Person.objects.get(user__email="facilitator@example.org")
lab = create_organisation(by=None, name="Riverside Care Lab staff team", kind="charity")
for person in (staff, adviser):
    add_affiliation(person=person, organisation=lab, role="community worker", by=None)
group = services.start_group(
    name="Riverside action group", by=None, founders=[member], today=today, convened_by=lab
)
services.give_convening_seat(group=group, person=staff, by=None, today=today)
plan = services.make_plan(group=group, by=staff.user, today=today)
for weeks, area in enumerate(HandoverArea, start=1):
    services.add_step(plan=plan, area=area, planned_for=today + timedelta(weeks=weeks), by=staff.user)
for step in plan.steps.filter(area__in=[HandoverArea.INVITING_PEOPLE, HandoverArea.RUNNING_DECISIONS]):
    services.complete_step(step=step, on=today, by=None)
services.invite_staff_back(
    group=group,
    person=adviser,
    purpose="To advise on running the first consent decision.",
    scope="see_and_advise",
    valid_until=timezone.now() + timedelta(days=14),
    by=staff.user,
)
print(group.uuid)
"""


@pytest.fixture(scope="module")
def handover_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    workdir = tmp_path_factory.mktemp("handover")
    with throwaway_database(server_environment(), workdir) as env:
        load_demo(env)
        group_uuid = last_line_of_shell(env, SEED)
        with running_server(env, workdir / "server.log") as url:
            yield url, group_uuid


@pytest.fixture
def on_phone(browser: Browser, handover_server: tuple[str, str]) -> Iterator[Callable[[str], Page]]:
    url, _ = handover_server
    contexts: list[BrowserContext] = []

    def signed_in(persona: str) -> Page:
        context = browser.new_context(base_url=url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, persona)
        page.set_viewport_size({"width": WIDTH, "height": 740})
        return page

    yield signed_in
    for context in contexts:
        context.close()


def test_the_handover_page_fits_a_phone_and_passes_axe_for_a_member_and_for_convening_staff(
    on_phone: Callable[[str], Page], handover_server: tuple[str, str]
) -> None:
    _, group = handover_server
    for persona in ("participant", "organiser"):
        page = on_phone(persona)
        page.goto(f"/groups/{group}/handover/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Handover of Riverside action group")
        expect(page.get_by_role("table", name=re.compile("Steps of the handover"))).to_be_visible()
        expect(page.get_by_text("To advise on running the first consent decision.")).to_be_visible()
        assert_fits(page)
        assert_accessible(page)


def test_the_invite_back_form_and_the_withdraw_confirmation_pass_axe_on_a_phone(
    on_phone: Callable[[str], Page], handover_server: tuple[str, str]
) -> None:
    _, group = handover_server
    page = on_phone("organiser")
    page.goto(f"/groups/{group}/handover/")
    page.get_by_role("link", name="Invite staff back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite staff back")
    assert_fits(page)
    assert_accessible(page)
    page.goto(f"/groups/{group}/handover/")
    page.get_by_role("link", name=re.compile("Withdraw")).click()
    expect(page.get_by_role("button", name="Yes, withdraw the invitation")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
