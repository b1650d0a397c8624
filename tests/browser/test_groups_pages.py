"""A participant starts a group, names a role and plans who takes over, on a 360 px phone: the
group page and the role form fit the screen and pass axe-core, and the forms work without
JavaScript (plain posts)."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible
from tests.browser.pages import PHONE_WIDTH, assert_fits

pytestmark = pytest.mark.browser


def test_starting_a_group_and_naming_a_role_fit_a_phone_and_pass_axe(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(java_script_enabled=True).new_page()
    sign_in(page, "participant")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    page.goto("/groups/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your groups")
    assert_fits(page)
    assert_accessible(page)
    page.get_by_role("link", name="Start a group").click()
    expect(page.locator("#id_name")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
    page.locator("#id_name").fill("Riverbank clean-up")
    page.get_by_label("Purpose").fill("Clear the riverbank before summer.")
    page.get_by_label("By invitation, or by asking to join").check()
    page.get_by_role("button", name="Start the group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverbank clean-up")
    expect(page.get_by_text("Convenor, until")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)

    page.get_by_role("link", name="Name a role").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Name a role")
    assert_fits(page)
    assert_accessible(page)
    page.locator("#id_name").fill("Note-taker")
    page.get_by_label("Term length in months").fill("3")
    page.get_by_label("Terms in a row").fill("0")
    page.get_by_role("button", name="Name the role").click()
    expect(page.locator(".has-error")).to_contain_text("greater than or equal to 1")
    assert_fits(page)
    assert_accessible(page)
    page.get_by_label("Terms in a row").fill("2")
    page.get_by_label("Record votes given in the room or by phone").check()
    page.get_by_role("button", name="Name the role").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Note-taker")
    page.get_by_label("Who").select_option(label="Amara Okafor")
    page.get_by_role("button", name="Give the term").click()
    expect(page.get_by_text("holds the role from today")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
    page.get_by_role("link", name="Riverbank clean-up").click()
    expect(page.get_by_role("heading", name="Note-taker")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
