"""Issue 6's journey in real Chromium on a phone-sized screen: a member of Northside Mutual Aid
claims an expense over the group's limit with a photo of the receipt, two approvers approve it, the
treasurer pays it, and the public page shows the spending by category only — with no accessibility
violations on the pages they use, the group's books and the host view included."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, FilePayload, Page, expect

from tests.browser.accounts import go_to, sign_in
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 740}}
WHAT = "Shopping for the Friday lunch club"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def open_group(page: Page) -> None:
    go_to(page, "Money")
    page.get_by_role("link", name="Northside Mutual Aid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northside Mutual Aid")


def test_a_claim_is_approved_twice_paid_and_shown_publicly_by_category(
    new_context: Callable[..., BrowserContext],
) -> None:
    member = new_context(**PHONE).new_page()
    sign_in(member, "member")
    open_group(member)
    assert_accessible(member)
    member.get_by_role("navigation", name="Northside Mutual Aid").get_by_role("link", name="Expenses").click()
    member.get_by_role("link", name="Claim an expense").click()
    member.get_by_label("What was it for?").fill(WHAT)
    member.get_by_label("Amount").fill("62.40")
    member.get_by_label("Spending category").select_option(label="Food and essentials")
    receipt: FilePayload = {"name": "receipt.png", "mimeType": "image/png", "buffer": PNG}
    member.get_by_label("Receipts").set_input_files(files=[receipt])
    assert_accessible(member)
    member.get_by_role("button", name="Send for approval").click()
    expect(member.get_by_role("heading", level=1)).to_have_text(WHAT)
    expect(member.locator(".summary")).to_contain_text("0 of 2 approvals needed")
    expect(member.get_by_role("link", name="receipt.png")).to_be_visible()
    assert_accessible(member)
    claim = member.url

    for approver in ("approver", "approver2"):
        page = new_context(**PHONE).new_page()
        sign_in(page, approver)
        page.goto(claim)
        expect(page.get_by_text("Who is paid")).to_have_count(0)  # payee details are treasurers' only
        page.get_by_role("button", name="Approve this expense").click()
        assert_accessible(page)
    member.reload()
    expect(member.locator(".summary")).to_contain_text("Approved, to be paid")

    treasurer = new_context(**PHONE).new_page()
    sign_in(treasurer, "treasurer")
    treasurer.goto(claim)
    treasurer.get_by_label("Paid from").select_option(label="Bank account")
    assert_accessible(treasurer)
    treasurer.get_by_role("button", name="Mark as paid and post it").click()
    expect(treasurer.locator(".summary")).to_contain_text("Paid")
    treasurer.get_by_role("link", name="in the ledger").click()
    expect(treasurer.get_by_role("table")).to_contain_text("£62.40")
    assert_accessible(treasurer)
    open_group(treasurer)
    for section in ("Ledger", "Budgets", "Bank statements", "Accounts and funds", "People and roles"):
        treasurer.get_by_role("navigation", name="Northside Mutual Aid").get_by_role(
            "link", name=section
        ).click()
        expect(treasurer.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(treasurer)

    public = new_context(**PHONE).new_page()
    public.goto("/money/open/northside-mutual-aid/")
    expect(public.get_by_role("heading", level=1)).to_contain_text("Northside Mutual Aid")
    spending = public.get_by_role("table", name=re.compile("Spending by category"))
    expect(spending).to_contain_text("Food and essentials")
    expect(public.locator("main")).not_to_contain_text("£62.40")  # no single payment is listed
    expect(public.locator("main")).not_to_contain_text(WHAT)
    expect(public.locator("main")).not_to_contain_text("Jess Morgan")
    assert_accessible(public)


def test_the_public_money_page_fits_a_360_px_phone_without_accessibility_violations(
    new_context: Callable[..., BrowserContext],
) -> None:
    public = new_context(**PHONE).new_page()
    public.goto("/money/open/northside-mutual-aid/")
    expect(public.get_by_role("table", name=re.compile("Money in and spent each month"))).to_be_visible()
    expect(public.locator("svg.chart").first).to_be_visible()
    assert public.evaluate("document.documentElement.scrollWidth") <= 360
    for chart in public.locator("svg.chart").all():
        box = chart.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 360
    assert_accessible(public)


def test_the_host_sees_its_groups_totals_without_accessibility_violations(page: Page) -> None:
    sign_in(page, "convenor")
    go_to(page, "Money")
    page.get_by_role("link", name="Greater Manchester Community Fund").click()
    expect(page.get_by_role("table")).to_contain_text("Northside Mutual Aid")
    assert_accessible(page)
