"""Expected statuses for issues and themes. As for conversations, the target lab is organised by the
organiser persona (when it exists), so organisers and convenors get in; everyone else gets a 404."""

import uuid
from typing import Any

from carecommons.accounts.models import Role, User
from carecommons.listening import themes
from carecommons.listening.models import Conversation
from carecommons.listening.tests.factories import make_lab, make_person, record_conversation
from carecommons.programmes.models import Programme
from conftest import make_user
from tests.matrix import DIRECTORY, Case


def organiser_persona() -> User | None:
    return User.objects.filter(email="organiser@example.org").first()


def target_lab() -> Programme:
    return make_lab(organiser=organiser_persona())


def target_conversation(lab: Programme) -> Conversation:
    recorder = organiser_persona() or make_user(
        f"recorder-{uuid.uuid4().hex[:8]}", [Role.ORGANISER], totp=False
    )
    return record_conversation(lab, by=recorder, person=make_person("Target", "Person"))


def lab_args() -> dict[str, Any]:
    return {"lab_id": target_lab().uuid}


def conversation_args() -> dict[str, Any]:
    return {"conversation_id": target_conversation(target_lab()).uuid}


def issue_args() -> dict[str, Any]:
    conversation = target_conversation(target_lab())
    issue = themes.add_issue(conversation=conversation, by=None, title="Unpaid travel", words="Private words")
    return {"issue_id": issue.uuid}


def theme_args() -> dict[str, Any]:
    theme = themes.create_theme(lab=target_lab(), by=None, name="Working conditions")
    return {"theme_id": theme.uuid}


MATRIX: dict[str, Case] = {
    "listening:issue_create": Case(DIRECTORY, args=conversation_args),
    "listening:issue_detail": Case(DIRECTORY, args=issue_args),
    "listening:theme_list": Case(DIRECTORY, args=lab_args),
    "listening:theme_create": Case(DIRECTORY, args=lab_args),
    "listening:untagged": Case(DIRECTORY, args=lab_args),
    "listening:theme_detail": Case(DIRECTORY, args=theme_args),
}
