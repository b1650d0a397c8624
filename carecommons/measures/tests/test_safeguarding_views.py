from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.measures.models import FollowUp, SafeguardingAlert
from carecommons.measures.running import safeguarding, services
from carecommons.measures.tests.factories import PHQ9_CALM, PHQ9_RISK, answer, invite, make_wave
from carecommons.people.models import Person
from carecommons.people.services import create_person, update_person
from carecommons.programmes.models import Cohort
from carecommons.programmes.tests.factories import make_cohort, person_of

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


@pytest.fixture(autouse=True)
def no_loaded_text(settings: Any, tmp_path: Path) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path


@dataclass
class Scene:
    cohort: Cohort
    alert: SafeguardingAlert
    lead: User
    facilitator: User


@pytest.fixture
def scene(participant: User, facilitator: User, organiser: User) -> Scene:
    """A participant's risk answer in a cohort run by `facilitator`; the organiser is the programme's
    safeguarding lead (a lead need not hold any particular role)."""
    cohort = make_cohort(facilitator=facilitator)
    services.set_safeguarding_leads(programme=cohort.programme, people=[person_of(organiser)], by=None)
    alert = raise_alert(person_of(participant), cohort)
    return Scene(cohort=cohort, alert=alert, lead=organiser, facilitator=facilitator)


def raise_alert(person: Person, cohort: Cohort) -> SafeguardingAlert:
    saved = services.save_answers(
        invitation=invite(person, cohort=cohort), instrument_id="phq9", answers=PHQ9_RISK, send=True, by=None
    )
    assert saved.alert is not None
    return saved.alert


def make_overdue(alert: SafeguardingAlert) -> None:
    now = timezone.now()
    SafeguardingAlert.objects.filter(pk=alert.pk).update(
        raised_at=now - timedelta(days=2), due_at=now - timedelta(days=1)
    )


def detail_url(alert: SafeguardingAlert) -> str:
    return reverse("measures:alert_detail", args=[alert.uuid])


def test_the_lead_the_facilitator_and_convenors_open_the_alert_and_no_one_else(
    scene: Scene, convenor: User, participant: User, make_persona: Callable[[str], User], client_for: Clients
) -> None:
    other_facilitator = make_user_facilitating_elsewhere()
    for user in [scene.lead, scene.facilitator, convenor]:
        assert client_for(user).get(detail_url(scene.alert)).status_code == 200
    for user in [participant, make_persona("evaluator"), make_persona("outsider"), other_facilitator]:
        assert client_for(user).get(detail_url(scene.alert)).status_code == 404
    assert Client().get(detail_url(scene.alert)).status_code == 302


def make_user_facilitating_elsewhere() -> User:
    from conftest import make_user

    user = make_user("elsewhere", ["facilitator"])  # type: ignore[list-item]
    make_cohort(facilitator=user, name="Another cohort")
    return user


def test_the_list_is_for_convenors_facilitators_and_leads_only(
    scene: Scene, convenor: User, participant: User, make_persona: Callable[[str], User], client_for: Clients
) -> None:
    url = reverse("measures:alert_list")
    for user in [scene.lead, scene.facilitator, convenor]:
        assert client_for(user).get(url).status_code == 200
    for name in ["evaluator", "treasurer", "outsider"]:
        assert client_for(make_persona(name)).get(url).status_code == 404
    assert client_for(participant).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_a_facilitator_of_other_cohorts_gets_an_empty_list(scene: Scene, client_for: Clients) -> None:
    page = client_for(make_user_facilitating_elsewhere()).get(reverse("measures:alert_list"))
    assert page.status_code == 200
    assert page.context["open_alerts"] == []
    assert b"No alerts are waiting for a follow-up." in page.content


def test_open_alerts_come_first_and_overdue_ones_say_so_in_words(
    scene: Scene, facilitator: User, client_for: Clients
) -> None:
    make_overdue(scene.alert)
    later = raise_alert(make_person("Lena"), scene.cohort)
    closed = raise_alert(make_person("Cleo"), scene.cohort)
    log(closed, scene.lead, closes=True)
    page = client_for(facilitator).get(reverse("measures:alert_list"))
    assert page.context["open_alerts"] == [scene.alert, later]
    assert list(page.context["page"].object_list) == [closed]
    text = page.content.decode()
    assert text.index("<strong>Overdue</strong>") < text.index("Lena Person") < text.index("Cleo Person")
    assert text.count("Overdue") == 1
    assert AuditEvent.objects.filter(action="safeguarding.alert_list_viewed", actor=facilitator).exists()


def make_person(name: str) -> Person:
    return create_person(by=None, given_name=name, family_name="Person", email=f"{name.lower()}@example.org")


def log(alert: SafeguardingAlert, by: User, *, closes: bool, method: str = "phone") -> FollowUp:
    return safeguarding.log_follow_up(
        alert=alert,
        by=by,
        contacted_at=timezone.now(),
        method=method,
        note="Spoke with them.",
        closes_alert=closes,
    )


def test_the_list_query_count_does_not_grow_with_alerts(
    scene: Scene, convenor: User, client_for: Clients
) -> None:
    log(raise_alert(make_person("Closed"), scene.cohort), scene.lead, closes=True)
    client = client_for(convenor)
    url = reverse("measures:alert_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        alert = raise_alert(make_person(f"Many{n}"), scene.cohort)
        if n % 2:
            log(alert, scene.lead, closes=True)
        else:
            log(alert, scene.lead, closes=False, method="no_reply")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_alert_says_who_how_to_reach_them_and_which_question_in_plain_words(
    scene: Scene, participant: User, client_for: Clients
) -> None:
    person = person_of(participant)
    update_person(
        person=person,
        by=None,
        preferred_name="Pip",
        pronouns="they/them",
        phone="07700 900123",
        accessibility_needs="Prefers text messages before a call.",
    )
    page = client_for(scene.lead).get(detail_url(scene.alert))
    text = page.content.decode()
    for shown in [
        "Pip",
        "they/them",
        "07700 900123",
        "Prefers text messages before a call.",
        participant.email,
    ]:
        assert shown in text
    assert page.context["rules"] == [
        "PHQ-9 question 9 (“Thoughts that you would be better off dead or of hurting yourself in some way”) "
        "answered “Several days”."
    ]
    assert "score" not in text.lower()
    assert "116 123" in text and "999" in text
    assert "not a risk assessment" in text


def test_the_alert_names_the_crisis_services_from_settings(
    scene: Scene, client_for: Clients, settings: Any
) -> None:
    settings.CRISIS_SIGNPOSTING = [
        {"name": "Local Helpline", "contact": "0800 123 4567", "detail": "Evenings."}
    ]
    content = client_for(scene.lead).get(detail_url(scene.alert)).content.decode()
    assert "Local Helpline: 0800 123 4567</strong>. Evenings." in content
    assert "Samaritans" not in content


def test_reading_an_alert_is_audited(scene: Scene, client_for: Clients) -> None:
    client_for(scene.lead).get(detail_url(scene.alert))
    event = AuditEvent.objects.get(action="safeguarding.alert_viewed")
    assert event.actor == scene.lead and event.target_id == str(scene.alert.uuid)


def test_a_question_without_licensed_wording_is_named_by_its_number(
    participant: User, facilitator: User, client_for: Clients
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    wave = make_wave(cohort.programme, instruments=("fscrs",))
    answers = [0] * 22
    answers[8] = 2
    saved = services.save_answers(
        invitation=invite(participant, cohort=cohort, wave=wave),
        instrument_id="fscrs",
        answers=answers,
        send=True,
        by=facilitator,
        mode="paper",
        answered_on=timezone.localdate(),
    )
    assert saved.alert is not None
    page = client_for(facilitator).get(detail_url(saved.alert))
    assert page.context["rules"] == ["FSCRS question 9 answered 2 (on a scale of 0 to 4)."]


def test_an_unanswered_risk_question_is_described_as_unanswered(participant: User, facilitator: User) -> None:
    cohort = make_cohort(facilitator=facilitator)
    invitation = invite(participant, cohort=cohort)
    saved = services.save_answers(
        invitation=invitation,
        instrument_id="phq9",
        answers=[*PHQ9_CALM[:8], None, 0],
        send=True,
        by=facilitator,
        mode="paper",
        answered_on=timezone.localdate(),
    )
    assert saved.alert is not None
    [rule] = safeguarding.describe_flags(saved.alert)
    assert rule.startswith("PHQ-9 question 9 (“Thoughts")
    assert rule.endswith("was left unanswered. An unanswered question 9 is always followed up.")


def test_an_answer_changed_before_sending_is_described_honestly(participant: User, facilitator: User) -> None:
    invitation = invite(participant, facilitator=facilitator)
    alert = services.save_answers(
        invitation=invitation, instrument_id="phq9", answers=PHQ9_RISK[:9], send=False, by=None
    ).alert
    assert alert is not None
    answer(invitation, "phq9", PHQ9_CALM)
    alert.refresh_from_db()
    [rule] = safeguarding.describe_flags(alert)
    assert "answered “Several days” or more while the questionnaire was being filled in" in rule
    assert rule.endswith("the saved answer is now “Not at all”.")


def follow_up_data(**changes: str) -> dict[str, str]:
    data = {
        "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "phone",
        "note": "Spoke on the phone; they are seeing their GP tomorrow.",
        "closes_alert": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_logging_a_follow_up_that_reaches_them_closes_the_alert(scene: Scene, client_for: Clients) -> None:
    client = client_for(scene.lead)
    response = client.post(detail_url(scene.alert), follow_up_data())
    assert response.status_code == 302
    scene.alert.refresh_from_db()
    assert scene.alert.closed_at is not None
    follow_up = FollowUp.objects.get(alert=scene.alert)
    assert (follow_up.by, follow_up.method) == (scene.lead, "phone")
    actions = set(AuditEvent.objects.filter(actor=scene.lead).values_list("action", flat=True))
    assert {"safeguarding.follow_up_logged", "safeguarding.alert_closed"} <= actions
    page = client.get(detail_url(scene.alert))
    assert "they are seeing their GP tomorrow" in page.content.decode()
    assert "Closed" in page.content.decode()


def test_a_double_click_logs_one_follow_up(scene: Scene, client_for: Clients) -> None:
    client = client_for(scene.facilitator)
    data = follow_up_data(
        closes_alert="", method="no_reply", submission="8d6f3c1e-2a8b-4c59-9d57-1f1e0a6b7c11"
    )
    assert client.post(detail_url(scene.alert), data).status_code == 302
    assert client.post(detail_url(scene.alert), data).status_code == 302
    assert FollowUp.objects.filter(alert=scene.alert).count() == 1
    scene.alert.refresh_from_db()
    assert scene.alert.closed_at is None


def test_follow_up_mistakes_are_shown_beside_the_field_and_keep_what_was_typed(
    scene: Scene, client_for: Clients
) -> None:
    client = client_for(scene.lead)
    no_reply = client.post(
        detail_url(scene.alert), follow_up_data(method="no_reply", note="Rang twice, no answer.")
    )
    assert no_reply.context["form"].errors["closes_alert"] == [
        "An attempt that did not reach the person cannot close the alert."
    ]
    assert "Rang twice, no answer." in no_reply.content.decode()
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    future = client.post(detail_url(scene.alert), follow_up_data(contacted_at=tomorrow))
    assert future.context["form"].errors["contacted_at"] == ["Enter a date that is not in the future."]
    assert f'value="{tomorrow}"' in future.content.decode()
    blank = client.post(detail_url(scene.alert), follow_up_data(note="   "))
    assert "note" in blank.context["form"].errors
    assert not FollowUp.objects.exists()
    scene.alert.refresh_from_db()
    assert scene.alert.closed_at is None


def test_the_follow_up_form_starts_at_the_current_minute(scene: Scene, client_for: Clients) -> None:
    form = client_for(scene.lead).get(detail_url(scene.alert)).context["form"]
    shown = form["contacted_at"].value()
    local_now = timezone.localtime().replace(tzinfo=None)  # the form shows local time, as typed
    assert shown.second == 0 and abs(local_now - shown) < timedelta(minutes=2)


def test_the_alert_is_on_the_home_page_of_the_lead_and_the_facilitator_only(
    scene: Scene, participant: User, make_persona: Callable[[str], User], client_for: Clients
) -> None:
    for user in [scene.lead, scene.facilitator]:
        page = client_for(user).get("/").content.decode()
        assert "Safeguarding follow-up needed" in page
        assert detail_url(scene.alert) in page
        assert reverse("measures:alert_list") in page
    for user in [participant, make_persona("outsider")]:
        page = client_for(user).get("/").content.decode()
        assert "Safeguarding" not in page
        assert detail_url(scene.alert) not in page


def test_the_home_page_says_when_a_follow_up_is_overdue(scene: Scene, client_for: Clients) -> None:
    make_overdue(scene.alert)
    page = client_for(scene.lead).get("/").content.decode()
    assert "Safeguarding follow-up overdue" in page and "It was due by" in page
    log(scene.alert, scene.lead, closes=True)
    assert "Safeguarding follow-up" not in client_for(scene.lead).get("/").content.decode()
