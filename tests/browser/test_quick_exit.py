""" "Exit this page" in real Chromium on a phone-sized screen: pressing Shift three times or the button
leaves at once for the neutral address (this server's /health in tests), and Back does not return to
the page that was left."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, ViewportSize, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser
NewContext = Callable[..., BrowserContext]
PHONE: ViewportSize = {"width": 360, "height": 740}


def test_pressing_shift_three_times_leaves_the_support_page_and_back_does_not_return(
    new_context: NewContext,
) -> None:
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    page.goto("/measures/support/")
    button = page.get_by_role("link", name="Emergency Exit this page")
    expect(button).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)

    page.locator("body").click(position={"x": 5, "y": 300})
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/health")
    page.go_back()
    page.wait_for_load_state()
    assert "/measures/support/" not in page.url


def test_typing_capitals_does_not_leave_but_the_button_does(new_context: NewContext) -> None:
    page = new_context().new_page()
    sign_in(page, "participant")
    page.set_viewport_size(PHONE)
    page.goto("/measures/mine/")
    page.keyboard.press("Shift+A")
    page.keyboard.press("Shift+B")
    page.keyboard.press("Shift+C")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your questionnaire results")
    assert_accessible(page)

    page.get_by_role("link", name="Emergency Exit this page").click()
    page.wait_for_url("**/health")
    page.go_back()
    page.wait_for_load_state()
    assert "/measures/mine/" not in page.url
