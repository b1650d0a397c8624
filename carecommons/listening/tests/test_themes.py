"""Issues and themes through the pages an organiser uses: adding issues, tagging them, suggestions,
the themes over time, quotes only where consent allows, and the untagged list."""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.audit.models import AuditEvent
from carecommons.listening import themes
from carecommons.listening.models import Conversation, Issue, Theme, ThemeDecision
from carecommons.listening.tests.factories import (
    conversation_wording,
    make_lab,
    make_person,
    record_conversation,
)
from carecommons.listening.theme_charts import describe, theme_chart
from carecommons.people.models import Consent, ConsentMethod, ConsentPurpose, Person
from carecommons.people.services import current_wording, publish_wording, record_consent
from carecommons.programmes.models import Programme
from conftest import make_user

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
OVERTIME = "They keep changing my rota and I do overtime that is never paid."
ALONE = "Since my husband died I am alone all week and nobody visits."


def agree_to_quotes(person: Person, *, given: bool = True) -> Consent:
    wording = current_wording(ConsentPurpose.QUOTES) or publish_wording(
        purpose=ConsentPurpose.QUOTES, text="You may quote my words, without my name.", by=None
    )
    return record_consent(
        person=person, purpose=ConsentPurpose.QUOTES, given=given, method=ConsentMethod.VERBAL,
        wording=wording, by=None,
    )  # fmt: skip


def withdraw_notes(person: Person) -> Consent:
    return record_consent(
        person=person, purpose=ConsentPurpose.CONVERSATION, given=False, method=ConsentMethod.EMAIL,
        wording=conversation_wording(), by=None,
    )  # fmt: skip


def a_theme(
    lab: Programme, name: str = "Working conditions", description: str = "Pay, rotas, overtime"
) -> Theme:
    return themes.create_theme(lab=lab, by=None, name=name, description=description)


def an_issue(
    conversation: Conversation,
    title: str = "Rota changes",
    words: str = OVERTIME,
    tags: list[Theme] | None = None,
) -> Issue:
    return themes.add_issue(
        conversation=conversation,
        by=None,
        title=title,
        words=words,
        themes=tags or [],
    )


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


@pytest.fixture
def lab(organiser: User) -> Programme:
    return make_lab(organiser=organiser)


@pytest.fixture
def client(organiser: User, client_for: ClientFor) -> Client:
    return client_for(organiser)


# --- Adding an issue ----------------------------------------------------------------------------


def test_organiser_adds_an_issue_with_words_and_themes(
    organiser: User, lab: Programme, client: Client
) -> None:
    theme = a_theme(lab)
    conversation = record_conversation(lab, by=organiser)
    url = reverse("listening:issue_create", args=[conversation.uuid])
    page = client.get(url)
    assert b"In their words" in page.content and b"Working conditions" in page.content
    data = {"title": "Unpaid overtime", "words": OVERTIME, "themes": [theme.uuid]}
    response = client.post(url, data)
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("listening:issue_detail", args=[issue.uuid])
    assert (issue.title, issue.words, list(issue.themes.all())) == ("Unpaid overtime", OVERTIME, [theme])
    with connection.cursor() as cursor:
        cursor.execute("SELECT words FROM listening_issue WHERE id = %s", [issue.pk])
        assert "overtime" not in cursor.fetchone()[0]
    [event] = events("listening.issue_added")
    assert event.detail == {
        "conversation": str(conversation.uuid),
        "themes": [str(theme.uuid)],
        "words_kept": True,
    }
    assert "overtime" not in str(event.detail)


def test_sending_the_issue_form_twice_adds_one_issue(organiser: User, lab: Programme, client: Client) -> None:
    conversation = record_conversation(lab, by=organiser)
    url = reverse("listening:issue_create", args=[conversation.uuid])
    key = client.get(url).context["form"]["submission"].value()
    data = {"submission": key, "title": "Unpaid overtime", "words": OVERTIME}
    first, second = client.post(url, data), client.post(url, data)
    assert Issue.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_add_another_returns_to_an_empty_form(organiser: User, lab: Programme, client: Client) -> None:
    conversation = record_conversation(lab, by=organiser)
    url = reverse("listening:issue_create", args=[conversation.uuid])
    response = client.post(url, {"title": "Unpaid overtime", "then": "another"})
    assert response["Location"] == url


def test_without_notes_consent_only_the_title_is_kept(
    organiser: User, lab: Programme, client: Client
) -> None:
    conversation = record_conversation(lab, by=organiser, consent=False)
    url = reverse("listening:issue_create", args=[conversation.uuid])
    page = client.get(url)
    assert b"Only a title is saved" in page.content
    assert "words" not in page.context["form"].fields
    client.post(url, {"title": "Unpaid overtime", "words": OVERTIME})
    assert Issue.objects.get().words == ""
    with pytest.raises(ValidationError) as error:
        an_issue(conversation)
    assert "words" in error.value.message_dict


def test_a_title_naming_the_person_is_refused_beside_the_field_keeping_what_was_typed(
    organiser: User, lab: Programme, client: Client
) -> None:
    conversation = record_conversation(lab, by=organiser, person=make_person("Amira", "Khan"))
    url = reverse("listening:issue_create", args=[conversation.uuid])
    response = client.post(url, {"title": "Amira's rota", "words": OVERTIME})
    assert response.status_code == 200
    assert "Leave names out" in response.context["form"].errors["title"][0]
    assert OVERTIME.encode() in response.content.replace(b"&#x27;", b"'")
    assert not Issue.objects.exists()


def test_themes_of_another_lab_cannot_be_chosen(organiser: User, lab: Programme, client: Client) -> None:
    a_theme(lab)
    elsewhere = a_theme(make_lab("Hillside Care Lab"))
    conversation = record_conversation(lab, by=organiser)
    url = reverse("listening:issue_create", args=[conversation.uuid])
    response = client.post(url, {"title": "Unpaid overtime", "themes": [elsewhere.uuid]})
    assert response.status_code == 200
    assert not Issue.objects.exists()
    with pytest.raises(ValidationError):
        an_issue(conversation, tags=[elsewhere])


# --- One issue: tagging and suggestions ---------------------------------------------------------


def test_issue_page_names_the_conversation_and_is_audited(
    organiser: User, lab: Programme, client: Client
) -> None:
    issue = an_issue(record_conversation(lab, by=organiser))
    response = client.get(reverse("listening:issue_detail", args=[issue.uuid]))
    assert b"A conversation with Amira Khan" in response.content
    assert OVERTIME.encode() in response.content.replace(b"&#x27;", b"'")
    [event] = events("listening.issue_viewed")
    assert event.target_id == str(issue.uuid) and event.detail == {}


def test_words_are_hidden_once_notes_consent_is_withdrawn(
    organiser: User, lab: Programme, client: Client
) -> None:
    conversation = record_conversation(lab, by=organiser)
    issue = an_issue(conversation)
    withdraw_notes(conversation.person)
    response = client.get(reverse("listening:issue_detail", args=[issue.uuid]))
    assert b"never paid" not in response.content
    assert b"withdrawn their consent" in response.content


def test_issue_is_suggested_a_theme_with_the_reason_and_accepting_tags_it(
    organiser: User, lab: Programme, client: Client
) -> None:
    working, _ = a_theme(lab), a_theme(lab, "Feeling alone", "Loneliness, isolation")
    an_issue(record_conversation(lab, by=organiser), "Overtime", "Unpaid overtime again", [working])
    issue = an_issue(record_conversation(lab, by=organiser, person=make_person("Ben")))
    url = reverse("listening:issue_detail", args=[issue.uuid])
    response = client.get(url)
    [(theme, suggestion)] = response.context["suggestions"]
    assert theme == working
    assert (
        "overtime" in suggestion.terms and "with 1 note tagged Working conditions" in suggestion.explanation
    )
    assert suggestion.explanation.encode() in response.content.replace(b"&#x27;", b"'")
    client.post(url, {"theme": working.uuid, "decision": "accept"})
    client.post(url, {"theme": working.uuid, "decision": "accept"})  # a double click
    assert list(issue.themes.all()) == [working]
    assert ThemeDecision.objects.get().accepted
    assert len(events("listening.theme_suggestion_accepted")) == 1
    assert len(events("listening.issue_tagged")) == 1
    assert client.get(url).context["suggestions"] == []


def test_a_rejected_suggestion_is_not_offered_again(organiser: User, lab: Programme, client: Client) -> None:
    working = a_theme(lab)
    issue = an_issue(record_conversation(lab, by=organiser))
    url = reverse("listening:issue_detail", args=[issue.uuid])
    assert [theme for theme, _ in client.get(url).context["suggestions"]] == [working]
    client.post(url, {"theme": working.uuid, "decision": "reject"})
    page = client.get(url)
    assert page.context["suggestions"] == [] and page.context["rejected"] == [working]
    assert not issue.themes.exists()
    [event] = events("listening.theme_suggestion_rejected")
    assert event.detail == {"theme": str(working.uuid)}
    untagged = client.get(reverse("listening:untagged", args=[lab.uuid]))
    assert untagged.context["rows"][0].suggestions == []


def test_themes_can_be_ticked_and_unticked_by_hand(organiser: User, lab: Programme, client: Client) -> None:
    working, alone = a_theme(lab), a_theme(lab, "Feeling alone", "")
    issue = an_issue(record_conversation(lab, by=organiser), tags=[working])
    url = reverse("listening:issue_detail", args=[issue.uuid])
    client.post(url, {"action": "themes", "themes": [alone.uuid]})
    assert list(issue.themes.all()) == [alone]
    assert [e.detail["theme"] for e in events("listening.issue_untagged")] == [str(working.uuid)]
    client.post(url, {"action": "themes", "themes": [alone.uuid]})
    assert [e.detail["theme"] for e in events("listening.issue_tagged")] == [str(alone.uuid)]


def test_a_theme_of_another_lab_cannot_be_accepted(organiser: User, lab: Programme, convenor: User) -> None:
    elsewhere = a_theme(make_lab("Hillside Care Lab"))
    issue = an_issue(record_conversation(lab, by=organiser))
    client = Client()
    client.force_login(convenor)  # sees both labs, still cannot mix them
    response = client.post(
        reverse("listening:issue_detail", args=[issue.uuid]), {"theme": elsewhere.uuid, "decision": "accept"}
    )
    assert response.status_code == 404
    assert not issue.themes.exists()


# --- Themes -------------------------------------------------------------------------------------


def test_organiser_adds_a_theme_and_a_duplicate_name_is_a_field_error(lab: Programme, client: Client) -> None:
    url = reverse("listening:theme_create", args=[lab.uuid])
    key = client.get(url).context["form"]["submission"].value()
    data = {"submission": key, "name": "Working  conditions", "description": "Pay and rotas"}
    assert client.post(url, data)["Location"] == reverse("listening:theme_list", args=[lab.uuid])
    client.post(url, data)  # a double click
    assert list(Theme.objects.values_list("name", flat=True)) == ["Working conditions"]
    response = client.post(url, {"name": "working conditions", "description": "Again"})
    assert response.status_code == 200
    assert "already has a theme" in response.context["form"].errors["name"][0]
    assert b"Again" in response.content
    assert len(events("listening.theme_created")) == 1


def test_the_same_theme_name_may_be_used_in_another_lab(lab: Programme) -> None:
    a_theme(lab)
    a_theme(make_lab("Hillside Care Lab"))
    assert Theme.objects.count() == 2


def test_themes_page_counts_issues_and_people_per_month(
    organiser: User, lab: Programme, client: Client
) -> None:
    working, alone, empty = a_theme(lab), a_theme(lab, "Feeling alone", ""), a_theme(lab, "Transport", "")
    amira, ben = make_person("Amira"), make_person("Ben")
    today = timezone.localdate().replace(day=1)
    earlier = date(today.year - 2, today.month, 1)
    for person, held_on in [(amira, today), (amira, today), (ben, earlier)]:
        an_issue(record_conversation(lab, by=organiser, person=person, held_on=held_on), tags=[working])
    an_issue(record_conversation(lab, by=organiser, person=ben, held_on=today), tags=[working, alone])
    response = client.get(reverse("listening:theme_list", args=[lab.uuid]))
    rows = {row.figure.theme: row.figure for row in response.context["rows"]}
    assert (rows[working].issues, rows[working].people) == (4, 2)
    assert rows[working].per_month[-1] == 3 and rows[working].earlier == 1
    assert (rows[alone].issues, rows[alone].people, rows[alone].per_month[-1]) == (1, 1, 1)
    assert (rows[empty].issues, rows[empty].people, sum(rows[empty].per_month)) == (0, 0, 0)
    assert response.context["months"][-1] == today and len(response.context["months"]) == 12
    content = response.content.decode()
    assert content.count('role="img"') == 3
    assert "Working conditions: 4 issues from 2 people." in content
    assert "<summary>Numbers for Working conditions</summary>" in content


def test_themes_page_makes_the_same_queries_however_many_issues(
    organiser: User, lab: Programme, client: Client
) -> None:
    def add(count: int) -> None:
        theme = a_theme(lab, f"Theme {Theme.objects.count()}", "")
        for i in range(count):
            conversation = record_conversation(
                lab, by=organiser, person=make_person(f"P{i}"), held_on=date(2026, 1 + i % 12, 1)
            )
            an_issue(conversation, tags=[theme])

    url = reverse("listening:theme_list", args=[lab.uuid])
    add(1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(6)
    add(3)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


# --- In whose words ----------------------------------------------------------------------------


def quoted_lab(organiser: User, lab: Programme, *, people: int) -> tuple[Theme, list[Person]]:
    theme = a_theme(lab)
    cast = [make_person(name, "Quoted") for name in ["Ada", "Bea", "Cy", "Di", "Ed"][:people]]
    for i, person in enumerate(cast):
        conversation = record_conversation(lab, by=organiser, person=person, held_on=date(2026, 3, 10 + i))
        an_issue(conversation, f"Issue {i}", f"Words of person {i} about overtime", [theme])
    return theme, cast


def test_quotes_show_only_people_who_agree_without_names_and_count_the_others(
    organiser: User, lab: Programme, client: Client
) -> None:
    theme, (ada, bea, cy, _) = quoted_lab(organiser, lab, people=4)
    agree_to_quotes(ada)
    agree_to_quotes(bea, given=False)
    agree_to_quotes(cy)
    withdraw_notes(cy)  # agreed to quotes, but not to notes any more
    response = client.get(reverse("listening:theme_detail", args=[theme.uuid]))
    content = response.content.decode()
    assert "Words of person 0" in content
    assert not any(f"Words of person {i}" in content for i in (1, 2, 3))
    assert "March 2026" in content and "Ada" not in content and "Quoted" not in content
    assert "And 3 more people raised this but did not agree to be quoted" in content
    [event] = events("listening.theme_viewed")
    assert event.detail == {"quotes": 1}


def test_withdrawing_quotes_consent_hides_the_quote_at_once(
    organiser: User, lab: Programme, client: Client
) -> None:
    theme, (ada, *_) = quoted_lab(organiser, lab, people=3)
    agree_to_quotes(ada)
    url = reverse("listening:theme_detail", args=[theme.uuid])
    assert b"Words of person 0" in client.get(url).content
    agree_to_quotes(ada, given=False)
    response = client.get(url)
    assert b"Words of person 0" not in response.content
    assert b"3 people raised this. None can be quoted" in response.content


def test_with_fewer_than_three_people_the_breakdown_is_hidden(
    organiser: User, lab: Programme, client: Client
) -> None:
    theme, (ada, _) = quoted_lab(organiser, lab, people=2)
    agree_to_quotes(ada)
    response = client.get(reverse("listening:theme_detail", args=[theme.uuid]))
    assert b"Words of person 0" in response.content
    assert b"more person" not in response.content
    assert b"Fewer than 3 people raised this" in response.content


def test_theme_page_lists_its_issues_with_links_but_no_names(
    organiser: User, lab: Programme, client: Client
) -> None:
    theme, _ = quoted_lab(organiser, lab, people=2)
    response = client.get(reverse("listening:theme_detail", args=[theme.uuid]))
    issues = list(response.context["page"].object_list)
    assert [issue.title for issue in issues] == ["Issue 1", "Issue 0"]
    assert reverse("listening:issue_detail", args=[issues[0].uuid]).encode() in response.content
    assert b"Quoted" not in response.content


def test_theme_page_makes_the_same_queries_however_many_issues_and_quotes(
    organiser: User, lab: Programme, client: Client
) -> None:
    theme = a_theme(lab)

    def add(count: int) -> None:
        for i in range(count):
            person = make_person(f"P{Issue.objects.count()}", "Quoted")
            agree_to_quotes(person, given=i % 2 == 0)
            conversation = record_conversation(
                lab, by=organiser, person=person, held_on=date(2026, 1 + i % 12, 3)
            )
            an_issue(conversation, f"Issue {i}", f"Words {i} about overtime", [theme])

    url = reverse("listening:theme_detail", args=[theme.uuid])
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).context["voices"].quotes) == 1
    add(30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25 and len(response.context["voices"].quotes) > 1
    assert len(few) == len(many)


# --- Untagged issues ---------------------------------------------------------------------------


def test_untagged_lists_issues_without_a_theme_with_suggestions_and_one_click_accept(
    organiser: User, lab: Programme, client: Client
) -> None:
    working = a_theme(lab)
    an_issue(record_conversation(lab, by=organiser), "Tagged", tags=[working])
    loose = an_issue(record_conversation(lab, by=organiser, person=make_person("Ben")), "Overtime")
    url = reverse("listening:untagged", args=[lab.uuid])
    response = client.get(url)
    [row] = response.context["rows"]
    assert row.issue == loose
    [(theme, suggestion)] = row.suggestions
    assert theme == working and "overtime" in suggestion.terms
    assert b"Accept" in response.content and b"Not this one" in response.content
    posted = client.post(url, {"issue": loose.uuid, "theme": working.uuid, "decision": "accept", "page": "1"})
    assert posted["Location"] == url + "?page=1"
    assert list(loose.themes.all()) == [working]
    assert client.get(url).context["rows"] == []
    assert events("listening.untagged_viewed")[0].detail == {"page": 1, "issues": 1}


def test_untagged_refuses_an_issue_from_another_lab(organiser: User, lab: Programme, convenor: User) -> None:
    other = make_lab("Hillside Care Lab", organiser=organiser)
    working = a_theme(lab)
    issue = an_issue(record_conversation(other, by=organiser))
    client = Client()
    client.force_login(convenor)
    data = {"issue": issue.uuid, "theme": working.uuid, "decision": "accept"}
    assert client.post(reverse("listening:untagged", args=[lab.uuid]), data).status_code == 404
    assert not issue.themes.exists()


def test_untagged_makes_the_same_queries_however_many_issues(
    organiser: User, lab: Programme, client: Client
) -> None:
    working = a_theme(lab)
    an_issue(record_conversation(lab, by=organiser), tags=[working])

    def add(count: int) -> None:
        for i in range(count):
            an_issue(record_conversation(lab, by=organiser, person=make_person(f"P{i}")), f"Overtime {i}")

    url = reverse("listening:untagged", args=[lab.uuid])
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).context["rows"]) == 2
    add(30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 25 and response.context["page"].has_next()
    assert len(few) == len(many)
    assert all(row.suggestions for row in response.context["rows"])


# --- Who may see -------------------------------------------------------------------------------


def test_every_page_is_a_404_for_organisers_of_other_labs_and_evaluators(
    organiser: User, lab: Programme, evaluator: User, client_for: ClientFor
) -> None:
    theme = a_theme(lab)
    conversation = record_conversation(lab, by=organiser)
    issue = an_issue(conversation, tags=[theme])
    elsewhere = make_user("hillside", [Role.ORGANISER])
    make_lab("Hillside Care Lab", organiser=elsewhere)
    urls = [
        reverse("listening:issue_create", args=[conversation.uuid]),
        reverse("listening:issue_detail", args=[issue.uuid]),
        reverse("listening:theme_list", args=[lab.uuid]),
        reverse("listening:theme_create", args=[lab.uuid]),
        reverse("listening:untagged", args=[lab.uuid]),
        reverse("listening:theme_detail", args=[theme.uuid]),
    ]
    for who in (client_for(elsewhere), client_for(evaluator)):
        for url in urls:
            assert who.get(url).status_code == 404, url
            assert who.post(url, {"title": "x", "name": "x"}).status_code == 404, url
    for url in urls:
        assert client_for(organiser).get(url).status_code == 200, url
    assert Issue.objects.count() == 1 and Theme.objects.count() == 1


def test_chart_words_and_names_are_escaped_and_quiet_months_said_plainly() -> None:
    months = themes.months_ending(date(2026, 3, 1), 3)
    assert months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert describe("Pay", months, [0, 0, 0], issues=1, people=1) == (
        "Pay: 1 issue from 1 person. None from January 2026 to March 2026."
    )
    words = describe("Pay", months, [2, 5, 5], issues=14, people=9)
    assert words.endswith("From January 2026 to March 2026: 12 issues, the most in March 2026 (5).")
    chart = theme_chart("c", "<Rota> & pay", months, [2, 5, 5], scale=5, desc=words)
    assert "&lt;Rota&gt; &amp; pay" in chart and "<Rota>" not in chart
    assert chart.count("<rect") == 3
