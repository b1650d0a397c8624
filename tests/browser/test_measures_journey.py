"""Issue 4's journey in real Chromium on a phone-sized screen: the participant answers the mid-point
questionnaires the demo opened for them, gives an answer someone should follow up, sees where to
find support at once and then their scores over time, and the facilitator finds the safeguarding
alert on their home page — with no accessibility violations on the way."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser
NewContext = Callable[..., BrowserContext]
PHONE = {"width": 360, "height": 740}


def choose(page: Page, number: int, label: str) -> None:
    question = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
    question.get_by_label(label, exact=True).check()


# PHQ-9 items 1 to 9: moderate, with item 9 (thoughts of being better off dead) on "Several days".
PHQ9 = [
    "Several days",
    "More than half the days",
    "Several days",
    "More than half the days",
    "Several days",
    "Several days",
    "Not at all",
    "Not at all",
    "Several days",
]


def test_a_risk_answer_shows_support_at_once_and_reaches_the_facilitator(new_context: NewContext) -> None:
    participant = new_context(viewport=PHONE).new_page()
    sign_in(participant, "participant")
    participant.get_by_role("link", name="Answer the questionnaires").click()
    expect(participant.get_by_role("heading", level=1)).to_have_text("Your mid-point questionnaires")
    assert_accessible(participant)

    # The facilitator typed in her paper CEAS forms already, so the link carries on where they left off.
    participant.get_by_role("link", name=re.compile("^(Start|Continue)")).click()
    expect(participant.get_by_text("Questionnaire 1 of 2")).to_be_visible()
    assert_accessible(participant)
    for number, label in enumerate(PHQ9, start=1):
        choose(participant, number, label)
    participant.get_by_role("button", name="Send these answers").click()

    expect(participant.get_by_text("Questionnaire 2 of 2")).to_be_visible()
    support = participant.locator(".signposting")
    expect(support).to_contain_text("Samaritans")
    expect(support.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(support).to_contain_text("Someone from Growing Cultures of Radical Caring will get in touch")
    assert_accessible(participant)
    for number in range(1, 8):
        choose(participant, number, "Several days" if number % 3 == 0 else "Not at all")
    participant.get_by_role("button", name="Send these answers").click()

    expect(participant.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(participant.locator(".signposting")).to_contain_text("116 123")
    expect(participant.get_by_text("This link is now used up")).to_be_visible()
    assert_accessible(participant)

    participant.goto("/measures/mine/")
    said = participant.get_by_role("paragraph").filter(has_text="Your PHQ-9 score went from 12 at the start")
    expect(said).to_be_visible()
    expect(participant.get_by_role("img", name="Three flows of compassion")).to_be_visible()
    assert_accessible(participant)

    facilitator = new_context(viewport=PHONE).new_page()
    sign_in(facilitator, "facilitator")
    facilitator.goto("/")
    card = facilitator.locator(
        ".card", has=facilitator.get_by_role("heading", name="Safeguarding follow-up needed")
    )
    expect(card).to_contain_text("Someone in Cohort 2026 needs a person to get in touch")
    card.get_by_role("link", name="Open the alert").click()
    expect(facilitator.get_by_role("heading", level=1)).to_have_text("Safeguarding follow-up: Amara Okafor")
    expect(facilitator.locator(".summary")).to_contain_text("Open.")
    assert_accessible(facilitator)
