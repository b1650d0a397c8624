"""Expected statuses for programme, cohort and session URLs. Targets belong to a cohort that none of
the cast facilitates or belongs to, so only the convenor may reach them."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from carecommons.people.services import create_person
from carecommons.programmes import services
from carecommons.programmes.tests.factories import make_cohort, make_programme, make_session
from tests.matrix import CONVENOR_ONLY, SIGNED_IN, Case

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def programme_args() -> dict[str, Any]:
    return {"programme_id": make_programme(workshops=1).uuid}


def cohort_args() -> dict[str, Any]:
    return {"cohort_id": make_cohort(make_programme(workshops=1)).uuid}


def facilitator_args() -> dict[str, Any]:
    cohort = make_cohort(make_programme(workshops=1))
    person = create_person(by=None, given_name="Fac", family_name="Ilitator")
    services.add_facilitator(cohort=cohort, person=person, lived_experience_leader=True, by=None)
    return {"cohort_id": cohort.uuid, "person_id": person.uuid}


def session_args() -> dict[str, Any]:
    return {"session_id": make_session(make_cohort(make_programme(workshops=1))).uuid}


def material_args() -> dict[str, Any]:
    session = make_session(make_cohort(make_programme(workshops=1)))
    upload = SimpleUploadedFile("handout.pdf", PDF, content_type="application/pdf")
    return {
        "material_id": services.add_material(session=session, upload=upload, title="Handout", by=None).uuid
    }


MATRIX: dict[str, Case] = {
    "programmes:programme_list": Case(SIGNED_IN),
    "programmes:programme_create": Case(CONVENOR_ONLY),
    "programmes:programme_detail": Case(CONVENOR_ONLY, args=programme_args),
    "programmes:programme_edit": Case(CONVENOR_ONLY, args=programme_args),
    "programmes:curriculum_add": Case(CONVENOR_ONLY, method="post", args=programme_args),
    "programmes:cohort_create": Case(CONVENOR_ONLY, args=programme_args),
    "programmes:cohort_detail": Case(CONVENOR_ONLY, args=cohort_args),
    "programmes:cohort_edit": Case(CONVENOR_ONLY, args=cohort_args),
    "programmes:facilitator_add": Case(CONVENOR_ONLY, args=cohort_args),
    "programmes:facilitator_remove": Case(CONVENOR_ONLY, ok=302, method="post", args=facilitator_args),
    "programmes:enrol_add": Case(CONVENOR_ONLY, args=cohort_args),
    "programmes:session_create": Case(CONVENOR_ONLY, args=cohort_args),
    "programmes:session_detail": Case(CONVENOR_ONLY, args=session_args),
    "programmes:session_edit": Case(CONVENOR_ONLY, args=session_args),
    "programmes:session_cancel": Case(CONVENOR_ONLY, ok=302, method="post", args=session_args),
    "programmes:register": Case(CONVENOR_ONLY, args=session_args),
    "programmes:closing_report": Case(CONVENOR_ONLY, args=session_args),
    "programmes:material_add": Case(CONVENOR_ONLY, args=session_args),
    "programmes:material_download": Case(CONVENOR_ONLY, args=material_args),
    "programmes:material_remove": Case(CONVENOR_ONLY, ok=302, method="post", args=material_args),
}
