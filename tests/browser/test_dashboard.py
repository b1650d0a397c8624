"""The programme dashboard in real Chromium: charts with their tables, no accessibility violations."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def test_convenor_opens_the_programme_dashboard_without_accessibility_violations(page: Page) -> None:
    sign_in(page, "convenor")
    page.goto("/programmes/")
    page.get_by_role("link", name="Growing Cultures of Radical Caring").click()
    page.get_by_role("link", name="Dashboard", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.locator("svg[role=img]").count() >= 2
    assert page.locator("table").count() >= 2
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
