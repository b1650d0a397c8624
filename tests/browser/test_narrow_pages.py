"""Issue 11: at 360 px the menu took a third of the screen. On a phone every page below fits the
screen (no sideways scrolling), the menu stays small until opened, and axe-core finds nothing.

To check another page, add a Stop to PAGES: who signs in (None: nobody), where to start, and the
links to follow from there, by their exact accessible names."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible
from tests.browser.pages import assert_fits

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 360, 640
PHONE = {"viewport": {"width": WIDTH, "height": HEIGHT}}
MENU_SHARE = 0.2  # the header, menu collapsed, may take at most a fifth of the screen's height


@dataclass(frozen=True)
class Stop:
    name: str
    persona: str | None
    path: str
    links: tuple[str, ...] = ()


PROGRAMME = "Growing Cultures of Radical Caring"
PAGES = [
    Stop("the signed-out home page", None, "/"),
    Stop("a public sign-up page", None, "/", (f"{PROGRAMME}: Spring 2027",)),
    Stop("the signed-in home page", "convenor", "/"),
    Stop(
        "a register",
        "facilitator",
        "/programmes/",
        (PROGRAMME, "Cohort 2026", "Workshop 1: Arriving and making it safe", "Take the register"),
    ),
    Stop("the community assets", "organiser", "/listening/", ("Riverside Care Lab", "Assets")),
    Stop(
        "an individual's gift", "organiser", "/listening/", ("Riverside Care Lab", "Assets", "Chess lessons")
    ),
    Stop("the asset form", "organiser", "/listening/", ("Riverside Care Lab", "Assets", "Add an asset")),
]


def open_stop(page: Page, stop: Stop) -> None:
    page.goto(stop.path)
    for name in stop.links:
        page.get_by_role("link", name=name, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def assert_small_header(page: Page) -> None:
    height = page.locator(".site-header").bounding_box()["height"]  # type: ignore[index]
    assert height < MENU_SHARE * HEIGHT, f"the header on {page.url} is {height} px high"


@pytest.mark.parametrize("stop", PAGES, ids=[stop.name for stop in PAGES])
def test_the_page_fits_a_phone_with_a_small_menu_and_passes_axe(
    new_context: Callable[..., BrowserContext], stop: Stop
) -> None:
    page = new_context(**PHONE).new_page()
    if stop.persona:
        sign_in(page, stop.persona)
    open_stop(page, stop)
    assert_fits(page)
    assert_small_header(page)
    assert_accessible(page)


def test_the_open_menu_has_large_targets_a_visible_focus_and_passes_axe(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(**PHONE).new_page()
    sign_in(page, "convenor")
    menu = page.locator("summary", has_text="Menu")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    assert menu.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="People")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    for target in [menu, *nav.get_by_role("link").all(), page.get_by_role("button", name="Sign out")]:
        box = target.bounding_box()
        assert box is not None and box["height"] >= 24 and box["width"] >= 24, target.inner_text()
    assert_fits(page)
    assert_accessible(page)


def test_the_menu_opens_and_leads_on_without_javascript(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(java_script_enabled=False, **PHONE).new_page()
    sign_in(page, "convenor")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    page.locator("summary", has_text="Menu").click()
    nav.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")


def test_on_a_wide_screen_the_menu_is_shown_without_a_disclosure(page: Page) -> None:
    sign_in(page, "convenor")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="People")).to_be_visible()
    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
