"""The change form and the conversation page follow one rule: notes are shown only on a yes."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.listening.tests.factories import make_lab, record_conversation
from carecommons.people.models import Consent

pytestmark = pytest.mark.django_db
STORY = "My sister and I share caring for Dad since his stroke."


def test_notes_kept_for_someone_never_asked_are_neither_shown_nor_prefilled(
    organiser: User, client_for: Callable[[User], Client]
) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser, story=STORY)
    # Notes kept under a decision that is no longer on record: nobody has a yes from them now.
    Consent.objects.filter(person=conversation.person).delete()
    client = client_for(organiser)
    detail = client.get(reverse("listening:conversation_detail", args=[conversation.uuid]))
    assert STORY not in detail.content.decode()
    page = client.get(reverse("listening:conversation_edit", args=[conversation.uuid]))
    assert STORY not in page.content.decode()
    assert "story" not in page.context["form"].initial
    assert "consent_given" in page.context["form"].fields


def test_notes_are_prefilled_for_someone_who_said_yes(
    organiser: User, client_for: Callable[[User], Client]
) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser, story=STORY)
    page = client_for(organiser).get(reverse("listening:conversation_edit", args=[conversation.uuid]))
    assert page.context["form"].initial["story"] == STORY
