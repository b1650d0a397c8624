"""Sign-up fixtures, made through the real services."""

import time
from typing import Any

from carecommons.people.models import ConsentWording
from carecommons.people.services import create_person, publish_wording
from carecommons.programmes import services as programme_services
from carecommons.programmes.models import Cohort, Enrolment
from carecommons.programmes.tests.factories import make_cohort, make_programme
from carecommons.signups import services, spam

WORDINGS = {
    "contact": "We may email or phone you about the programme.",
    "programme": "We keep a record of the sessions you come to.",
    "research": "Your answers may be used, without your name, to evaluate the programme.",
}


def publish_wordings() -> dict[str, ConsentWording]:
    return {
        purpose: publish_wording(purpose=purpose, text=text, by=None) for purpose, text in WORDINGS.items()
    }


def open_cohort(capacity: int = 30, **extra: Any) -> Cohort:
    cohort = make_cohort(make_programme(workshops=1), capacity=capacity, **extra)
    return programme_services.update_cohort(
        cohort=cohort, by=None, signup_open=True, signup_intro="Come and learn to care for yourself."
    )


def apply_as(cohort: Cohort, email: str, **extra: Any) -> Enrolment:
    values: dict[str, Any] = {
        "given_name": email.split("@")[0].title(),
        "family_name": "Applicant",
        "answers": {},
        "consents": {"contact": True, "programme": True, "research": False},
        "ip": None,
    }
    return services.apply(cohort=cohort, email=email, **(values | extra))


def waiting(cohort: Cohort, email: str) -> Enrolment:
    return services.waitlist(enrolment=apply_as(cohort, email), by=None)


def accepted(cohort: Cohort, email: str) -> Enrolment:
    return services.accept(enrolment=apply_as(cohort, email), by=None)


def form_data(cohort: Cohort, *, seconds_ago: float = 30, **overrides: Any) -> dict[str, Any]:
    """What a person filling in the public page sends."""
    from carecommons.signups.forms import signup_wordings, versions_of

    data = {
        "given_name": "Nadia",
        "family_name": "Rahman",
        "email": "nadia@example.org",
        "organisation_name": "Levenshulme Food Friends",
        "access_needs": "Step-free access",
        "consent_contact": "on",
        "consent_programme": "on",
        "started": spam.form_token(str(cohort.uuid), now=time.time() - seconds_ago),
        "wording_versions": versions_of(signup_wordings()),
        "website": "",
    }
    return {k: v for k, v in (data | overrides).items() if v is not None}


def person(email: str, **extra: Any) -> Any:
    return create_person(by=None, given_name=extra.pop("given_name", "Existing"), email=email, **extra)
