"""The theme pages in real Chromium, on the demo's Riverside Care Lab: the themes over time with their
charts and tables, a theme's quotes, and accepting a suggestion on the untagged list with one click
and no JavaScript needed — with no accessibility violations on any of them."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def test_organiser_reads_the_themes_and_accepts_a_suggested_theme(page: Page) -> None:
    sign_in(page, "organiser")
    page.get_by_role("link", name="Listening", exact=True).click()
    page.get_by_role("link", name="Riverside Care Lab", exact=True).click()
    page.get_by_role("link", name="Themes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes in Riverside Care Lab")
    expect(page.get_by_role("img", name=re.compile("Pay and conditions: issues per month"))).to_be_visible()
    page.get_by_text("Numbers for Pay and conditions").click()
    expect(page.get_by_role("table", name="Pay and conditions: issues per month")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Pay and conditions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Theme: Pay and conditions")
    expect(page.get_by_role("heading", name="In whose words")).to_be_visible()
    expect(page.locator(".quotes blockquote").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Themes", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Issues without a theme")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Issues without a theme")
    assert_accessible(page)
    first = page.locator(
        ".untagged-list > li", has=page.get_by_role("button", name=re.compile("^Accept"))
    ).first
    title = first.get_by_role("heading", level=2).inner_text()
    first.get_by_role("button", name=re.compile("^Accept")).first.click()
    expect(page.get_by_role("status")).to_contain_text(f"“{title}”")
    expect(page.locator(".untagged-list")).not_to_contain_text(title)
