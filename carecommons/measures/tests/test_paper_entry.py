"""Staff entering a paper questionnaire on a person's behalf."""

from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.measures.models import Invitation, Response, SafeguardingAlert
from carecommons.measures.tests.factories import PHQ9_CALM, answer, invite, make_wave
from carecommons.programmes.models import Cohort
from carecommons.programmes.tests.factories import make_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shipped_wording_only(settings: Any, tmp_path: Path) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path


@pytest.fixture
def cohort(facilitator: User) -> Cohort:
    cohort = make_cohort(facilitator=facilitator)
    make_wave(cohort.programme, instruments=["phq9", "ceas_self"])
    return cohort


def paper_url(invitation: Invitation, instrument: str) -> str:
    return f"/measures/paper/{invitation.uuid}/{instrument}/"


def form_data(answers: Sequence[int | None], day: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {f"item_{n}": "" if a is None else a for n, a in enumerate(answers, 1)}
    return {**data, "answered_on": day or timezone.localdate().isoformat()}


def test_the_form_lists_items_with_their_wording_and_the_response_key(
    facilitator: User, participant: User, cohort: Cohort, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant, cohort=cohort)
    content = client_for(facilitator).get(paper_url(invitation, "phq9")).content.decode()
    assert "Date the form was filled in" in content
    assert "Item 9" in content and escape("Thoughts that you would be better off dead") in content
    assert "0 = Not at all" in content and "3 = Nearly every day" in content
    assert "Pfizer" in content


def test_an_instrument_without_licensed_wording_shows_item_numbers_and_values_only(
    facilitator: User, participant: User, cohort: Cohort, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant, cohort=cohort)
    content = client_for(facilitator).get(paper_url(invitation, "ceas_self")).content.decode()
    assert "Item 13" in content and "only item numbers are shown" in content
    assert '<span class="tag">1</span>' in content and '<span class="tag">10</span>' in content


def test_a_paper_form_is_saved_as_paper_with_who_entered_it_and_when_it_was_filled_in(
    facilitator: User, participant: User, cohort: Cohort, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant, cohort=cohort)
    filled_in = timezone.localdate() - timedelta(days=3)
    answers: list[int | None] = [1, 2, None, 0, 1, 0, 0, 0, 0, None]  # gaps, as the form came back
    page = client_for(facilitator).post(
        paper_url(invitation, "phq9"), form_data(answers, filled_in.isoformat())
    )
    assert page.status_code == 302
    response = Response.objects.get()
    assert (response.mode, response.status, response.entered_by) == ("paper", "submitted", facilitator)
    assert response.answered_on == filled_in
    assert response.answers == answers
    assert response.scores == {"total": None}  # no PHQ-9 total with an item missing
    assert AuditEvent.objects.filter(action="measures.response_sent", actor=facilitator).count() == 1
    shown = client_for(facilitator).get(paper_url(invitation, "phq9")).content.decode()
    assert "entered from paper by facilitator@example.org" in shown and "<form method" not in shown


def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(
    facilitator: User, participant: User, cohort: Cohort, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant, cohort=cohort)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = {**form_data([1, 7, 0, 0, 0, 0, 0, 0, 0], tomorrow), "item_4": "two"}
    page = client_for(facilitator).post(paper_url(invitation, "phq9"), data)
    assert page.status_code == 200
    content = page.content.decode()
    assert content.count("Enter a whole number from 0 to 3, or leave it blank.") == 2
    assert "Enter a date that is not in the future." in content
    assert 'value="two"' in content and 'name="item_1" value="1"' in content
    assert not Response.objects.exists()


def test_a_risk_answer_on_paper_opens_a_follow_up_and_says_so_with_a_link(
    facilitator: User, participant: User, cohort: Cohort, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant, cohort=cohort)
    client = client_for(facilitator)
    page = client.post(paper_url(invitation, "phq9"), form_data([0, 0, 0, 0, 0, 0, 0, 0, 1]))
    content = client.get(page["Location"]).content.decode()
    alert = SafeguardingAlert.objects.get()
    assert "A safeguarding follow-up has been opened" in content
    assert f'href="/measures/alerts/{alert.uuid}/"' in content


def test_entering_the_same_form_twice_changes_nothing(
    facilitator: User, participant: User, cohort: Cohort, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant, cohort=cohort)
    client = client_for(facilitator)
    client.post(paper_url(invitation, "phq9"), form_data(PHQ9_CALM))
    again = client.post(paper_url(invitation, "phq9"), form_data([3] * 9))
    assert again.status_code == 200  # the page now says the form is entered, with no form to send
    assert Response.objects.get().answers == PHQ9_CALM
    assert not SafeguardingAlert.objects.exists()


def test_answers_sent_online_cannot_be_overwritten_from_paper(
    facilitator: User, participant: User, cohort: Cohort, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant, cohort=cohort)
    answer(invitation, "phq9", PHQ9_CALM)
    page = client_for(facilitator).post(paper_url(invitation, "phq9"), form_data([3] * 9))
    assert "answered this questionnaire online" in page.content.decode()
    assert Response.objects.get().mode == "online"


def test_a_form_that_came_back_after_the_link_expired_can_still_be_entered(
    facilitator: User, participant: User, cohort: Cohort, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant, cohort=cohort)
    past = timezone.now() - timedelta(days=1)
    Invitation.objects.filter(pk=invitation.pk).update(opens_at=past - timedelta(days=30), expires_at=past)
    client_for(facilitator).post(paper_url(invitation, "ceas_self"), form_data([5] * 13))
    assert Response.objects.get().mode == "paper"


def test_only_the_people_who_run_the_cohort_can_enter_its_forms(
    participant: User, cohort: Cohort, client_for: Callable[[User], Client], make_persona: Any
) -> None:
    invitation = invite(participant, cohort=cohort)
    other = make_persona("organiser")
    make_cohort(cohort.programme, facilitator=other, name="Cohort 2")
    for user in (other, participant):
        assert client_for(user).get(paper_url(invitation, "phq9")).status_code == 404
        assert client_for(user).post(paper_url(invitation, "phq9"), form_data(PHQ9_CALM)).status_code == 404
    assert Client().get(paper_url(invitation, "phq9")).status_code == 302
    assert not Response.objects.exists()


def test_an_instrument_outside_the_wave_is_not_found(
    facilitator: User, participant: User, cohort: Cohort, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant, cohort=cohort)
    assert client_for(facilitator).get(paper_url(invitation, "gad7")).status_code == 404
