"""Issue 11: at 360 px budget figures overlapped and statement lists scrolled sideways. The money
pages a treasurer and a member use on a phone fit the screen (nothing wider than the viewport) and
pass axe-core, the confirmation pages for irreversible actions (cancelling a claim, ending a role,
withdrawing a guest) included."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, FilePayload, Page, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible
from tests.browser.pages import PHONE_HEIGHT, PHONE_WIDTH, assert_fits

pytestmark = pytest.mark.browser
GROUP = "Northside Mutual Aid"
PDF = b"%PDF-1.7\n" + b"\x00" * 64


def check(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_fits(page)
    assert_accessible(page)


def phone_signed_in(new_context: Callable[..., BrowserContext], persona: str) -> Page:
    """Signed in on a wide screen (the sign-in helper looks for the sign-out button, which a phone's
    menu folds away), then narrowed to a phone's width."""
    page = new_context().new_page()
    sign_in(page, persona)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": PHONE_HEIGHT})
    return page


def group_section(page: Page, section: str) -> None:
    page.goto("/money/")
    page.get_by_role("link", name=GROUP).click()
    page.get_by_role("navigation", name=GROUP).get_by_role("link", name=section).click()


def test_budgets_and_statement_lists_fit_a_phone_and_pass_axe(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = phone_signed_in(new_context, "treasurer")
    group_section(page, "Budgets")
    expect(page.get_by_role("table")).to_be_visible()
    check(page)
    group_section(page, "Bank statements")
    check(page)
    page.get_by_role("table").get_by_role("link").first.click()
    check(page)
    for tab in page.get_by_role("navigation", name="Statement lines").get_by_role("link").all_inner_texts():
        page.get_by_role("navigation", name="Statement lines").get_by_role("link", name=tab).click()
        check(page)
    group_section(page, "People and roles")
    check(page)
    page.get_by_role("link", name="End today").first.click()
    expect(page.get_by_role("button", name="Yes, end the role", exact=False)).to_be_visible()
    check(page)
    page.get_by_role("link", name="No, go back").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("People and roles")


def test_a_claim_and_its_cancel_confirmation_fit_a_phone_and_pass_axe(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = phone_signed_in(new_context, "treasurer")
    group_section(page, "Expenses")
    check(page)
    page.get_by_role("link", name="Claim an expense").click()
    check(page)
    page.get_by_label("What was it for?").fill("Stamps for the newsletter")
    page.get_by_label("Amount").fill("six pounds")
    page.get_by_label("Spending category").select_option(index=1)
    receipt: FilePayload = {"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.get_by_label("Receipts").set_input_files(files=[receipt])
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("receipt.pdf kept: choose another to replace it.")).to_be_visible()
    check(page)
    page.get_by_label("Amount").fill("6.00")
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_role("link", name="receipt.pdf")).to_be_visible()
    page.get_by_role("link", name="Cancel this expense").click()
    check(page)
    page.get_by_role("button", name="Yes, cancel this expense").click()
    expect(page.locator(".summary")).to_contain_text("Cancelled")
    check(page)


def test_withdrawing_a_guest_asks_first_on_a_page_that_fits_a_phone(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = phone_signed_in(new_context, "facilitator")
    page.goto("/programmes/")
    page.get_by_role("link", name="Growing Cultures of Radical Caring").click()
    page.get_by_role("link", name="Cohort 2026").click()
    page.get_by_role("link", name=re.compile("^Workshop 6:")).click()
    page.get_by_role("link", name="Guests invited to this session").click()
    check(page)
    page.get_by_role("link", name="Withdraw the invitation to Bernadette Okonjo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw the invitation to Bernadette Okonjo?")
    check(page)
    page.get_by_role("link", name="No, go back").click()
    expect(page.get_by_role("link", name="Withdraw the invitation to Bernadette Okonjo")).to_be_visible()
