"""Notes are encrypted at rest (lib/encrypted.py) and keys can be rotated (rotate_field_keys)."""

from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.lib import encrypted
from carecommons.listening.models import Conversation, Issue
from carecommons.listening.tests.factories import make_lab, make_person, record_conversation

pytestmark = pytest.mark.django_db
STORY = "I look after my mum three nights a week and nobody asks how I am."
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (fixed names)
        return str(cursor.fetchone()[0])


def raw_story(conversation: Conversation) -> str:
    return raw("listening_conversation", "story", conversation.pk)


def conversation_with_notes(organiser: User, **notes: Any) -> Conversation:
    return record_conversation(make_lab(organiser=organiser), by=organiser, story=STORY, **notes)


def rotate(*options: str) -> str:
    out = StringIO()
    call_command("rotate_field_keys", *options, stdout=out)
    return out.getvalue()


def test_notes_read_back_as_written(organiser: User) -> None:
    conversation = conversation_with_notes(organiser, gifts="Urdu, baking, forms")
    fresh = Conversation.objects.get(pk=conversation.pk)
    assert (fresh.story, fresh.gifts, fresh.concerns) == (STORY, "Urdu, baking, forms", "")


def test_the_database_holds_a_token_not_the_words(organiser: User) -> None:
    conversation = conversation_with_notes(organiser)
    stored = raw_story(conversation)
    assert stored.startswith("gAAAA")
    assert "mum" not in stored and STORY not in stored
    assert raw("listening_conversation", "concerns", conversation.pk) == ""


def test_the_same_words_encrypt_differently_each_time(organiser: User) -> None:
    first = conversation_with_notes(organiser)
    second = record_conversation(first.lab, by=organiser, person=make_person("Ben"), story=STORY)
    assert raw_story(first) != raw_story(second)


def test_an_issues_words_are_encrypted_too(organiser: User) -> None:
    conversation = conversation_with_notes(organiser)
    issue = Issue.objects.create(conversation=conversation, title="Nobody asks", words="Nobody asks how I am")
    assert "Nobody" not in raw("listening_issue", "words", issue.pk)
    assert Issue.objects.get(pk=issue.pk).words == "Nobody asks how I am"


@pytest.mark.parametrize("lookup", ["story", "story__icontains", "story__startswith", "story__in"])
def test_the_database_refuses_to_filter_by_notes(lookup: str) -> None:
    query: dict[str, Any] = {lookup: ["x"] if lookup.endswith("__in") else "x"}
    with pytest.raises(TypeError, match="encrypted"):
        Conversation.objects.filter(**query)


def test_a_transform_of_a_note_is_refused() -> None:
    query: dict[str, Any] = {"story__lower": "x"}  # a literal keyword would crash mypy's Django plugin
    with pytest.raises(TypeError, match="encrypted"):
        Conversation.objects.filter(**query)


def test_isnull_is_still_allowed(organiser: User) -> None:
    conversation_with_notes(organiser)
    assert Conversation.objects.filter(story__isnull=False).count() == 1


def test_a_wrong_key_fails_loudly_naming_the_field(organiser: User, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    conversation = conversation_with_notes(organiser)
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(ImproperlyConfigured, match=r"listening\.Conversation\.story"):
        Conversation.objects.get(pk=conversation.pk)


def test_a_key_that_is_not_a_fernet_key_is_refused(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        encrypted.encrypt("anything")


def test_any_listed_key_reads_and_the_first_writes(organiser: User, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    conversation = conversation_with_notes(organiser)
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert Conversation.objects.get(pk=conversation.pk).story == STORY
    newer = record_conversation(conversation.lab, by=organiser, person=make_person("Ben"), story="New words")
    assert Fernet(NEW.encode()).decrypt(raw_story(newer).encode()) == b"New words"


def test_rotation_rewrites_every_value_under_the_new_key(organiser: User, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    conversation = conversation_with_notes(organiser, cares_about="Respite", follow_up="Call on Friday")
    Issue.objects.create(conversation=conversation, title="Respite", words="There is no respite")
    updated_at = Conversation.objects.get(pk=conversation.pk).updated_at
    before = raw_story(conversation)
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert rotate("--check") == "4 encrypted values still under older keys.\n"
    assert raw_story(conversation) == before
    assert rotate() == "Rewrote 4 encrypted values under the newest key.\n"
    assert rotate("--check") == "0 encrypted values still under older keys.\n"
    assert rotate() == "Rewrote 0 encrypted values under the newest key.\n"
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    fresh = Conversation.objects.get(pk=conversation.pk)
    assert (fresh.story, fresh.cares_about, fresh.follow_up) == (STORY, "Respite", "Call on Friday")
    assert Issue.objects.get().words == "There is no respite"
    assert raw_story(conversation) != before
    assert fresh.updated_at == updated_at
    event = AuditEvent.objects.filter(action="encryption.keys_rotated").order_by("id").first()
    assert event is not None and event.detail == {"values": 4}


def test_rotation_works_through_more_than_one_batch(organiser: User, settings: Any, monkeypatch: Any) -> None:
    from carecommons.home.management.commands import rotate_field_keys

    monkeypatch.setattr(rotate_field_keys, "BATCH", 2)
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    lab = make_lab(organiser=organiser)
    for n in range(5):
        record_conversation(lab, by=organiser, person=make_person(f"P{n}"), story=f"Story {n}")
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert rotate() == "Rewrote 5 encrypted values under the newest key.\n"
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert sorted(c.story for c in Conversation.objects.all()) == [f"Story {n}" for n in range(5)]


def test_field_key_prints_a_new_fernet_key() -> None:
    out = StringIO()
    call_command("field_key", stdout=out)
    key = out.getvalue().strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"ok")) == b"ok"
