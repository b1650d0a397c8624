"""Answering through the private link, the support page, and the cohort's questionnaire status page."""

import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.measures.engine.scoring import Answer
from carecommons.measures.models import Invitation, Response, SafeguardingAlert, Wave
from carecommons.measures.running import notifications, services
from carecommons.measures.running.deployment import wording_for
from carecommons.measures.tests.factories import (
    GAD7_CALM,
    PHQ9_CALM,
    PHQ9_RISK,
    answer,
    invite,
    link,
    make_wave,
)
from carecommons.people.models import Person
from carecommons.people.services import create_person
from carecommons.programmes.models import Cohort
from carecommons.programmes.tests.factories import enrol, make_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shipped_wording_only(settings: Any, tmp_path: Path) -> None:
    """Only the wording shipped in the repository: a developer's licensed texts must not change results."""
    settings.INSTRUMENT_TEXT_DIR = tmp_path


def send(
    client: Client, invitation: Invitation, instrument: str, answers: Sequence[Answer], action: str = "send"
) -> Any:
    data: dict[str, Any] = {f"item_{n}": value for n, value in enumerate(answers, 1) if value is not None}
    return client.post(f"{link(invitation)}{instrument}/", {**data, "action": action})


def checked(content: str, item: int, value: int) -> bool:
    tag = re.search(rf'<input type="radio" name="item_{item}" value="{value}"[^>]*>', content)
    return tag is not None and "checked" in tag.group(0)


def signposting_section(content: str) -> str:
    match = re.search(r'<section class="signposting".*?</section>', content, re.S)
    return match.group(0) if match else ""


# --- The person's side -------------------------------------------------------------------------


def test_the_start_page_says_what_to_expect_and_which_questionnaires_are_on_paper(participant: User) -> None:
    cohort = make_cohort(name="Spring group")
    wave = make_wave(cohort.programme, instruments=["phq9", "gad7", "ceas_self"])
    invitation = invite(participant, cohort=cohort, wave=wave)
    page = Client().get(link(invitation))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Spring group" in content and "Radical Self-Care" in content
    assert "There are 2 questionnaires to answer here" in content
    assert "save your answers and come back" in content
    assert "On paper with your facilitator" in content  # CEAS: no licensed wording here
    assert f'href="{link(invitation)}phq9/"' in content and ">Start<" in content
    assert "Your facilitators do not see them" in content


def test_a_wrong_token_or_an_unknown_link_is_not_found(participant: User) -> None:
    invitation = invite(participant)
    client = Client()
    assert client.get(f"/measures/a/{invitation.uuid}/{'0' * 40}/").status_code == 404
    assert client.get(f"/measures/a/{invitation.uuid}/{'0' * 40}/phq9/").status_code == 404
    other = Invitation(uuid="00000000-0000-4000-8000-000000000000")
    assert client.get(link(other)).status_code == 404


def test_an_expired_link_says_so_and_takes_no_answers(participant: User) -> None:
    invitation = invite(participant)
    answer(invitation, "phq9", PHQ9_CALM[:3], send=False)
    past = timezone.now() - timedelta(days=1)
    Invitation.objects.filter(pk=invitation.pk).update(opens_at=past - timedelta(days=30), expires_at=past)
    client = Client()
    for url in (link(invitation), f"{link(invitation)}phq9/", f"{link(invitation)}done/"):
        page = client.get(url)
        assert page.status_code == 410
        assert "This link has expired" in page.content.decode()
    assert send(client, invitation, "phq9", PHQ9_CALM).status_code == 410
    response = Response.objects.get()
    assert response.status == "draft" and response.answers[:3] == PHQ9_CALM[:3]
    assert not checked(client.get(f"{link(invitation)}phq9/").content.decode(), 2, 1)


def test_a_withdrawn_link_says_so_and_takes_no_answers(participant: User) -> None:
    invitation = invite(participant)
    services.revoke_invitation(invitation=invitation, by=None)
    page = Client().get(link(invitation))
    assert page.status_code == 410 and "This link no longer works" in page.content.decode()
    assert send(Client(), invitation, "phq9", PHQ9_CALM).status_code == 410
    assert not Response.objects.exists()


def test_the_questionnaire_shows_the_exact_wording_labels_recall_period_and_attribution(
    participant: User,
) -> None:
    invitation = invite(participant)
    content = Client().get(f"{link(invitation)}phq9/").content.decode()
    wording = wording_for("phq9")
    assert wording is not None
    for text in [
        *wording.items.values(),
        *wording.labels.values(),
        *wording.instructions,
        wording.attribution,
    ]:
        assert escape(text) in content
    assert "Questionnaire 1 of 2" in content
    assert "These questions are about the last 2 weeks." in content
    assert content.count("<fieldset") == 10 and content.count("<legend") == 10
    assert content.count('type="radio"') == 40
    assert content.count("(optional)") == 1  # item 10
    assert "Send these answers" in content and "Save and finish later" in content
    assert 'name="action" value="save"' in content


def test_core10_shows_its_licence_line(participant: User) -> None:
    cohort = make_cohort()
    invitation = invite(participant, cohort=cohort, wave=make_wave(cohort.programme, instruments=["core10"]))
    content = Client().get(f"{link(invitation)}core10/").content.decode()
    assert "CC BY-ND 4.0" in content and "CORE System Trust" in content
    assert "Most or all of the time" in content


def test_saving_keeps_a_draft_that_the_link_opens_again_on_any_device(participant: User) -> None:
    invitation = invite(participant)
    page = send(Client(), invitation, "phq9", [0, 2, 1, 3], action="save")
    assert page.status_code == 302 and page["Location"] == link(invitation)
    start = Client().get(page["Location"])
    draft = Response.objects.get()
    assert draft.status == "draft" and draft.answers[:4] == [0, 2, 1, 3]
    resumed = Client().get(f"{link(invitation)}phq9/").content.decode()  # another phone, same link
    assert checked(resumed, 2, 2) and checked(resumed, 4, 3) and not checked(resumed, 5, 0)
    assert start.status_code == 200
    later = Client()
    followed = send(later, invitation, "phq9", [0, 2, 1, 3], action="save")
    assert "4 of 10 questions answered" in later.get(followed["Location"]).content.decode()
    assert ">Continue<" in later.get(link(invitation)).content.decode()


def test_sending_with_gaps_sends_nothing_keeps_the_choices_and_says_which_question_needs_an_answer(
    participant: User,
) -> None:
    invitation = invite(participant)
    answers: list[Answer] = [1, 2, None, 0, 0, 0, 0, 0, 0]
    page = send(Client(), invitation, "phq9", answers)
    assert page.status_code == 200
    content = page.content.decode()
    assert "1 question needs an answer" in content
    question = re.search(r'<fieldset class="question has-error" id="q-3".*?</fieldset>', content, re.S)
    assert question is not None and "Please choose an answer." in question.group(0)
    assert content.count("has-error") == 1
    assert checked(content, 1, 1) and checked(content, 2, 2)
    kept = Response.objects.get()  # nothing sent; what was chosen is kept as saved answers
    assert kept.status == "draft" and kept.answers == [*answers, None]


def test_a_risk_answer_in_a_send_refused_for_gaps_still_shows_support_and_opens_a_follow_up(
    participant: User,
) -> None:
    invitation = invite(participant)
    page = send(Client(), invitation, "phq9", [None, None, None, None, None, None, None, None, 1])
    assert page.status_code == 200
    assert "will get in touch with you soon" in signposting_section(page.content.decode())
    assert SafeguardingAlert.objects.count() == 1


def test_an_answer_outside_the_choices_is_refused_beside_the_question(participant: User) -> None:
    invitation = invite(participant)
    page = send(Client(), invitation, "gad7", [7, 0, 0, 0, 0, 0, 0])
    assert page.status_code == 200
    assert "Please choose one of the answers shown." in page.content.decode()
    assert not Response.objects.exists()


def test_sending_moves_on_and_the_last_questionnaire_uses_up_the_link(participant: User) -> None:
    invitation = invite(participant)
    client = Client()
    first = send(client, invitation, "phq9", PHQ9_CALM[:9])  # item 10 is optional
    assert first["Location"] == f"{link(invitation)}gad7/"
    assert "Questionnaire 2 of 2" in client.get(first["Location"]).content.decode()
    last = send(client, invitation, "gad7", GAD7_CALM)
    assert last["Location"] == f"{link(invitation)}done/"
    done = client.get(last["Location"]).content.decode()
    assert "Thank you" in done and "PHQ-9, GAD-7" in done
    invitation.refresh_from_db()
    assert invitation.completed_at is not None
    assert client.get(link(invitation))["Location"] == f"{link(invitation)}done/"
    assert Response.objects.filter(status="submitted").count() == 2
    assert SafeguardingAlert.objects.count() == 0


def test_a_risk_answer_shows_support_on_the_next_page_and_opens_one_follow_up(participant: User) -> None:
    invitation = invite(participant)
    client = Client()
    page = send(client, invitation, "phq9", PHQ9_RISK)
    following = client.get(page["Location"]).content.decode()
    support = signposting_section(following)
    assert "will get in touch with you soon" in support
    assert 'href="tel:116123"' in support and "Samaritans" in support and 'href="tel:999"' in support
    our_words = re.sub(r"<ul.*?</ul>", "", support, flags=re.S).lower()  # the services' own words aside
    for alarming in ("risk", "score", "alert", "danger", "crisis"):
        assert alarming not in our_words
    assert SafeguardingAlert.objects.count() == 1
    assert signposting_section(client.get(page["Location"]).content.decode()) == ""  # shown once
    done = client.get(send(client, invitation, "gad7", GAD7_CALM)["Location"]).content.decode()
    assert "will get in touch with you soon" in signposting_section(done)
    assert SafeguardingAlert.objects.count() == 1


def test_a_risk_answer_in_a_saved_draft_shows_support_too_and_sending_adds_no_second_alert(
    participant: User,
) -> None:
    invitation = invite(participant)
    client = Client()
    saved = send(client, invitation, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 2], action="save")
    assert "tel:116123" in signposting_section(client.get(saved["Location"]).content.decode())
    send(client, invitation, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 2])
    assert SafeguardingAlert.objects.count() == 1


def test_sending_twice_changes_nothing(participant: User) -> None:
    invitation = invite(participant)
    client = Client()
    send(client, invitation, "phq9", PHQ9_CALM)
    events = AuditEvent.objects.count()
    again = send(client, invitation, "phq9", PHQ9_RISK)
    assert again.status_code == 302 and again["Location"] == f"{link(invitation)}gad7/"
    assert "were sent already, so nothing was changed" in client.get(again["Location"]).content.decode()
    assert Response.objects.get().answers == PHQ9_CALM
    assert not SafeguardingAlert.objects.exists()
    assert AuditEvent.objects.count() == events


def test_every_save_and_send_leaves_an_audit_event(participant: User) -> None:
    invitation = invite(participant)
    send(Client(), invitation, "gad7", GAD7_CALM[:2], action="save")
    send(Client(), invitation, "gad7", GAD7_CALM)
    response = Response.objects.get()
    actions = list(
        AuditEvent.objects.filter(target_id=str(response.uuid))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["measures.response_saved", "measures.response_sent"]


def test_a_signed_in_person_is_recorded_as_the_one_who_answered(
    participant: User, client_for: Callable[[User], Client]
) -> None:
    invitation = invite(participant)
    send(client_for(participant), invitation, "phq9", PHQ9_CALM)
    send(Client(), invitation, "gad7", GAD7_CALM)
    by = dict(Response.objects.values_list("instrument", "entered_by"))
    assert by == {"phq9": participant.pk, "gad7": None}
    assert set(Response.objects.values_list("mode", flat=True)) == {"online"}


def test_questionnaires_outside_the_wave_or_on_paper_only_are_not_found(participant: User) -> None:
    cohort = make_cohort()
    invitation = invite(
        participant, cohort=cohort, wave=make_wave(cohort.programme, instruments=["phq9", "fscrs"])
    )
    client = Client()
    assert client.get(f"{link(invitation)}gad7/").status_code == 404
    assert client.get(f"{link(invitation)}fscrs/").status_code == 404
    assert send(client, invitation, "fscrs", [0] * 22).status_code == 404
    assert client.get(f"{link(invitation)}nonsense/").status_code == 404


def test_the_support_page_is_open_to_anyone_and_linked_from_every_answering_page(participant: User) -> None:
    page = Client().get("/measures/support/")
    assert page.status_code == 200
    content = page.content.decode()
    assert all(name in content for name in ("Samaritans", "NHS 111", "Emergency"))
    invitation = invite(participant)
    for url in (link(invitation), f"{link(invitation)}phq9/"):
        assert 'href="/measures/support/"' in Client().get(url).content.decode()


def test_the_crisis_services_come_from_settings(settings: Any) -> None:
    settings.CRISIS_SIGNPOSTING = [
        {"name": "Local Helpline", "contact": "0800 123 4567", "detail": "Evenings."}
    ]
    content = Client().get("/measures/support/").content.decode()
    assert "Local Helpline" in content and 'href="tel:08001234567"' in content
    assert "Samaritans" not in content


# --- The staff side ----------------------------------------------------------------------------


def cohort_with_people(facilitator: User, count: int) -> tuple[Cohort, Wave, list[Person]]:
    cohort = make_cohort(facilitator=facilitator)
    wave = make_wave(cohort.programme)
    people = [
        create_person(by=None, given_name=f"Person{n:02}", family_name="Test", email=f"p{n}@example.org")
        for n in range(count)
    ]
    for person in people:
        enrol(cohort, person)
    return cohort, wave, people


def status_url(cohort: Cohort) -> str:
    return f"/measures/cohort/{cohort.uuid}/"


def test_facilitators_see_who_has_answered_and_never_the_answers(
    facilitator: User, client_for: Callable[[User], Client]
) -> None:
    cohort, wave, (waiting, emailed, started, finished) = cohort_with_people(facilitator, 4)
    notifications.send_invitation(invite(emailed, cohort=cohort, wave=wave).pk)
    answer(invite(started, cohort=cohort, wave=wave), "phq9", PHQ9_RISK)
    done = invite(finished, cohort=cohort, wave=wave)
    answer(done, "phq9", PHQ9_CALM)
    answer(done, "gad7", GAD7_CALM)
    page = client_for(facilitator).get(status_url(cohort))
    assert page.status_code == 200
    rows = {
        name: row
        for row in re.findall(r"<tr>.*?</tr>", page.content.decode(), re.S)
        if (
            name := next(
                (p.display_name for p in (waiting, emailed, started, finished) if p.display_name in row), None
            )
        )
    }
    assert "Not invited yet" in rows[waiting.display_name] and "Send a link" in rows[waiting.display_name]
    assert "Invited, email sent" in rows[emailed.display_name]
    assert "In progress (1 of 2 sent)" in rows[started.display_name]
    assert "Enter a paper GAD-7" in rows[started.display_name]
    assert "Enter a paper PHQ-9" not in rows[started.display_name]
    assert ">Done<" in rows[finished.display_name] and "Send a" not in rows[finished.display_name]
    content = page.content.decode()
    for secret in ("moderate", "none-minimal", "Several days", "total"):
        assert secret not in content
    assert AuditEvent.objects.filter(action="measures.cohort_status_viewed", actor=facilitator).exists()


def test_only_the_people_who_run_the_cohort_see_its_questionnaire_status(
    facilitator: User, participant: User, client_for: Callable[[User], Client], make_persona: Any
) -> None:
    cohort, _, _ = cohort_with_people(facilitator, 1)
    enrol(cohort, participant)
    other_facilitator = make_persona("organiser")
    make_cohort(cohort.programme, facilitator=other_facilitator, name="Cohort 2")
    assert client_for(other_facilitator).get(status_url(cohort)).status_code == 404
    assert client_for(participant).get(status_url(cohort)).status_code == 404
    assert Client().get(status_url(cohort)).status_code == 302
    assert client_for(facilitator).get(status_url(cohort)).status_code == 200


def test_the_status_page_needs_the_same_queries_however_many_people(
    facilitator: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(facilitator)

    def queries_for(count: int) -> int:
        cohort, wave, people = cohort_with_people(facilitator, count)
        make_wave(cohort.programme, "end")
        for person in people[: count // 2]:
            answer(invite(person, cohort=cohort, wave=wave), "phq9", PHQ9_CALM[:2], send=False)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(status_url(cohort)).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(12)


def post_invite(client: Client, cohort: Cohort, wave: Wave, person: Person, key: str, **extra: str) -> Any:
    data = {"submission": key, "wave": str(wave.uuid), "person": str(person.uuid), **extra}
    return client.post(f"/measures/cohort/{cohort.uuid}/invite/", data)


def test_sending_a_new_link_emails_it_once_however_often_the_button_is_pressed(
    facilitator: User, client_for: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    cohort, wave, (person,) = cohort_with_people(facilitator, 1)
    client = client_for(facilitator)
    key = "6f1c2b9e-8f43-4d55-9a71-2d3f5e0c1a11"
    with django_capture_on_commit_callbacks(execute=True):
        first = post_invite(client, cohort, wave, person, key)
        second = post_invite(client, cohort, wave, person, key)
    assert first.status_code == second.status_code == 302
    invitation = Invitation.objects.get()
    assert len(mail.outbox) == 1 and link(invitation) in mail.outbox[0].body
    assert mail.outbox[0].to == ["p0@example.org"]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert "is on its way to Person00 Test" in client.get(status_url(cohort)).content.decode()


def test_nobody_is_sent_a_link_for_answers_they_have_already_sent(
    facilitator: User, client_for: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    cohort, wave, (person,) = cohort_with_people(facilitator, 1)
    invitation = invite(person, cohort=cohort, wave=wave)
    answer(invitation, "phq9", PHQ9_CALM)
    answer(invitation, "gad7", GAD7_CALM)
    with django_capture_on_commit_callbacks(execute=True):
        post_invite(client_for(facilitator), cohort, wave, person, "7f1c2b9e-8f43-4d55-9a71-2d3f5e0c1a11")
    assert mail.outbox == []


def test_entering_a_paper_form_for_someone_not_yet_invited_makes_their_invitation_without_an_email(
    facilitator: User, client_for: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    cohort, wave, (person,) = cohort_with_people(facilitator, 1)
    with django_capture_on_commit_callbacks(execute=True):
        page = post_invite(
            client_for(facilitator),
            cohort,
            wave,
            person,
            "8f1c2b9e-8f43-4d55-9a71-2d3f5e0c1a11",
            paper="gad7",
        )
    invitation = Invitation.objects.get()
    assert page["Location"] == f"/measures/paper/{invitation.uuid}/gad7/"
    assert mail.outbox == [] and invitation.sent_at is None


def test_links_are_sent_only_to_the_cohorts_own_participants(
    facilitator: User, client_for: Callable[[User], Client], make_persona: Any
) -> None:
    cohort, wave, _ = cohort_with_people(facilitator, 1)
    stranger = create_person(by=None, given_name="Not", family_name="Enrolled", email="not@example.org")
    key = "9f1c2b9e-8f43-4d55-9a71-2d3f5e0c1a11"
    assert post_invite(client_for(facilitator), cohort, wave, stranger, key).status_code == 404
    other = make_persona("organiser")
    make_cohort(cohort.programme, facilitator=other, name="Cohort 2")
    person = Person.objects.get(email="p0@example.org")
    assert post_invite(client_for(other), cohort, wave, person, key).status_code == 404
    assert not Invitation.objects.exists()


def test_a_link_not_open_yet_says_when_it_opens_and_the_done_page_waits_for_the_answers(
    participant: User,
) -> None:
    invitation = invite(participant)
    assert Client().get(f"{link(invitation)}done/")["Location"] == link(invitation)
    soon = timezone.now() + timedelta(days=2)
    Invitation.objects.filter(pk=invitation.pk).update(opens_at=soon)
    page = Client().get(link(invitation))
    assert page.status_code == 200 and "not open yet" in page.content.decode()
    assert send(Client(), invitation, "phq9", PHQ9_CALM).status_code == 200
    assert not Response.objects.exists()


def test_the_cohort_page_links_to_its_questionnaires_for_those_who_run_it(
    facilitator: User, participant: User, client_for: Callable[[User], Client]
) -> None:
    cohort, _, _ = cohort_with_people(facilitator, 1)
    enrol(cohort, participant)
    url = f"/programmes/cohorts/{cohort.uuid}/"
    assert f'href="{status_url(cohort)}"' in client_for(facilitator).get(url).content.decode()
    assert f'href="{status_url(cohort)}"' not in client_for(participant).get(url).content.decode()
