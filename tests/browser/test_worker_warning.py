"""The browser-test server runs no worker and the demo leaves emails queued (a safeguarding notice
among them), so staff see the worker warning: readable and accessible on a 360 px phone."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}}
WARNING = "Emails and imports are waiting: the background worker is not running."


def test_convenor_sees_the_worker_warning_on_a_phone_and_it_has_no_violations(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(**PHONE).new_page()
    sign_in(page, "convenor")

    warning = page.locator("#worker-warning")
    expect(warning).to_contain_text(WARNING)
    expect(warning).to_contain_text("carecommons worker")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    page.goto("/people/")
    expect(page.locator("#worker-warning")).to_be_visible()


def test_participant_never_sees_the_worker_warning(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(**PHONE).new_page()
    sign_in(page, "participant")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#worker-warning")).to_have_count(0)
