import csv
import io
from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.measures.engine.definitions import load_instruments
from carecommons.measures.models import Invitation, Wave
from carecommons.measures.reporting import export
from carecommons.measures.running import services
from carecommons.measures.tests.factories import GAD7_CALM, PHQ9_CALM, answer, invite, make_wave
from carecommons.people.models import Person
from carecommons.people.services import create_person, current_wording, publish_wording, record_consent
from carecommons.programmes.models import Cohort
from carecommons.programmes.tests.factories import make_cohort, make_programme, person_of

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
CEAS = [7, 6, 2, 8, 7, 6, 3, 7, 6, 7, 2, 8, 6]  # engagement 41, action 27


def decide(person: Person, given: bool, *, minutes_ago: int) -> None:
    wording = current_wording("research") or publish_wording(
        purpose="research", text="Your answers, without your name, for the evaluation.", by=None
    )
    record_consent(
        person=person,
        purpose="research",
        given=given,
        method="online",
        wording=wording,
        by=None,
        decided_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def answered(
    cohort: Cohort, wave: Wave, name: str, *, research: bool = True, staff: User | None = None
) -> tuple[Person, Invitation]:
    """A person who sent the wave's online questionnaires, and its CEAS on paper if staff is given."""
    person = create_person(
        by=None, given_name=name, family_name="Zebedee", email=f"{name.lower()}@example.org"
    )
    if research:
        decide(person, True, minutes_ago=10)
    invitation = invite(person, cohort=cohort, wave=wave)
    answer(invitation, "phq9", PHQ9_CALM)
    answer(invitation, "gad7", GAD7_CALM)
    if staff is not None:
        services.save_answers(
            invitation=invitation,
            instrument_id="ceas_self",
            answers=CEAS,
            send=True,
            by=staff,
            mode="paper",
            answered_on=timezone.localdate() - timedelta(days=3),
        )
    return person, invitation


@pytest.fixture
def cohort(facilitator: User) -> Cohort:
    return make_cohort(
        make_programme("Growing Together", workshops=1), facilitator=facilitator, name="Spring"
    )


@pytest.fixture
def wave(cohort: Cohort) -> Wave:
    return make_wave(cohort.programme, "baseline", ("phq9", "gad7", "ceas_self"))


def download(client: Client, query: str = "") -> tuple[list[str], list[dict[str, str]], str]:
    response = client.get(f"/measures/export/answers.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="evaluation-answers')
    assert response.streaming
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows, text


def test_one_row_per_person_wave_and_scale_of_sent_questionnaires(
    cohort: Cohort, wave: Wave, convenor: User, facilitator: User, client_for: ClientFor
) -> None:
    answered(cohort, wave, "Ayo", staff=facilitator)
    _, rows, _ = download(client_for(convenor))
    assert [(r["instrument"], r["scale"], r["score"]) for r in rows] == [
        ("ceas_self", "engagement", "41"),
        ("ceas_self", "action", "27"),
        ("gad7", "total", "2"),
        ("phq9", "total", "2"),
    ]
    assert len({r["participant_id"] for r in rows}) == 1
    phq9, ceas = rows[3], rows[0]
    assert phq9 | {"participant_id": "", "cohort_code": "", "facilitator_codes": ""} == {
        "participant_id": "",
        "programme": "Growing Together",
        "cohort_code": "",
        "facilitator_codes": "",
        "wave": "baseline",
        "weeks_after_end": "0",
        "wave_date": cohort.starts_on.isoformat(),
        "days_from_start": "0",
        "instrument": "phq9",
        "instrument_version": "1.0.0",
        "scale": "total",
        "score": "2",
        "band": "none-minimal",
        "complete": "1",
        "prorated": "0",
        "mode": "online",
    }
    # A paper form answered before the first session: the minus sign stays a number, unguarded.
    assert (ceas["mode"], ceas["days_from_start"], ceas["band"]) == ("paper", "-3", "")
    expected = export.Pseudonyms(export.research_key()).of(person_of(facilitator).uuid, "facilitator")
    assert ceas["facilitator_codes"] == expected


def test_people_without_current_research_consent_are_left_out(
    cohort: Cohort, wave: Wave, evaluator: User, client_for: ClientFor
) -> None:
    answered(cohort, wave, "Kept")
    withdrew, _ = answered(cohort, wave, "Withdrew")
    decide(withdrew, False, minutes_ago=1)
    answered(cohort, wave, "Never", research=False)
    declined, _ = answered(cohort, wave, "Declined", research=False)
    decide(declined, False, minutes_ago=1)
    pseudonyms = export.Pseudonyms(export.research_key())
    _, rows, _ = download(client_for(evaluator))
    assert {r["participant_id"] for r in rows} == {pseudonyms.of(Person.objects.get(given_name="Kept").uuid)}
    decide(withdrew, True, minutes_ago=0)
    _, rows, _ = download(client_for(evaluator))
    assert len({r["participant_id"] for r in rows}) == 2


def test_pseudonyms_stay_the_same_across_exports_and_are_not_the_uuid(
    cohort: Cohort, wave: Wave, convenor: User, client_for: ClientFor, settings
) -> None:  # type: ignore[no-untyped-def]
    person, _ = answered(cohort, wave, "Stable")
    client = client_for(convenor)
    _, first, text = download(client)
    _, second, _ = download(client)
    code = first[0]["participant_id"]
    assert len(code) == export.PSEUDONYM_LENGTH and int(code, 16) >= 0
    assert {r["participant_id"] for r in second} == {code}
    assert str(person.uuid) not in text and person.uuid.hex not in text
    assert str(cohort.uuid) not in text and first[0]["cohort_code"] not in (code, "")
    settings.RESEARCH_PSEUDONYM_KEY = "a research key kept apart from SECRET_KEY"
    _, keyed, _ = download(client)
    assert keyed[0]["participant_id"] not in (code, "")
    settings.SECRET_KEY = "a rotated secret key that is long enough to be a real one 0123456789"
    _, rotated, _ = download(client_for(convenor))
    assert rotated[0]["participant_id"] == keyed[0]["participant_id"]


def test_no_names_emails_or_free_text_reach_the_file(
    cohort: Cohort, wave: Wave, convenor: User, facilitator: User, client_for: ClientFor
) -> None:
    people = [answered(cohort, wave, name, staff=facilitator)[0] for name in ("Imogen", "Oluwaseun")]
    _, rows, text = download(client_for(convenor))
    assert len(rows) == 8
    body = text.split("\n", 1)[1].lower()
    for person in [*people, person_of(facilitator)]:
        for value in (person.given_name, person.family_name, person.email, str(person.uuid)):
            assert value.lower() not in body
    assert cohort.name.lower() not in body and "@" not in body


def test_saved_but_unsent_answers_are_left_out(
    cohort: Cohort, wave: Wave, convenor: User, client_for: ClientFor
) -> None:
    person = create_person(by=None, given_name="Drafty", email="drafty@example.org")
    decide(person, True, minutes_ago=5)
    invitation = invite(person, cohort=cohort, wave=wave)
    answer(invitation, "phq9", PHQ9_CALM[:5], send=False)
    header, rows, _ = download(client_for(convenor))
    assert rows == [] and header == [column.name for column in export.columns(load_instruments())]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_made_inert(
    convenor: User, client_for: ClientFor
) -> None:
    cohort = make_cohort(make_programme('=HYPERLINK("http://evil.example","x")', workshops=1))
    wave = make_wave(cohort.programme, "baseline", ("phq9", "gad7"))
    answered(cohort, wave, "Guarded")
    _, rows, _ = download(client_for(convenor))
    assert {r["programme"] for r in rows} == {'\'=HYPERLINK("http://evil.example","x")'}


def test_filters_choose_a_programme_or_a_cohort(
    cohort: Cohort, wave: Wave, convenor: User, client_for: ClientFor
) -> None:
    other = make_cohort(cohort.programme, name="Autumn")
    answered(cohort, wave, "Spring")
    answered(other, wave, "Autumn")
    elsewhere = make_cohort(make_programme("Elsewhere", workshops=1))
    answered(elsewhere, make_wave(elsewhere.programme, "baseline", ("phq9", "gad7")), "Away")
    client = client_for(convenor)
    assert len(download(client)[1]) == 6
    assert len(download(client, f"?programme={cohort.programme.uuid}")[1]) == 4
    assert len(download(client, f"?cohort={other.uuid}")[1]) == 2
    response = client.get(f"/measures/export/answers.csv?cohort={other.uuid}")
    assert 'filename="evaluation-answers-growing-together-autumn-' in response["Content-Disposition"]
    mismatch = f"?programme={elsewhere.programme.uuid}&cohort={other.uuid}"
    assert client.get(f"/measures/export/answers.csv{mismatch}").status_code == 404
    page = client.get(f"/measures/export/{mismatch}")
    assert page.status_code == 200
    assert "Autumn is a cohort of Growing Together, not of Elsewhere." in page.content.decode()
    assert "Download the answers" not in page.content.decode()
    for query in (f"?cohort={uuid4()}", "?programme=not-a-uuid"):
        assert client.get(f"/measures/export/answers.csv{query}").status_code == 404
        assert client.get(f"/measures/export/{query}").status_code == 404


def test_every_export_leaves_an_audit_event_with_its_size(
    cohort: Cohort, wave: Wave, evaluator: User, facilitator: User, client_for: ClientFor
) -> None:
    answered(cohort, wave, "Counted", staff=facilitator)
    download(client_for(evaluator), f"?cohort={cohort.uuid}")
    event = AuditEvent.objects.get(action="measures.exported")
    assert event.actor == evaluator and event.target_id == str(cohort.uuid)
    assert event.detail == {
        "programme": str(cohort.programme.uuid),
        "cohort": str(cohort.uuid),
        "responses": 3,
        "rows": 4,
    }


def test_the_download_takes_the_same_number_of_queries_however_many_rows(
    cohort: Cohort, wave: Wave, convenor: User, facilitator: User, client_for: ClientFor
) -> None:
    client = client_for(convenor)
    answered(cohort, wave, "First", staff=facilitator)
    with CaptureQueriesContext(connection) as few:
        download(client)
    for index in range(6):
        answered(
            make_cohort(cohort.programme, facilitator=facilitator), wave, f"More{index}", staff=facilitator
        )
    with CaptureQueriesContext(connection) as many:
        assert len(download(client)[1]) == 28
    assert len(many) == len(few)


def test_evaluators_and_convenors_may_export_and_no_one_else(
    cohort: Cohort, wave: Wave, make_persona: Callable[[str], User], facilitator: User, client_for: ClientFor
) -> None:
    answered(cohort, wave, "Private")
    urls = ["/measures/export/", "/measures/export/answers.csv", "/measures/export/dictionary.csv"]
    for persona in ("participant", "organiser", "treasurer", "outsider"):
        client = client_for(make_persona(persona))
        assert [client.get(url).status_code for url in urls] == [404, 404, 404], persona
    # Running the cohort is not enough: facilitators see their own cohorts' change, not the export.
    assert [client_for(facilitator).get(url).status_code for url in urls] == [404, 404, 404]
    for persona in ("evaluator", "convenor"):
        client = client_for(make_persona(persona))
        assert [client.get(url).status_code for url in urls] == [200, 200, 200], persona
    assert not AuditEvent.objects.filter(action="measures.exported", actor=facilitator).exists()


def test_the_page_says_who_is_in_the_file_with_small_counts_hidden(
    cohort: Cohort, wave: Wave, evaluator: User, client_for: ClientFor
) -> None:
    for index in range(5):
        answered(cohort, wave, f"Yes{index}")
    answered(cohort, wave, "No", research=False)
    page = client_for(evaluator).get("/measures/export/").content.decode()
    assert "the file holds answers from <strong>5 people</strong>" in page
    assert "Answers from fewer than 5 people are left out" in page
    assert f'<option value="{cohort.uuid}"' in page
    for column in export.columns(load_instruments()):
        assert f"<code>{column.name}</code>" in page


def test_the_dictionary_describes_every_column_written_and_every_scale(
    cohort: Cohort, wave: Wave, convenor: User, client_for: ClientFor
) -> None:
    answered(cohort, wave, "Described")
    client = client_for(convenor)
    header, rows, _ = download(client)
    response = client.get("/measures/export/dictionary.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="evaluation-dictionary-')
    dictionary = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["name"] for r in dictionary if r["section"] == "column"] == header
    assert all(r["description"] and r["type"] for r in dictionary)
    scales = {(r["instrument"], r["scale"]): r for r in dictionary if r["section"] == "scale"}
    assert set(scales) == {(i.id, s.id) for i in load_instruments().values() for s in i.scales}
    assert {(r["instrument"], r["scale"]) for r in rows} <= set(scales)
    phq9 = scales[("phq9", "total")]
    assert (phq9["range"], phq9["higher_is"], phq9["instrument_version"]) == ("0 to 27", "worse", "1.0.0")
    assert phq9["bands"].startswith("0+ none-minimal; 5+ mild; 10+ moderate")
    assert phq9["caseness"].startswith("10 or more (NHS Talking Therapies")
    assert phq9["reliable_change"].startswith("a change of 6 or more")
    assert "Kroenke" in phq9["citation"] and phq9["licence"].startswith("public-domain; Pfizer")
    ceas = scales[("ceas_self", "action")]
    assert (ceas["range"], ceas["bands"], ceas["caseness"]) == ("4 to 40", "", "")
    assert "items 9, 10, 12, 13" in ceas["description"]


def test_complete_means_every_required_item_answered_unscored_ones_included(
    cohort: Cohort, wave: Wave, convenor: User, facilitator: User, client_for: ClientFor
) -> None:
    _, invitation = answered(cohort, wave, "Gap")
    gap = [None if position == 3 else value for position, value in enumerate(CEAS, start=1)]
    services.save_answers(
        invitation=invitation, instrument_id="ceas_self", answers=gap, send=True, by=facilitator, mode="paper"
    )
    client = client_for(convenor)
    _, rows, _ = download(client)
    # CEAS item 3 is asked but not scored: both scores stand, yet the form is not complete.
    assert [(r["scale"], r["score"], r["complete"]) for r in rows if r["instrument"] == "ceas_self"] == [
        ("engagement", "41", "0"),
        ("action", "27", "0"),
    ]
    dictionary = client.get("/measures/export/dictionary.csv").content.decode("utf-8-sig")
    (described,) = [r for r in csv.DictReader(io.StringIO(dictionary)) if r["name"] == "complete"]
    assert "every required item" in described["description"]


def test_rows_follow_the_definition_and_count_one_per_scale() -> None:
    instruments = load_instruments()
    assert export.row_count({"phq9": 3, "fscrs": 2, "retired": 1}, instruments) == 3 + 6 + 1
    pseudonyms = export.Pseudonyms(b"key")
    same = uuid4()
    assert pseudonyms.of(same) != pseudonyms.of(same, "cohort")
    assert export.Pseudonyms(b"key").of(same) == pseudonyms.of(same)
    assert export.Pseudonyms(b"other key").of(same) != pseudonyms.of(same)
