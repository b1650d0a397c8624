"""Expected statuses for Care Lab conversations and the engagement ladder. The target lab is organised
by the organiser persona (when it exists), so organisers and convenors get in; everyone else, members
of the lab included, gets a 404. The labs and follow-ups pages are a 404 for an organiser who organises
no lab."""

import uuid
from typing import Any

from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.listening.tests.factories import make_lab, make_person, record_conversation
from carecommons.programmes.tests.factories import person_of
from conftest import make_user
from tests.matrix import DIRECTORY, Case


def organiser_persona() -> User | None:
    return User.objects.filter(email="organiser@example.org").first()


def lab_args() -> dict[str, Any]:
    return {"lab_id": make_lab(organiser=organiser_persona()).uuid}


def labs_page_args() -> dict[str, Any]:
    make_lab(organiser=organiser_persona())
    return {}


def conversation_args() -> dict[str, Any]:
    organiser = organiser_persona()
    lab = make_lab(organiser=organiser)
    recorder = organiser or make_user(f"recorder-{uuid.uuid4().hex[:8]}", [Role.ORGANISER], totp=False)
    owner = person_of(recorder)
    conversation = record_conversation(
        lab,
        by=recorder,
        person=make_person("Target", "Person"),
        story="Private words",
        follow_up_owner=owner,
        follow_up_due=timezone.localdate(),
    )
    return {"conversation_id": conversation.uuid}


MATRIX: dict[str, Case] = {
    "listening:lab_list": Case(DIRECTORY, args=labs_page_args),
    "listening:follow_ups": Case(DIRECTORY, args=labs_page_args),
    "listening:conversation_list": Case(DIRECTORY, args=lab_args),
    "listening:conversation_create": Case(DIRECTORY, args=lab_args),
    "listening:ladder": Case(DIRECTORY, args=lab_args),
    "listening:conversation_detail": Case(DIRECTORY, args=conversation_args),
    "listening:conversation_edit": Case(DIRECTORY, args=conversation_args),
    "listening:follow_up_done": Case(DIRECTORY, method="post", ok=302, args=conversation_args),
}
