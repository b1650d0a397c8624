"""Signing in through the real sign-in form, as people do."""

from playwright.sync_api import Page, expect

DEMO_PASSWORD = "care-commons-demo"


def submit_sign_in_form(page: Page, persona: str) -> None:
    page.locator("input[name=login]").fill(f"{persona}@example.org")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_in(page: Page, persona: str) -> None:
    page.goto("/accounts/login/")
    submit_sign_in_form(page, persona)
