"""Who may see what a person said, and when: one rule in listening/notes.py, followed by the
conversation page, the change form, adding an issue and the issue queries."""

import pytest
from django.core.exceptions import ValidationError

from carecommons.accounts.models import User
from carecommons.listening import notes, themes
from carecommons.listening.models import Conversation, Issue
from carecommons.listening.tests.factories import conversation_wording, make_lab, record_conversation
from carecommons.people.consent import decision
from carecommons.people.models import Consent, ConsentMethod, ConsentPurpose
from carecommons.people.services import record_consent

pytestmark = pytest.mark.django_db
STORY = "My sister and I share caring for Dad since his stroke."


def withdraw(conversation: Conversation) -> None:
    record_consent(
        person=conversation.person,
        purpose=ConsentPurpose.CONVERSATION,
        given=False,
        method=ConsentMethod.VERBAL,
        wording=conversation_wording(),
        by=None,
    )


def shown(conversation: Conversation) -> bool:
    conversation.refresh_from_db()
    latest = decision(conversation.person, ConsentPurpose.CONVERSATION)
    assert notes.notes_shown_with(conversation, latest) == notes.notes_shown(conversation)
    return notes.notes_shown(conversation)


def test_notes_are_shown_only_while_kept_with_consent_and_the_latest_decision_is_yes(organiser: User) -> None:
    lab = make_lab(organiser=organiser)
    agreed = record_conversation(lab, by=organiser, story=STORY)
    never_kept = record_conversation(lab, by=organiser, consent=False, story=STORY)
    withdrawn = record_conversation(lab, by=organiser, story=STORY)
    withdraw(withdrawn)
    never_asked = record_conversation(lab, by=organiser, story=STORY)
    Consent.objects.filter(person=never_asked.person).delete()

    assert shown(agreed)
    assert not shown(never_kept)
    assert not shown(withdrawn)
    assert not shown(never_asked)
    assert notes.notes_allowed(agreed.person) and not notes.notes_allowed(withdrawn.person)


def test_the_issue_query_keeps_words_for_exactly_the_people_the_rule_allows(organiser: User) -> None:
    lab = make_lab(organiser=organiser)
    kept = record_conversation(lab, by=organiser, story=STORY)
    later_withdrawn = record_conversation(lab, by=organiser, story=STORY)
    for conversation in (kept, later_withdrawn):
        themes.add_issue(conversation=conversation, by=None, title="Caring alone", words="Tired all the time")
    withdraw(later_withdrawn)

    with_words = Issue.objects.annotate(ok=notes.words_kept())
    assert {issue.conversation_id: issue.ok for issue in with_words} == {
        kept.pk: notes.notes_allowed(kept.person),
        later_withdrawn.pk: notes.notes_allowed(later_withdrawn.person),
    }
    assert [themes.words_kept_for(issue) for issue in with_words.order_by("conversation_id")] == [True, False]


def test_adding_an_issue_refuses_their_words_once_consent_is_withdrawn(organiser: User) -> None:
    conversation = record_conversation(make_lab(organiser=organiser), by=organiser, story=STORY)
    withdraw(conversation)
    conversation.refresh_from_db()
    with pytest.raises(ValidationError, match="not agreed to notes"):
        themes.add_issue(conversation=conversation, by=None, title="Caring alone", words="Tired all the time")
    assert themes.add_issue(conversation=conversation, by=None, title="Caring alone").words == ""
