from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.people.services import create_organisation, create_person
from carecommons.programmes import services
from carecommons.programmes.models import Attendance, Material, Session
from carecommons.programmes.tests.factories import enrol, make_cohort, make_programme, make_session, person_of

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_convenor_builds_a_programme_with_a_curriculum_and_a_cohort(convenor, client_for) -> None:
    client = client_for(convenor)
    partner = create_organisation(by=None, name="Hulme Recovery Cafe", kind="grassroots")
    client.post(
        reverse("programmes:programme_create"),
        {
            "name": "Growing cultures of Radical Caring",
            "kind": "programme",
            "description": "Eight workshops.",
            "partners": [partner.pk],
        },
    )
    programme = services.Programme.objects.get()
    assert list(programme.partners.all()) == [partner]
    for title in ("Arriving", "The three flows"):
        client.post(
            reverse("programmes:curriculum_add", args=[programme.uuid]),
            {"title": title, "duration_minutes": 120},
        )
    assert [(t.position, t.title) for t in programme.curriculum.all()] == [
        (1, "Arriving"),
        (2, "The three flows"),
    ]
    response = client.post(
        reverse("programmes:cohort_create", args=[programme.uuid]),
        {"name": "Spring 2027", "starts_on": "2027-03-01", "ends_on": "2027-02-01", "capacity": 30},
    )
    assert "must end on or after" in response.content.decode()
    assert 'value="Spring 2027"' in response.content.decode()
    client.post(
        reverse("programmes:cohort_create", args=[programme.uuid]),
        {"name": "Spring 2027", "starts_on": "2027-03-01", "ends_on": "2027-06-01", "capacity": 30},
    )
    assert programme.cohorts.get().capacity == 30
    assert AuditEvent.objects.filter(action="cohort.created", actor=convenor).exists()


def test_cohort_and_session_dates_are_bounded_in_the_form_and_the_service(convenor, client_for) -> None:
    programme = make_programme()
    client = client_for(convenor)
    response = client.post(
        reverse("programmes:cohort_create", args=[programme.uuid]),
        {"name": "Far off", "starts_on": "0001-03-01", "ends_on": "3000-06-01", "capacity": 30},
    )
    form = response.context["form"]
    assert form.errors["starts_on"] == ["Enter a date on or after 1 January 2000."]
    assert form.errors["ends_on"][0].startswith("Enter a date no later than ")
    assert 'value="3000-06-01"' in response.content.decode()
    cohort = make_cohort(programme)
    response = client.post(
        reverse("programmes:session_create", args=[cohort.uuid]),
        {"title": "W1", "starts_at": "3000-03-01T10:00", "ends_at": "3000-03-01T12:00", "mode": "in_person"},
    )
    assert response.context["form"].errors["starts_at"][0].startswith("Enter a date no later than ")
    with pytest.raises(ValidationError) as caught:
        services.update_cohort(cohort=cohort, by=None, ends_on=date(3000, 1, 1))
    assert "ends_on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        make_session(cohort, starts_at=timezone.now().replace(year=1999))
    assert not Session.objects.exists() and programme.cohorts.count() == 1


def test_sessions_need_a_link_online_and_a_place_in_person(convenor, client_for) -> None:
    cohort = make_cohort()
    url = reverse("programmes:session_create", args=[cohort.uuid])
    response = client_for(convenor).post(
        url,
        {
            "title": "Workshop 1",
            "starts_at": "2027-03-01T10:00",
            "ends_at": "2027-03-01T12:00",
            "mode": "hybrid",
        },
    )
    html = response.content.decode()
    assert "need a meeting link" in html and "need a place" in html
    assert not Session.objects.exists()


def test_facilitators_see_and_run_only_their_own_cohorts(facilitator, client_for) -> None:
    mine = make_cohort(facilitator=facilitator, name="Mine")
    theirs = make_cohort(make_programme("Other"), name="Theirs")
    my_session, their_session = make_session(mine), make_session(theirs)
    client = client_for(facilitator)
    assert client.get(reverse("programmes:register", args=[my_session.uuid])).status_code == 200
    assert client.get(reverse("programmes:register", args=[their_session.uuid])).status_code == 404
    assert client.get(reverse("programmes:cohort_detail", args=[theirs.uuid])).status_code == 404
    listing = client.get(reverse("programmes:programme_list")).content.decode()
    assert "Radical Self-Care" in listing and "Other" not in listing
    assert client.get(reverse("programmes:session_edit", args=[my_session.uuid])).status_code == 404


def test_participants_see_their_cohorts_sessions_with_the_meeting_link_and_nothing_else(
    participant, client_for
) -> None:
    mine, other = make_cohort(name="Mine"), make_cohort(make_programme("Other"), name="Other")
    enrol(mine, participant)
    session = make_session(mine, mode="online", meeting_link="https://meet.example.org/rsc-1")
    hidden = make_session(other, mode="online", meeting_link="https://meet.example.org/secret")
    client = client_for(participant)
    page = client.get(reverse("programmes:session_detail", args=[session.uuid])).content.decode()
    assert "https://meet.example.org/rsc-1" in page
    assert client.get(reverse("programmes:session_detail", args=[hidden.uuid])).status_code == 404
    assert client.get(reverse("programmes:register", args=[session.uuid])).status_code == 404
    cohort_page = client.get(reverse("programmes:cohort_detail", args=[mine.uuid])).content.decode()
    assert "Members" not in cohort_page


def test_taking_the_register_in_a_few_taps_with_and_without_javascript(facilitator, client_for) -> None:
    cohort = make_cohort(facilitator=facilitator)
    people = [create_person(by=None, given_name=f"P{i}", family_name="Member") for i in range(3)]
    for person in people:
        enrol(cohort, person)
    session = make_session(cohort, starts_at=timezone.now() - timedelta(hours=3))
    client = client_for(facilitator)
    url = reverse("programmes:register", args=[session.uuid])
    plain = client.post(url, {"person": str(people[0].uuid), "status": "attended"})
    assert plain.status_code == 302 and plain["Location"].endswith(f"#person-{people[0].uuid}")
    fragment = client.post(url, {"person": str(people[1].uuid), "status": "late"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and "arrived late" in fragment.content.decode()
    client.post(url, {"person": str(people[2].uuid), "status": "apologies"})
    client.post(url, {"person": str(people[2].uuid), "status": "absent"})
    marks = {a.person_id: (a.status, a.late) for a in Attendance.objects.filter(session=session)}
    assert marks == {
        people[0].pk: ("attended", False),
        people[1].pk: ("attended", True),
        people[2].pk: ("absent", False),
    }


def test_a_tap_on_the_register_updates_its_totals_with_and_without_javascript(
    facilitator, client_for
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    people = [create_person(by=None, given_name=f"P{i}", family_name="Member") for i in range(2)]
    for person in people:
        enrol(cohort, person)
    session = make_session(cohort, starts_at=timezone.now() - timedelta(hours=3))
    client = client_for(facilitator)
    url = reverse("programmes:register", args=[session.uuid])
    assert "Attended 0 · Apologies 0 · Absent 0" in client.get(url).content.decode()

    fragment = client.post(url, {"person": str(people[0].uuid), "status": "late"}, HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert f'id="person-{people[0].uuid}"' in text
    assert 'id="register-totals"' in text and 'hx-swap-oob="true"' in text
    assert "Attended 1 · Apologies 0 · Absent 0" in text

    client.post(url, {"person": str(people[1].uuid), "status": "apologies"}, follow=True)
    page = client.get(url).content.decode()
    assert "Attended 1 · Apologies 1 · Absent 0" in page
    assert "hx-swap-oob" not in page


def test_only_cohort_members_can_be_put_on_its_register(facilitator, client_for) -> None:
    cohort = make_cohort(facilitator=facilitator)
    stranger = create_person(by=None, given_name="Not", family_name="Member")
    session = make_session(cohort)
    response = client_for(facilitator).post(
        reverse("programmes:register", args=[session.uuid]),
        {"person": str(stranger.uuid), "status": "attended"},
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_register_query_count_does_not_grow_with_the_cohort(facilitator, client_for) -> None:
    cohort = make_cohort(facilitator=facilitator)
    session = make_session(cohort)
    client = client_for(facilitator)
    url = reverse("programmes:register", args=[session.uuid])

    def add(n: int) -> None:
        for i in range(n):
            person = create_person(by=None, given_name=f"Q{i}{n}", family_name="Member")
            enrol(cohort, person)
            services.record_attendance(session=session, person=person, status="attended", by=None)

    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(15)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_the_closing_report_shows_who_came_and_which_organisations(facilitator, client_for) -> None:
    cohort = make_cohort(facilitator=facilitator)
    group = create_organisation(by=None, name="Moss Side Men's Shed", kind="grassroots")
    person = create_person(by=None, given_name="Marcus", family_name="Ellis")
    services.enrol_person(cohort=cohort, person=person, by=None, organisation=group)
    session = make_session(cohort)
    services.record_attendance(session=session, person=person, status="attended", by=None)
    client = client_for(facilitator)
    url = reverse("programmes:closing_report", args=[session.uuid])
    page = client.get(url).content.decode()
    assert "Marcus Ellis" in page and "Moss Side Men&#x27;s Shed" in page
    client.post(
        url,
        {"notes": "Good energy", "reflections": "More breaks", "follow_ups": "Send slides", "complete": "on"},
    )
    session.refresh_from_db()
    assert session.follow_ups == "Send slides" and session.report_completed_at is not None


def test_materials_are_checked_for_type_and_size_and_served_only_to_the_cohort(
    facilitator, participant, outsider, client_for, settings
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    enrol(cohort, participant)
    session = make_session(cohort)
    client = client_for(facilitator)
    url = reverse("programmes:material_add", args=[session.uuid])
    fake = client.post(
        url, {"title": "Slides", "file": SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf")}
    )
    assert "not a real .pdf file" in fake.content.decode()
    exe = client.post(url, {"title": "Tool", "file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00")})
    assert "cannot be shared here" in exe.content.decode()
    settings.MATERIAL_MAX_BYTES = 10
    big = client.post(url, {"title": "Big", "file": SimpleUploadedFile("big.pdf", PDF)})
    assert "the largest allowed" in big.content.decode()
    settings.MATERIAL_MAX_BYTES = 10_000
    client.post(url, {"title": "Handout", "file": SimpleUploadedFile("handout.pdf", PDF)})
    material = Material.objects.get()
    download = client_for(participant).get(reverse("programmes:material_download", args=[material.uuid]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        client_for(outsider).get(reverse("programmes:material_download", args=[material.uuid])).status_code
        == 404
    )


def test_the_home_page_tells_a_facilitator_about_registers_and_reports(facilitator, client_for) -> None:
    cohort = make_cohort(facilitator=facilitator)
    person_of(facilitator)
    make_session(cohort, title="Workshop 2", starts_at=timezone.now() - timedelta(days=2))
    make_session(cohort, title="Workshop 3", starts_at=timezone.now() + timedelta(days=3))
    page = client_for(facilitator).get("/").content.decode()
    assert "Register not taken: Workshop 2" in page
    assert "Coming up: Workshop 3" in page


def test_cancelling_twice_is_harmless_and_audited_once(convenor, client_for) -> None:
    session = make_session(make_cohort())
    client = client_for(convenor)
    for _ in range(2):
        client.post(reverse("programmes:session_cancel", args=[session.uuid]))
    assert AuditEvent.objects.filter(action="session.cancelled").count() == 1


def test_adding_someone_directly_respects_capacity_and_existing_applications(convenor, client_for) -> None:
    cohort = make_cohort(capacity=1)
    first = create_person(by=None, given_name="Ann", family_name="Lee", email="ann@example.org")
    second = create_person(by=None, given_name="Bo", family_name="Ng", email="bo@example.org")
    enrol(cohort, first, status="withdrawn")
    client = client_for(convenor)
    url = reverse("programmes:enrol_add", args=[cohort.uuid])
    again = client.post(url, {"email": "ann@example.org"})
    assert "already have an application here (withdrawn)" in again.content.decode()
    assert client.post(url, {"email": "bo@example.org"}).status_code == 302
    full = client.post(url, {"email": "carol@example.org"})
    assert "Nobody in the directory" in full.content.decode()
    third = create_person(by=None, given_name="Cy", family_name="Oh", email="cy@example.org")
    refused = client.post(url, {"email": "cy@example.org"})
    assert "All 1 places are taken" in refused.content.decode()
    assert not cohort.enrolments.filter(person=third).exists()
    assert cohort.enrolments.get(person=second).status == "accepted"


def test_a_programme_lists_its_cohorts_newest_first_a_page_at_a_time_with_places_taken(
    convenor, facilitator, client_for, monkeypatch
) -> None:
    monkeypatch.setattr("carecommons.programmes.views.COHORTS_PER_PAGE", 2)
    programme = make_programme()
    first = timezone.localdate() - timedelta(days=300)
    cohorts = [
        make_cohort(programme, name=f"Cohort {n}", starts_on=first + timedelta(days=30 * n)) for n in range(5)
    ]
    for n in range(3):
        enrol(cohorts[4], create_person(by=None, given_name=f"Member {n}"))
    enrol(cohorts[4], create_person(by=None, given_name="Waiting"), status="waiting")
    enrol(cohorts[0], create_person(by=None, given_name="Early"))
    url = reverse("programmes:programme_detail", args=[programme.uuid])
    client = client_for(convenor)
    pages = [client.get(url, {"page": n}).context for n in (1, 2, 3)]
    shown = [[c.name for c in context["cohorts"]] for context in pages]
    assert shown == [["Cohort 4", "Cohort 3"], ["Cohort 2", "Cohort 1"], ["Cohort 0"]]
    assert [c.places_taken for c in pages[0]["cohorts"]] == [3, 0]
    assert [c.places_taken for c in pages[2]["cohorts"]] == [1]
    assert "Page 1 of 3" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5, 9):
        make_cohort(programme, name=f"Cohort {n}", starts_on=first + timedelta(days=30 * n))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    # A facilitator sees only the cohorts they run, paged the same way.
    mine = make_cohort(programme, name="Theirs", facilitator=facilitator, starts_on=first)
    context = client_for(facilitator).get(url).context
    assert [c.name for c in context["cohorts"]] == [mine.name]
