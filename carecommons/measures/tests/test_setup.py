import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.accounts.models import Role, User
from carecommons.audit.models import AuditEvent
from carecommons.measures.models import SafeguardingLead, Wave
from carecommons.measures.running import services
from carecommons.measures.tests.factories import PHQ9_CALM, answer, invite, make_wave
from carecommons.people.services import create_person
from carecommons.programmes.models import Programme
from carecommons.programmes.tests.factories import make_cohort, make_programme, person_of
from conftest import make_user, second_factor_if_needed

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


@pytest.fixture(autouse=True)
def no_loaded_text(settings: Any, tmp_path: Path) -> None:
    """Only the wording shipped with the code: a developer's loaded texts must not change the tests."""
    settings.INSTRUMENT_TEXT_DIR = tmp_path


def form_data(**changes: str) -> dict[str, str]:
    data = {"kind": "baseline", "opens_days_before": "7", "stays_open_days": "21", "ask_phq9": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def create_url(programme: Programme) -> str:
    return reverse("measures:wave_create", args=[programme.uuid])


def test_the_wave_list_shows_waves_in_course_order_with_each_cohorts_dates(
    convenor: User, client_for: Clients
) -> None:
    cohort = make_cohort(make_programme(workshops=1), name="Spring group")
    programme = cohort.programme
    make_wave(programme, "follow_up", ("gad7",), weeks_after_end=12)
    make_wave(programme, "end", ("phq9",))
    make_wave(programme, "baseline", ("phq9", "ceas_self"))
    page = client_for(convenor).get(reverse("measures:wave_list", args=[programme.uuid]))
    text = page.content.decode()
    assert text.index("Baseline") < text.index("End") < text.index("Follow-up at 12 weeks")
    assert "Spring group" in text
    assert f"{cohort.starts_on:%-d %b %Y}" in text
    assert f"{cohort.ends_on + timedelta(weeks=12):%-d %b %Y}" in text
    assert "CEAS" in text and "(paper only)" in text
    assert "carecommons instruments load-text FILE" in text
    assert "No safeguarding leads yet" in text


def test_a_wave_made_only_of_questionnaires_with_wording_has_no_paper_note(
    convenor: User, client_for: Clients
) -> None:
    programme = make_programme(workshops=1)
    make_wave(programme, "baseline", ("phq9", "gad7"))
    page = client_for(convenor).get(reverse("measures:wave_list", args=[programme.uuid]))
    assert "(answered online)" in page.content.decode()
    assert "load-text" not in page.content.decode()


@pytest.mark.parametrize("persona", ["facilitator", "participant", "evaluator", "outsider"])
def test_only_convenors_reach_the_set_up_pages(
    persona: str, make_persona: Callable[[str], User], client_for: Clients
) -> None:
    facilitator = make_persona(persona)
    cohort = make_cohort(make_programme(workshops=1), facilitator=facilitator)
    wave = make_wave(cohort.programme)
    client = client_for(second_factor_if_needed(facilitator))
    programme_id = cohort.programme.uuid
    for url in [
        reverse("measures:wave_list", args=[programme_id]),
        reverse("measures:wave_create", args=[programme_id]),
        reverse("measures:wave_edit", args=[wave.uuid]),
        reverse("measures:wave_delete", args=[wave.uuid]),
        reverse("measures:safeguarding_leads", args=[programme_id]),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url, form_data(kind="end")).status_code == 404
    assert Wave.objects.get() == wave
    assert list(Wave.objects.values_list("kind", flat=True)) == ["baseline"]


def test_a_new_wave_asks_the_ticked_questionnaires_numbered_first(
    convenor: User, client_for: Clients
) -> None:
    programme = make_programme(workshops=1)
    data = form_data(ask_gad7="on", ask_core10="on", position_phq9="1", opens_days_before="5")
    response = client_for(convenor).post(create_url(programme), data)
    assert response.status_code == 302
    wave = Wave.objects.get(programme=programme)
    assert wave.instruments == ["phq9", "core10", "gad7"]
    assert (wave.kind, wave.opens_days_before, wave.stays_open_days) == ("baseline", 5, 21)
    event = AuditEvent.objects.get(action="measures.wave_created")
    assert event.actor == convenor and event.target_id == str(wave.uuid)


def test_a_double_click_makes_one_wave(convenor: User, client_for: Clients) -> None:
    programme = make_programme(workshops=1)
    client = client_for(convenor)
    data = form_data(submission=str(uuid.uuid4()))
    first = client.post(create_url(programme), data)
    second = client.post(create_url(programme), data)
    assert first.status_code == second.status_code == 302
    assert Wave.objects.filter(programme=programme).count() == 1


def test_a_second_wave_at_the_same_point_is_an_error_beside_the_field(
    convenor: User, client_for: Clients
) -> None:
    programme = make_programme(workshops=1)
    make_wave(programme, "baseline")
    page = client_for(convenor).post(create_url(programme), form_data(ask_gad7="on", opens_days_before="4"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.errors["kind"] == ["There is already a wave at this point: Baseline. Edit that one instead."]
    text = page.content.decode()
    assert 'name="opens_days_before" value="4"' in text
    assert 'name="ask_gad7" id="id_ask_gad7" checked' in text
    assert Wave.objects.filter(programme=programme).count() == 1


def test_a_follow_up_needs_its_weeks_and_each_follow_up_is_asked_once(
    convenor: User, client_for: Clients
) -> None:
    programme = make_programme(workshops=1)
    client = client_for(convenor)
    missing = client.post(create_url(programme), form_data(kind="follow_up"))
    assert "weeks_after_end" in missing.context["form"].errors
    assert (
        client.post(create_url(programme), form_data(kind="follow_up", weeks_after_end="12")).status_code
        == 302
    )
    assert Wave.objects.get(programme=programme).weeks_after_end == 12
    again = client.post(create_url(programme), form_data(kind="follow_up", weeks_after_end="12"))
    assert again.context["form"].errors["weeks_after_end"][0].startswith("There is already a wave")
    assert (
        client.post(create_url(programme), form_data(kind="follow_up", weeks_after_end="26")).status_code
        == 302
    )
    assert Wave.objects.filter(programme=programme).count() == 2


def test_weeks_typed_for_a_wave_that_is_not_a_follow_up_are_ignored(
    convenor: User, client_for: Clients
) -> None:
    programme = make_programme(workshops=1)
    client_for(convenor).post(create_url(programme), form_data(kind="end", weeks_after_end="4"))
    assert Wave.objects.get(programme=programme).weeks_after_end == 0


def test_no_questionnaire_ticked_is_an_error_beside_the_questionnaires(
    convenor: User, client_for: Clients
) -> None:
    programme = make_programme(workshops=1)
    page = client_for(convenor).post(create_url(programme), form_data(ask_phq9="", position_gad7="2"))
    errors = page.context["form"].errors
    assert errors["instruments"] == ["Tick at least one questionnaire."]
    assert errors["position_gad7"] == ["Tick GAD-7 to ask it, or clear its number."]
    assert 'name="position_gad7" value="2"' in page.content.decode()
    assert not Wave.objects.exists()


def test_editing_shows_the_order_and_saves_a_new_one(convenor: User, client_for: Clients) -> None:
    wave = make_wave(make_programme(workshops=1), "baseline", ("phq9", "gad7"))
    url = reverse("measures:wave_edit", args=[wave.uuid])
    client = client_for(convenor)
    form = client.get(url).context["form"]
    assert form["position_phq9"].value() == 1 and form["position_gad7"].value() == 2
    data = form_data(ask_gad7="on", position_gad7="1", position_phq9="2", stays_open_days="30")
    assert client.post(url, data).status_code == 302
    wave.refresh_from_db()
    assert wave.instruments == ["gad7", "phq9"] and wave.stays_open_days == 30
    assert AuditEvent.objects.filter(action="measures.wave_updated", actor=convenor).count() == 1


def test_once_people_have_answered_a_wave_its_point_and_questionnaires_stay(
    convenor: User, participant: User, client_for: Clients
) -> None:
    cohort = make_cohort(make_programme(workshops=1))
    wave = make_wave(cohort.programme, "baseline", ("phq9", "gad7"))
    answer(invite(participant, cohort=cohort, wave=wave), "phq9", PHQ9_CALM)
    url = reverse("measures:wave_edit", args=[wave.uuid])
    client = client_for(convenor)
    moved = client.post(url, form_data(kind="end", ask_gad7="on"))
    assert "cannot change" in moved.context["form"].errors["kind"][0]
    dropped = client.post(url, form_data(ask_phq9="", ask_gad7="on"))
    assert dropped.context["form"].errors["instruments"] == [
        "People have answered PHQ-9 in this wave, so it must stay."
    ]
    assert client.post(url, form_data(opens_days_before="3")).status_code == 302
    wave.refresh_from_db()
    assert (wave.kind, wave.instruments, wave.opens_days_before) == ("baseline", ["phq9"], 3)


def test_removing_a_wave_asks_first(convenor: User, client_for: Clients) -> None:
    wave = make_wave(make_programme(workshops=1))
    url = reverse("measures:wave_delete", args=[wave.uuid])
    client = client_for(convenor)
    confirm = client.get(url)
    assert b"Remove the wave" in confirm.content
    assert Wave.objects.filter(pk=wave.pk).exists()
    assert client.post(url).status_code == 302
    assert not Wave.objects.filter(pk=wave.pk).exists()
    assert AuditEvent.objects.filter(action="measures.wave_deleted", actor=convenor).count() == 1


def test_a_wave_people_have_answered_cannot_be_removed(
    convenor: User, participant: User, client_for: Clients
) -> None:
    cohort = make_cohort(make_programme(workshops=1))
    wave = make_wave(cohort.programme)
    answer(invite(participant, cohort=cohort, wave=wave), "phq9", PHQ9_CALM)
    url = reverse("measures:wave_delete", args=[wave.uuid])
    client = client_for(convenor)
    confirm = client.get(url)
    assert b"1 person has answered this wave" in confirm.content
    assert b"Remove the wave</button>" not in confirm.content
    refused = client.post(url, follow=True)
    assert b"People have answered this wave, so it cannot be removed." in refused.content
    assert Wave.objects.filter(pk=wave.pk).exists()


def test_the_wave_list_query_count_does_not_grow_with_waves_and_cohorts(
    convenor: User, client_for: Clients
) -> None:
    programme = make_programme(workshops=1)
    client = client_for(convenor)
    url = reverse("measures:wave_list", args=[programme.uuid])
    make_cohort(programme, name="First")
    make_wave(programme, "baseline")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(4):
        make_cohort(programme, name=f"Cohort {n}")
    make_wave(programme, "end")
    make_wave(programme, "follow_up", weeks_after_end=8)
    services.set_safeguarding_leads(programme=programme, people=[person_of(convenor)], by=None)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_convenors_choose_leads_from_people_with_accounts(
    convenor: User, facilitator: User, client_for: Clients
) -> None:
    programme = make_programme(workshops=1)
    no_account = create_person(by=None, given_name="Nadia", family_name="Noaccount")
    lead = person_of(facilitator)
    url = reverse("measures:safeguarding_leads", args=[programme.uuid])
    client = client_for(convenor)
    page = client.get(url)
    assert lead.display_name in page.content.decode()
    assert no_account.display_name not in page.content.decode()
    assert client.post(url, {"people": [str(lead.uuid)]}).status_code == 302
    assert list(SafeguardingLead.objects.values_list("person", flat=True)) == [lead.pk]
    assert AuditEvent.objects.filter(action="measures.safeguarding_leads_set", actor=convenor).exists()
    refused = client.post(url, {"people": [str(no_account.uuid)]})
    assert "people" in refused.context["form"].errors
    assert list(SafeguardingLead.objects.values_list("person", flat=True)) == [lead.pk]
    listed = client.get(reverse("measures:wave_list", args=[programme.uuid]))
    assert lead.display_name in listed.content.decode()


def test_searching_for_a_lead_keeps_the_current_leads_on_the_page(
    convenor: User, facilitator: User, client_for: Clients
) -> None:
    programme = make_programme(workshops=1)
    lead = person_of(facilitator)
    services.set_safeguarding_leads(programme=programme, people=[lead], by=None)
    url = reverse("measures:safeguarding_leads", args=[programme.uuid])
    client = client_for(convenor)
    page = client.get(url, {"q": "convenor"})
    assert [p.pk for p in page.context["others"]] == [person_of(convenor).pk]
    assert page.context["current"] == [lead]
    assert f'value="{lead.uuid}" id="lead-{lead.uuid}" checked' in page.content.decode()
    client.post(f"{url}?q=convenor", {"people": [str(lead.uuid), str(person_of(convenor).uuid)]})
    assert SafeguardingLead.objects.filter(programme=programme).count() == 2
    client.post(url, {})
    assert not SafeguardingLead.objects.filter(programme=programme).exists()


@pytest.mark.parametrize("search", ["", "person"])
def test_the_leads_page_query_count_does_not_grow_with_candidates_and_leads(
    convenor: User, facilitator: User, client_for: Clients, search: str
) -> None:
    programme = make_programme(workshops=1)
    services.set_safeguarding_leads(programme=programme, people=[person_of(facilitator)], by=None)
    client = client_for(convenor)
    url = reverse("measures:safeguarding_leads", args=[programme.uuid]) + (f"?q={search}" if search else "")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    candidates = [person_of(make_user(f"person{n}", [Role.PARTICIPANT])) for n in range(6)]
    leads = [person_of(facilitator), *candidates[:2], create_person(by=None, given_name="Nadia")]
    services.set_safeguarding_leads(programme=programme, people=leads, by=None)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(page.context["current"]) == 4 and len(page.context["others"]) == 5
    assert len(many) == len(few)


def test_the_programme_page_links_convenors_to_the_questionnaires(
    convenor: User, facilitator: User, client_for: Clients
) -> None:
    cohort = make_cohort(make_programme(workshops=1), facilitator=facilitator)
    programme_url = reverse("programmes:programme_detail", args=[cohort.programme.uuid])
    waves_url = reverse("measures:wave_list", args=[cohort.programme.uuid])
    assert waves_url in client_for(convenor).get(programme_url).content.decode()
    assert waves_url not in client_for(facilitator).get(programme_url).content.decode()
