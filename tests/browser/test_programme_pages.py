"""axe-core over the programme pages people use most, reached by following links as a person would."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def open_cohort(page: Page) -> None:
    page.goto("/programmes/")
    page.get_by_role("link", name="Growing Cultures of Radical Caring").click()
    assert_accessible(page)
    page.get_by_role("link", name="Cohort 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohort 2026")


def test_facilitator_pages_for_sessions_reports_sets_and_guests_have_no_violations(page: Page) -> None:
    sign_in(page, "facilitator")
    open_cohort(page)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Workshop 1:")).click()
    assert_accessible(page)
    page.get_by_role("link", name="Closing report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Closing report")
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Guests invited to this session").click()
    assert_accessible(page)
    open_cohort(page)
    page.get_by_role("link", name="Action learning sets").click()
    assert_accessible(page)
    page.locator("main a[href^='/sets/']").first.click()
    assert_accessible(page)
    page.goto("/calendar/")
    assert_accessible(page)


def test_participant_sees_their_session_with_its_link_and_the_pages_have_no_violations(page: Page) -> None:
    sign_in(page, "participant")
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    page.get_by_role("link", name="Growing Cultures of Radical Caring").click()
    page.get_by_role("link", name="Cohort 2026").click()
    page.get_by_role("link", name=re.compile("^Workshop 2:")).click()
    expect(page.get_by_text("https://meet.example.org/radical-caring-2")).to_be_visible()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Action learning sets").click()
    assert_accessible(page)
