"""Issue 5's journey in real Chromium: the demo organiser records a conversation in the Riverside
Care Lab with notes, adds an issue and tags it with a theme, adds a community asset that could help
with it, and opens the network map — with no accessibility violations on those pages, the lists of
follow-ups, conversations and assets, a conversation and an asset included."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accounts import sign_in
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser
STORY = "Looks after her sister, who has motor neurone disease, and works nights in a care home."
WORDS = "When I'm ill there is nobody to take over, so I go in to my sister with a temperature."


def test_organiser_records_a_conversation_tags_its_issue_adds_an_asset_and_opens_the_map(page: Page) -> None:
    sign_in(page, "organiser")
    page.get_by_role("link", name="Listening", exact=True).click()
    page.get_by_role("link", name="Your follow-ups due this week or overdue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your follow-ups")
    assert_accessible(page)
    page.get_by_role("link", name="Listening", exact=True).first.click()
    page.get_by_role("link", name="Riverside Care Lab", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conversations in Riverside Care Lab")
    expect(page.get_by_role("table")).to_contain_text("Rob Stanley")
    assert_accessible(page)

    page.get_by_role("link", name="Record a conversation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a conversation")
    assert_accessible(page)
    page.get_by_label("Or someone else: their email").fill("winifred.ashby@example.org")
    page.get_by_label("Their first name, if they are new").fill("Winifred")
    page.get_by_label("Their last name, if they are new").fill("Ashby")
    page.get_by_label("Who listened").select_option(label="Priya Raman (organiser@example.org)")
    page.get_by_label("Phone").check()
    page.get_by_label("They agreed to notes being kept").check()
    page.get_by_label("Their story").fill(STORY)
    page.get_by_label("Engagement level").select_option(label="Listened to")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conversation with Winifred Ashby")
    expect(page.get_by_text(STORY)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add an issue they raised").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an issue")
    page.get_by_label("Title").fill("No cover when a carer is ill")
    page.get_by_label("In their words").fill(WORDS)
    page.get_by_role("button", name="Add the issue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Issue: No cover when a carer is ill")
    expect(page.locator("blockquote")).to_contain_text(WORDS)
    tagging = page.locator("form", has=page.get_by_role("button", name="Save the themes"))
    tagging.get_by_label("Respite for carers").check()
    tagging.get_by_role("button", name="Save the themes").click()
    themes = page.locator("dd", has=page.locator("a.tag"))
    expect(themes.get_by_role("link", name="Respite for carers")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Themes", exact=True).click()
    page.get_by_role("link", name="Assets", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Riverside Care Lab")
    assert_accessible(page)
    page.get_by_role("link", name="Add an asset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an asset")
    assert_accessible(page)
    page.get_by_label("Name").fill("Sitting service at the carers centre")
    page.get_by_label("Category").select_option(label="Associations")
    page.get_by_label("Description").fill("Volunteers sit with the person cared for for an afternoon.")
    page.get_by_label("Postcode").fill("m5 9zx")
    page.get_by_label("Issues it could help with").select_option(label="No cover when a carer is ill")
    page.get_by_role("button", name="Add the asset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Sitting service at the carers centre")
    )
    expect(page.get_by_text("M5 9ZX")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Relationship network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relationship network: Riverside Care Lab")
    expect(page.locator("#network-map canvas").first).to_be_visible()
    expect(page.locator("#network-map-section")).to_be_visible()
    lists = page.locator("#network-lists")
    expect(lists.get_by_role("table", name=re.compile("^Everyone in the snapshot"))).to_contain_text(
        "Agnes Boateng"
    )
    expect(lists.get_by_role("table", name=re.compile("^People and organisations who hold"))).to_be_visible()
    expect(lists).to_contain_text("Kevin Rourke")
    assert_accessible(page)
