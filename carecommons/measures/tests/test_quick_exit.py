from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.listening.tests.factories import make_lab, record_conversation
from carecommons.measures.tests.factories import PHQ9_CALM, answer, invite, link
from carecommons.programmes.tests.factories import make_cohort

pytestmark = pytest.mark.django_db

EXIT = "https://weather.example/quick-exit"
BUTTON = f'<a class="quick-exit-button" href="{EXIT}"'


def has_quick_exit(page: str) -> bool:
    return BUTTON in page and "Exit this page" in page and "js/quick-exit.js" in page


@override_settings(QUICK_EXIT_URL=EXIT)
def test_questionnaire_and_support_pages_have_exit_this_page(participant: User) -> None:
    invitation = invite(participant, cohort=make_cohort())
    client = Client()
    assert has_quick_exit(client.get(link(invitation)).content.decode())
    assert has_quick_exit(client.get(f"{link(invitation)}phq9/").content.decode())
    assert has_quick_exit(client.get(reverse("measures:signposting")).content.decode())


@override_settings(QUICK_EXIT_URL=EXIT)
def test_a_participants_own_progress_and_answers_have_exit_this_page(
    participant: User, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant, cohort=make_cohort())
    response = answer(invitation, "phq9", PHQ9_CALM)
    client = client_for(participant)
    assert has_quick_exit(client.get(reverse("measures:my_progress")).content.decode())
    assert has_quick_exit(
        client.get(reverse("measures:response_detail", args=[response.uuid])).content.decode()
    )


@override_settings(QUICK_EXIT_URL=EXIT)
def test_a_persons_story_has_exit_this_page_where_it_is_read_and_written(
    organiser: User, client_for: Callable[[User], Client]
) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser)
    client = client_for(organiser)
    for url in (
        reverse("listening:conversation_create", args=[lab.uuid]),
        reverse("listening:conversation_detail", args=[conversation.uuid]),
        reverse("listening:conversation_edit", args=[conversation.uuid]),
    ):
        assert has_quick_exit(client.get(url).content.decode()), url


def test_pages_without_personal_stories_have_no_exit_button(
    convenor: User, client_for: Callable[[User], Client]
) -> None:
    assert "Exit this page" not in client_for(convenor).get(reverse("home:index")).content.decode()
