"""A person sees their data and asks for erasure on a phone; a convenor opens the request.
Every page fits 360 px and axe-core finds nothing.

The demo evaluator is used rather than the demo participant: other journeys leave the
participant with an open safeguarding alert and the member with a claim waiting, which rightly hold
an erasure back."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible
from tests.browser.test_narrow_pages import PHONE, assert_fits

pytestmark = pytest.mark.browser


def test_a_person_sees_their_data_and_asks_for_erasure_and_a_convenor_sees_the_request(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(**PHONE).new_page()
    sign_in(page, "evaluator")
    page.goto("/")
    # On a phone the menu is collapsed: follow the menu's link by its address.
    page.goto(
        page.get_by_role("link", name="My details", exact=True, include_hidden=True).first.get_attribute(
            "href"
        )
        or ""
    )
    page.get_by_role("link", name="See or download everything we hold about you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything we hold about you")
    expect(page.get_by_role("heading", name="Your consent decisions")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)

    page.get_by_role("link", name="ask for your data to be erased").click()
    expect(page.get_by_role("heading", name="What is kept, and why")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
    page.get_by_role("button", name="Ask for my data to be erased").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for your data to be erased?")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, ask for my data to be erased").click()
    expect(page.get_by_text("Your request is sent.")).to_be_visible()

    staff = new_context(**PHONE).new_page()
    sign_in(staff, "convenor")
    staff.goto("/")
    staff.get_by_role("link", name="See the requests").click()
    assert_fits(staff)
    assert_accessible(staff)
    staff.get_by_role("table").get_by_role("link").first.click()
    expect(staff.get_by_role("heading", name="What will be deleted")).to_be_visible()
    expect(staff.get_by_label("Why are you erasing their data?")).to_be_visible()
    assert_fits(staff)
    assert_accessible(staff)
