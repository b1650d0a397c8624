"""The two-factor set-up page says why it is asked for, fits a phone and passes axe-core.

Demo accounts are never made to set it up, but may open the page: the demo facilitator (a role and
a cohort they facilitate) sees both reasons."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.accounts import DEMO_PASSWORD, sign_in
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def test_the_set_up_page_lists_what_the_person_reaches_on_a_phone(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, "facilitator")
    page.goto("/accounts/2fa/totp/activate/")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Why we ask")).to_be_visible()
    reasons = page.locator("#why-second-factor + p + ul li")
    expect(reasons.filter(has_text="You facilitate a cohort")).to_have_count(1)
    expect(reasons.filter(has_text="You hold a role")).to_have_count(1)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
