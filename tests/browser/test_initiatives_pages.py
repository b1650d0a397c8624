"""An initiative's page and its action form in real Chromium on a 360 px phone: both fit the
screen and axe-core finds nothing; a member adds an action through the form, without JavaScript.

The demo has no groups yet (issue 13's Riverside demo comes later), so this file runs its own
server on a throwaway database it migrates and seeds through the real services."""

import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.pages import assert_fits
from tests.browser.server import (
    last_line_of_shell,
    run_command,
    running_server,
    server_environment,
    throwaway_database,
)

pytestmark = pytest.mark.browser
WIDTH = 360
PHONE = {"viewport": {"width": WIDTH, "height": 640}}

SEED = "from tests.browser.initiatives_seed import seed; seed()"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """The server's address, the initiative page's path and the server's today."""
    workdir = tmp_path_factory.mktemp("initiatives")
    with throwaway_database(server_environment(), workdir) as env:
        run_command(env, "migrate", "--no-input")
        run_command(env, "createcachetable")
        seeded = json.loads(last_line_of_shell(env, SEED))
        with running_server(env, workdir / "server.log") as url:
            yield url, seeded["path"], seeded["today"]


@pytest.fixture
def phone(browser: Browser, seeded: tuple[str, str, str]) -> Iterator[Callable[..., BrowserContext]]:
    contexts: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        context = browser.new_context(base_url=seeded[0], **PHONE, **options)  # type: ignore[arg-type]
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    expect.set_options(timeout=TIMEOUT_MS)
    yield make
    for context in contexts:
        context.close()


def test_the_initiative_page_fits_a_phone_and_passes_axe(
    phone: Callable[..., BrowserContext], seeded: tuple[str, str, str]
) -> None:
    page = phone().new_page()
    sign_in(page, "participant")
    page.goto(seeded[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("Tuesday lunch club")
    expect(page.get_by_role("cell", name="What: Book the church hall", exact=True)).to_be_visible()
    expect(page.get_by_text("0 of 2 volunteered")).to_be_visible()
    expect(page.get_by_role("heading", name="Money: £180.00")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)


def test_a_member_adds_an_action_on_a_phone_without_javascript(
    phone: Callable[..., BrowserContext], seeded: tuple[str, str, str]
) -> None:
    page = phone(java_script_enabled=False).new_page()
    sign_in(page, "neighbour")
    page.goto(seeded[1])
    page.get_by_role("link", name="Add an action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    assert_fits(page)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    page.get_by_label("What").fill("Ask the café for soup")
    page.get_by_label("Who").select_option(label="Neighbour Okafor")
    page.get_by_label("By when").fill((date.fromisoformat(seeded[2]) + timedelta(days=6)).isoformat())
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("cell", name="What: Ask the café for soup", exact=True)).to_be_visible()


def test_the_action_form_passes_axe_with_its_errors_shown(
    phone: Callable[..., BrowserContext], seeded: tuple[str, str, str]
) -> None:
    page = phone().new_page()
    sign_in(page, "participant")
    page.goto(seeded[1] + "actions/new/")
    assert_accessible(page)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    assert_fits(page)
    assert_accessible(page)
