"""The rules of answering, moved out of the answering views (issue 12, item 6): a link's steps,
what comes next, what the person shares, keeping a refused send, sending a link again, the staff
overview's actions, the dialable crisis contacts, and the paper form's key."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.engine.texts import response_keys
from carecommons.measures.models import COMPLETE, Invitation, Response, SafeguardingAlert
from carecommons.measures.running import links, overview, services
from carecommons.measures.running.deployment import wording_for
from carecommons.measures.running.support import crisis_services, dialable
from carecommons.measures.tests.factories import (
    GAD7_CALM,
    PHQ9_CALM,
    PHQ9_RISK,
    answer,
    consent_to_programme,
    invite,
    make_wave,
)
from carecommons.people.services import create_person
from carecommons.programmes.tests.factories import enrol, make_cohort, person_of

pytestmark = pytest.mark.django_db

RISK_BUT_FIRST_UNANSWERED = [None, *PHQ9_RISK[1:]]


@pytest.fixture(autouse=True)
def shipped_wording_only(settings: Any, tmp_path: Path) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path


def three_questionnaires(participant: User) -> Invitation:
    """phq9 and gad7 answerable online (their wording ships), ceas_self on paper only."""
    cohort = make_cohort()
    wave = make_wave(cohort.programme, instruments=("phq9", "gad7", "ceas_self"))
    return invite(participant, cohort=cohort, wave=wave)


# --- The person's side -------------------------------------------------------------------------


def test_a_links_steps_say_which_questionnaires_are_sent_saved_new_or_on_paper(participant: User) -> None:
    invitation = three_questionnaires(participant)
    fresh = links.steps_for(invitation)
    assert [step.status for step in fresh.all] == [links.NEW, links.NEW, links.PAPER]
    assert not fresh.started and fresh.online_count == 2
    answer(invitation, "phq9", PHQ9_CALM)
    answer(invitation, "gad7", GAD7_CALM[:3], send=False)
    steps = links.steps_for(invitation)
    assert [step.status for step in steps.all] == [links.SENT, links.SAVED, links.PAPER]
    assert steps.started and [step.instrument.id for step in steps.sent] == ["phq9"]
    assert [step.instrument.id for step in steps.paper] == ["ceas_self"]


def test_the_next_step_is_the_first_online_questionnaire_not_sent_and_none_when_all_are(
    participant: User,
) -> None:
    invitation = three_questionnaires(participant)
    answer(invitation, "phq9", PHQ9_CALM)
    following = links.steps_for(invitation).next
    assert following is not None and following.instrument.id == "gad7"
    answer(invitation, "gad7", GAD7_CALM)
    assert links.steps_for(invitation).next is None


def test_the_thank_you_page_waits_for_unsent_online_questionnaires_unless_the_link_is_used_up(
    participant: User,
) -> None:
    invitation = three_questionnaires(participant)
    answer(invitation, "phq9", PHQ9_CALM)
    steps = links.steps_for(invitation)
    assert not links.ready_for_thanks(None, steps)
    assert links.ready_for_thanks(COMPLETE, steps)
    answer(invitation, "gad7", GAD7_CALM)
    assert links.ready_for_thanks(None, links.steps_for(invitation))


def test_after_sending_the_next_questionnaire_is_the_first_unsent_one(participant: User) -> None:
    invitation = three_questionnaires(participant)
    answer(invitation, "phq9", PHQ9_CALM)
    assert links.next_to_answer(invitation) == "gad7"
    answer(invitation, "gad7", GAD7_CALM)
    assert links.next_to_answer(invitation) is None


def test_a_used_up_link_has_nothing_next_even_if_its_wave_asks_more_later(participant: User) -> None:
    cohort = make_cohort()
    wave = make_wave(cohort.programme, instruments=("phq9",))
    invitation = invite(participant, cohort=cohort, wave=wave)
    answer(invitation, "phq9", PHQ9_CALM)
    services.save_wave(
        programme=cohort.programme, by=None, kind="baseline", instruments=["phq9", "gad7"], wave=wave
    )
    stale = Invitation.objects.get(pk=invitation.pk)
    stale.completed_at = None  # as the page held it before sending completed the link
    assert services.next_instrument(stale) == "gad7"
    assert links.next_to_answer(stale) is None


def test_sharing_is_a_yes_only_for_consent_given_and_never_asked_is_not_a_yes(participant: User) -> None:
    person = person_of(participant)
    assert links.sharing_of(person) == links.Sharing(with_facilitators=False, for_research=False)
    consent_to_programme(person)
    assert links.sharing_of(person) == links.Sharing(with_facilitators=True, for_research=False)
    consent_to_programme(person, given=False)
    assert links.sharing_of(person).with_facilitators is False


def test_a_send_refused_for_unanswered_questions_keeps_the_answers_and_the_follow_up(
    participant: User,
) -> None:
    invitation = three_questionnaires(participant)
    answered = links.answer_online(
        invitation=invitation, instrument_id="phq9", answers=RISK_BUT_FIRST_UNANSWERED, send=True, by=None
    )
    assert answered.saved is None and answered.refused is not None
    assert set(answered.refused.message_dict) == {"item_1"}
    assert answered.follow_up
    kept = Response.objects.get(invitation=invitation, instrument="phq9")
    assert not kept.is_sent and kept.answers == RISK_BUT_FIRST_UNANSWERED
    assert SafeguardingAlert.objects.filter(invitation=invitation).exists()


def test_a_refused_send_without_risk_answers_keeps_them_and_asks_for_no_follow_up(participant: User) -> None:
    invitation = three_questionnaires(participant)
    answers = [None, *PHQ9_CALM[1:]]
    answered = links.answer_online(
        invitation=invitation, instrument_id="phq9", answers=answers, send=True, by=None
    )
    assert answered.refused is not None and not answered.follow_up
    assert Response.objects.get(invitation=invitation).answers == answers


def test_a_saved_page_with_a_risk_answer_asks_for_follow_up(participant: User) -> None:
    invitation = three_questionnaires(participant)
    answered = links.answer_online(
        invitation=invitation, instrument_id="phq9", answers=PHQ9_RISK, send=False, by=None
    )
    assert answered.refused is None and answered.saved is not None and answered.follow_up
    assert not answered.saved.response.is_sent


def test_answering_again_after_sending_is_refused_as_already_sent(participant: User) -> None:
    invitation = three_questionnaires(participant)
    answer(invitation, "phq9", PHQ9_CALM)
    with pytest.raises(services.AlreadySent):
        links.answer_online(
            invitation=invitation, instrument_id="phq9", answers=PHQ9_CALM, send=True, by=None
        )


def test_no_link_is_sent_again_to_someone_who_has_finished(participant: User) -> None:
    cohort = make_cohort()
    wave = make_wave(cohort.programme, instruments=("phq9",))
    invitation = invite(participant, cohort=cohort, wave=wave)
    person = person_of(participant)
    assert links.why_no_link(wave=wave, invitation=invitation, person=person) is None
    answer(invitation, "phq9", PHQ9_CALM)
    invitation.refresh_from_db()
    assert links.why_no_link(wave=wave, invitation=invitation, person=person) == links.ALREADY_ANSWERED


def test_no_link_is_sent_for_a_wave_on_paper_only_nor_to_someone_without_an_email(participant: User) -> None:
    cohort = make_cohort()
    paper_only = make_wave(cohort.programme, instruments=("ceas_self",))
    online = make_wave(cohort.programme, "end")
    person = person_of(participant)
    assert links.why_no_link(wave=paper_only, invitation=None, person=person) == links.PAPER_ONLY
    no_email = create_person(by=None, given_name="Nomail", family_name="Person")
    assert links.why_no_link(wave=online, invitation=None, person=no_email) == links.NO_EMAIL
    assert links.why_no_link(wave=online, invitation=None, person=person) is None


def test_sending_a_link_invites_and_emails_once_the_invitation_is_saved(
    participant: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    cohort = make_cohort()
    wave = make_wave(cohort.programme)
    person = person_of(participant)
    enrol(cohort, person)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        invitation = links.send_link(wave=wave, cohort=cohort, person=person, by=None)
    assert invitation.person == person and invitation.link_state(timezone.now()) is None
    assert len(queued) == 1 and mail.outbox == []
    for callback in queued:
        callback()
    assert [message.to for message in mail.outbox] == [[participant.email]]


# --- The staff side ----------------------------------------------------------------------------


def test_a_link_may_be_sent_once_the_wave_opens_to_anyone_not_finished_and_not_withdrawn(
    participant: User,
) -> None:
    cohort = make_cohort()
    wave = make_wave(cohort.programme, instruments=("phq9",))
    assert not overview.may_send_link(None, opened=False)
    assert overview.may_send_link(None, opened=True)
    invitation = invite(participant, cohort=cohort, wave=wave)
    assert overview.may_send_link(invitation, opened=True)
    answer(invitation, "phq9", PHQ9_CALM)
    invitation.refresh_from_db()
    assert not overview.may_send_link(invitation, opened=True)
    withdrawn = invite(
        create_person(by=None, given_name="Other", family_name="Person"), cohort=cohort, wave=wave
    )
    services.revoke_invitation(invitation=withdrawn, by=None)
    assert not overview.may_send_link(withdrawn, opened=True)


def test_paper_forms_are_the_unsent_questionnaires_once_open_unless_the_link_was_withdrawn(
    participant: User,
) -> None:
    invitation = three_questionnaires(participant)
    asked = [get_instrument(i) for i in ("phq9", "gad7", "ceas_self")]
    assert overview.paper_forms(None, set(), asked, opened=False) == []
    assert [i.id for i in overview.paper_forms(None, set(), asked, opened=True)] == [
        "phq9",
        "gad7",
        "ceas_self",
    ]
    assert [i.id for i in overview.paper_forms(invitation, {"phq9"}, asked, opened=True)] == [
        "gad7",
        "ceas_self",
    ]
    services.revoke_invitation(invitation=invitation, by=None)
    assert overview.paper_forms(invitation, set(), asked, opened=True) == []


def test_the_status_in_words_counts_questionnaires_sent_and_never_names_a_score(participant: User) -> None:
    invitation = three_questionnaires(participant)
    wave, now = invitation.wave, timezone.now()
    assert overview.status_of(None, set(), False, wave, now) == "Not invited yet"
    assert overview.status_of(invitation, set(), False, wave, now) == "Invited, email not sent yet"
    assert overview.status_of(invitation, {"phq9"}, False, wave, now) == "In progress (1 of 3 sent)"
    services.revoke_invitation(invitation=invitation, by=None)
    assert overview.status_of(invitation, {"phq9"}, False, wave, now) == "Link withdrawn"


# --- Small rules --------------------------------------------------------------------------------


def test_a_crisis_contact_is_dialable_only_when_it_is_a_phone_number() -> None:
    assert dialable("0800 123 4567") == "08001234567"
    assert dialable("+44 116 123") == "+44116123"
    assert dialable("help@example.org") == ""
    assert dialable("111@nhs.uk") == ""
    assert dialable("99") == ""
    assert dialable("Text SHOUT") == ""


def test_the_crisis_services_are_the_settings_with_a_number_to_dial(settings: Any) -> None:
    settings.CRISIS_SIGNPOSTING = [
        {"name": "Helpline", "contact": "0800 123 4567", "detail": "Evenings."},
        {"name": "Email us", "contact": "help@example.org"},
    ]
    services_shown = crisis_services()
    assert [(s.name, s.tel, s.detail) for s in services_shown] == [
        ("Helpline", "08001234567", "Evenings."),
        ("Email us", "", ""),
    ]


def test_a_paper_forms_key_names_each_response_set_once_with_its_labels() -> None:
    phq9 = get_instrument("phq9")
    keys = response_keys(phq9, wording_for("phq9"))
    assert [set_id for set_id, _ in keys] == ["frequency", "difficulty"]
    frequency = dict(keys[0][1])
    assert list(frequency) == list(phq9.items[0].response_set.values)
    assert all(frequency.values())
    unlabelled = response_keys(phq9, None)
    assert all(label == "" for _, pairs in unlabelled for _, label in pairs)


def test_a_wave_asks_only_its_own_questionnaires(participant: User) -> None:
    invitation = three_questionnaires(participant)
    assert invitation.wave.asks("gad7") and not invitation.wave.asks("core10")


def test_an_alert_is_open_until_a_contact_closes_it(participant: User) -> None:
    invitation = three_questionnaires(participant)
    answer(invitation, "phq9", PHQ9_RISK)
    alert = SafeguardingAlert.objects.get(invitation=invitation)
    assert alert.is_open
    alert.closed_at = timezone.now()
    assert not alert.is_open
