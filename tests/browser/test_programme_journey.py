"""Issue 3's journey in real Chromium: a person signs up on the public page, the convenor accepts
them, a facilitator takes the register — with no accessibility violations on those pages."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser
NewContext = Callable[..., BrowserContext]


def spring_cohort_page(page: Page) -> None:
    page.goto("/programmes/")
    page.get_by_role("link", name="Growing Cultures of Radical Caring").click()
    page.get_by_role("link", name="Spring 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring 2027")


def test_sign_up_accept_and_register_without_accessibility_violations(new_context: NewContext) -> None:
    convenor = new_context().new_page()
    sign_in(convenor, "convenor")
    spring_cohort_page(convenor)
    convenor.get_by_role("link", name="Applications").click()
    signup_url = convenor.get_by_role("link", name="Public sign-up page").get_attribute("href")
    assert signup_url

    applicant = new_context().new_page()
    applicant.goto(signup_url)
    assert_accessible(applicant)
    applicant.get_by_label("First name").fill("Rosa")
    applicant.get_by_label("Last name").fill("Newcomer")
    applicant.get_by_label("Email").fill("rosa.newcomer@example.org")
    applicant.get_by_label("Organisation", exact=False).first.fill("Burnage Food Friends")
    applicant.get_by_label("Why would you like to take part?").fill(
        "To look after myself as well as my group."
    )
    applicant.get_by_label("Weekday evening").check()
    for box in applicant.get_by_role("checkbox").all():
        box.check()
    applicant.get_by_role("button", name="Send my application").click()
    expect(applicant.get_by_role("heading", level=1)).to_be_visible()
    assert "/thanks/" in applicant.url
    assert_accessible(applicant)

    convenor.reload()
    assert_accessible(convenor)
    convenor.get_by_role("row", name=re.compile("Rosa Newcomer")).get_by_role(
        "button", name=re.compile("^Accept")
    ).click()
    expect(convenor.get_by_role("heading", name="Accepted", exact=False)).to_be_visible()

    spring_cohort_page(convenor)
    convenor.get_by_role("link", name="Add a facilitator").click()
    convenor.get_by_label("The facilitator's email").fill("facilitator@example.org")
    convenor.get_by_role("button", name="Save").click()
    convenor.get_by_role("link", name="Schedule a session").click()
    start = timezone.localtime() - timedelta(minutes=30)
    convenor.get_by_label("Title").fill("Welcome gathering")
    convenor.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    convenor.get_by_label("Ends").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    convenor.get_by_label("Online").check()
    convenor.get_by_label("Meeting link").fill("https://meet.example.org/spring-welcome")
    convenor.get_by_role("button", name="Save").click()
    expect(convenor.get_by_role("heading", level=1)).to_have_text("Welcome gathering")

    facilitator = new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(facilitator, "facilitator")
    spring_cohort_page(facilitator)
    facilitator.get_by_role("link", name="Welcome gathering").click()
    facilitator.get_by_role("link", name="Take the register").click()
    assert_accessible(facilitator)
    row = facilitator.locator(".register-row", has_text="Rosa Newcomer")
    url_before = facilitator.url
    row.get_by_role("button", name=re.compile("^Attended")).click()
    expect(facilitator.locator(".register-row", has_text="Rosa Newcomer")).to_contain_text("attended")
    assert facilitator.url == url_before
    expect(
        facilitator.locator(".register-row", has_text="Rosa Newcomer").get_by_role(
            "button", name=re.compile("^Attended")
        )
    ).to_have_attribute("aria-pressed", "true")
    assert_accessible(facilitator)
