"""Rows hanging off a session or cohort are loaded through it (programmes/access.py): a row from
elsewhere is a 404, and nothing changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carecommons.people.services import create_person
from carecommons.programmes import services
from carecommons.programmes.access import register_of
from carecommons.programmes.models import EnrolmentStatus, Material
from carecommons.programmes.tests.factories import enrol, make_cohort, make_session, person_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add_pdf(session) -> Material:  # type: ignore[no-untyped-def]
    return services.add_material(
        session=session, upload=SimpleUploadedFile("handout.pdf", PDF), title="Handout", by=None
    )


def test_a_facilitator_cannot_remove_another_cohorts_material(facilitator, client_for) -> None:
    make_cohort(facilitator=facilitator, name="Ours")
    theirs = add_pdf(make_session(make_cohort(name="Theirs")))
    url = reverse("programmes:material_remove", args=[theirs.uuid])
    assert client_for(facilitator).post(url).status_code == 404
    assert Material.objects.filter(pk=theirs.pk).exists()


def test_a_member_downloads_their_cohorts_material_but_cannot_remove_it(participant, client_for) -> None:
    cohort = make_cohort()
    enrol(cohort, participant)
    material = add_pdf(make_session(cohort))
    client = client_for(participant)
    assert client.get(reverse("programmes:material_download", args=[material.uuid])).status_code == 200
    assert client.post(reverse("programmes:material_remove", args=[material.uuid])).status_code == 404
    assert Material.objects.filter(pk=material.pk).exists()


def test_removing_someone_who_does_not_facilitate_the_cohort_is_a_404(
    convenor, facilitator, participant, client_for
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    enrol(cohort, participant)
    url = reverse("programmes:facilitator_remove", args=[cohort.uuid, person_of(participant).uuid])
    assert client_for(convenor).post(url).status_code == 404
    assert list(cohort.facilitators.all()) == [person_of(facilitator)]


def test_the_register_holds_accepted_members_and_anyone_already_marked_and_no_one_else(
    participant,
) -> None:
    cohort = make_cohort()
    session = make_session(cohort)
    member = person_of(participant)
    enrol(cohort, member)
    applicant = create_person(by=None, given_name="Applicant")
    enrol(cohort, applicant, status="applied")
    marked = create_person(by=None, given_name="Marked")
    enrol(cohort, marked)
    services.record_attendance(session=session, person=marked, status="attended", by=None)
    marked.enrolments.update(status=EnrolmentStatus.WITHDRAWN)
    assert set(register_of(session)) == {member, marked}
