import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.accounts import sign_in, submit_sign_in_form
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser
NewContext = Callable[..., BrowserContext]
PHONE = {"width": 360, "height": 740}


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def csp_reports(page: Page) -> list[str]:
    reports: list[str] = []
    page.on("console", lambda m: reports.append(m.text) if "Content Security Policy" in m.text else None)
    return reports


def failed_static_files(page: Page) -> list[str]:
    failures: list[str] = []
    page.on(
        "response",
        lambda r: failures.append(f"{r.status} {r.url}") if "/static/" in r.url and not r.ok else None,
    )
    return failures


def test_convenor_signs_in_searches_and_opens_a_person_without_accessibility_violations(page: Page) -> None:
    blocked_by_csp = csp_reports(page)
    missing_files = failed_static_files(page)

    response = page.goto("/accounts/login/")
    assert response is not None
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    assert missing_files == [], "the stylesheet or htmx did not load"
    assert_accessible(page)

    submit_sign_in_form(page, "convenor")
    expect(heading(page)).to_have_text("Hello, Grace Adeyemi")
    assert_accessible(page)

    main_nav(page).get_by_role("link", name="People").click()
    expect(heading(page)).to_have_text("People")
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator("#id_q").press_sequentially("Okafor", delay=40)
    expect(page.locator("#results .result-count")).to_have_text("1 person matches “Okafor”.")
    expect(page.locator("#results").get_by_role("link", name="Amara Okafor")).to_be_visible()
    assert page.evaluate("() => window.notReloaded === true"), "the search reloaded the page"
    expect(page).to_have_url(re.compile(r"/people/\?q=Okafor$"))
    assert_accessible(page)

    page.get_by_role("link", name="Amara Okafor").click()
    expect(heading(page)).to_have_text("Amara Okafor (she/her)")
    assert_accessible(page)
    assert blocked_by_csp == []


def test_search_works_without_javascript(new_context: NewContext) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "convenor")
    page.goto("/people/")
    page.locator("#id_q").fill("cheetham")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/people/\?q=cheetham$"))
    expect(page.locator("#results").get_by_role("link", name="Amara Okafor")).to_be_visible()


def test_participant_sees_only_their_own_record(page: Page) -> None:
    sign_in(page, "participant")
    expect(main_nav(page).get_by_role("link", name="People")).to_have_count(0)
    main_nav(page).get_by_role("link", name="My details").click()
    expect(heading(page)).to_have_text("Amara Okafor (she/her)")
    assert_accessible(page)

    response = page.goto("/people/")
    assert response is not None
    assert response.status == 404


def test_organisation_and_audit_pages_have_no_accessibility_violations(page: Page) -> None:
    sign_in(page, "convenor")
    main_nav(page).get_by_role("link", name="Organisations").click()
    expect(heading(page)).to_have_text("Organisations")
    assert_accessible(page)

    page.get_by_role("link", name="Cheetham Hill Women's Circle").click()
    expect(heading(page)).to_contain_text("Cheetham Hill Women's Circle")
    assert_accessible(page)

    main_nav(page).get_by_role("link", name="Audit log").click()
    expect(heading(page)).to_have_text("Audit log")
    assert_accessible(page)


def test_people_list_fits_a_360_pixel_phone_without_sideways_scrolling(
    new_context: NewContext,
) -> None:
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, "convenor")
    page.goto("/people/")
    expect(heading(page)).to_have_text("People")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
