"""Signing in through the real sign-in form, as people do."""

from playwright.sync_api import Page, expect

DEMO_PASSWORD = "care-commons-demo"


def submit_sign_in_form(page: Page, persona: str) -> None:
    page.locator("input[name=login]").fill(f"{persona}@example.org")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    # On a phone the sign-out button sits in the collapsed "Menu": signed in is when it exists.
    expect(page.get_by_role("button", name="Sign out", include_hidden=True).first).to_be_attached()


def sign_in(page: Page, persona: str) -> None:
    page.goto("/accounts/login/")
    submit_sign_in_form(page, persona)


def go_to(page: Page, link: str) -> None:
    """Follow a link of the main menu as a person would: on a phone, open the folded "Menu" first."""
    target = page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True)
    menu = page.locator("details.site-menu")
    if not target.is_visible() and menu.is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
    target.click()
