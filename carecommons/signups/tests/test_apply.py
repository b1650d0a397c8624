import pytest
from django.core import mail
from django.urls import reverse

from carecommons.audit.models import AuditEvent
from carecommons.people.models import Affiliation, Consent, Organisation, Person
from carecommons.people.services import create_organisation, publish_wording, record_consent
from carecommons.programmes import services as programme_services
from carecommons.programmes.models import Cohort, Enrolment, EnrolmentStatus
from carecommons.programmes.tests.factories import make_cohort
from carecommons.signups import services
from carecommons.signups.tests.factories import apply_as, form_data, open_cohort, person, publish_wordings

pytestmark = pytest.mark.django_db


def test_applying_creates_the_person_their_application_and_consents_with_the_wording_shown(
    client, django_capture_on_commit_callbacks
) -> None:
    wordings = publish_wordings()
    cohort = open_cohort()
    question = services.add_question(
        cohort=cohort,
        by=None,
        text="Which evening suits you?",
        kind="choice",
        choices=["Tuesday", "Thursday"],
    )
    url = reverse("signups:cohort_signup", args=[cohort.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(cohort) | {f"q_{question.pk}": "Thursday"})

    assert response.status_code == 302
    assert response["Location"] == reverse("signups:signup_done", args=[cohort.uuid])
    nadia = Person.objects.get(email="nadia@example.org")
    assert (nadia.given_name, nadia.family_name, nadia.accessibility_needs) == (
        "Nadia",
        "Rahman",
        "Step-free access",
    )
    enrolment = Enrolment.objects.get(person=nadia, cohort=cohort)
    assert enrolment.status == EnrolmentStatus.APPLIED
    assert enrolment.organisation == Organisation.objects.get(name="Levenshulme Food Friends")
    assert enrolment.answers == {str(question.pk): "Thursday"}
    assert Affiliation.objects.filter(person=nadia, organisation=enrolment.organisation).exists()
    consents = {c.purpose: (c.given, c.wording, c.method) for c in Consent.objects.filter(person=nadia)}
    assert consents == {
        "contact": (True, wordings["contact"], "online"),
        "programme": (True, wordings["programme"], "online"),
        "research": (False, wordings["research"], "online"),
    }
    event = AuditEvent.objects.get(action="signup.applied")
    assert event.detail == {"cohort": str(cohort.uuid), "person": str(nadia.uuid)}
    assert "nadia" not in str(event.detail).lower()
    assert [m.to for m in mail.outbox] == [["nadia@example.org"]]
    assert "Thank you for applying" in mail.outbox[0].body


def test_the_public_page_shows_the_programme_places_left_and_the_exact_consent_wording(client) -> None:
    wordings = publish_wordings()
    cohort = open_cohort(capacity=2)
    services.add_question(cohort=cohort, by=None, text="Have you been before?", kind="yes_no", required=True)
    page = client.get(reverse("signups:cohort_signup", args=[cohort.uuid])).content.decode()
    assert "Eight workshops on self-care." in page
    assert "Come and learn to care for yourself." in page
    assert "2 places left" in page
    assert "Have you been before?" in page
    assert wordings["research"].text in page
    assert f"Wording version {wordings['research'].version}" in page
    assert 'name="website"' in page and "<div hidden>" in page


def test_a_full_cohort_still_takes_applications_for_its_waiting_list(client) -> None:
    cohort = open_cohort(capacity=1)
    services.accept(enrolment=apply_as(cohort, "first@example.org"), by=None)
    page = client.get(reverse("signups:cohort_signup", args=[cohort.uuid])).content.decode()
    assert "All the places are taken" in page
    assert "waiting list" in page


def test_the_sign_up_page_is_a_404_for_a_cohort_whose_sign_up_never_opened(client) -> None:
    cohort = make_cohort()
    assert client.get(reverse("signups:cohort_signup", args=[cohort.uuid])).status_code == 404
    assert client.get(reverse("signups:signup_done", args=[cohort.uuid])).status_code == 404


def test_a_sign_up_that_closed_while_someone_typed_shows_what_they_typed_and_saves_nothing(client) -> None:
    publish_wordings()
    cohort = open_cohort()
    why = services.add_question(cohort=cohort, by=None, text="Why join?", kind="text", required=True)
    other = programme_services.create_cohort(
        programme=cohort.programme,
        by=None,
        name="Spring group",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        capacity=10,
        signup_open=True,
    )
    data = form_data(cohort, given_name="Amira") | {f"q_{why.pk}": "To meet people nearby"}
    programme_services.update_cohort(cohort=cohort, by=None, signup_open=False)

    response = client.post(reverse("signups:cohort_signup", args=[cohort.uuid]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This sign-up closed at" in page
    assert "Your answers are below so you can copy them" in page
    assert "Amira" in page and "To meet people nearby" in page
    assert reverse("signups:cohort_signup", args=[other.uuid]) in page
    assert not Enrolment.objects.exists()
    assert not Person.objects.exists()
    assert client.get(reverse("signups:cohort_signup", args=[cohort.uuid])).status_code == 200


def test_the_service_refuses_an_application_to_a_closed_cohort() -> None:
    cohort = open_cohort()
    stale = Cohort.objects.get(pk=cohort.pk)
    programme_services.update_cohort(cohort=cohort, by=None, signup_open=False)
    with pytest.raises(services.SignupClosed):
        apply_as(stale, "late@example.org")
    assert not Enrolment.objects.exists()


def test_a_form_naming_someone_in_the_directory_changes_nothing_on_their_record(client) -> None:
    publish_wordings()
    existing = person("Nadia.R@Example.org", given_name="Nads", phone="", pronouns="she/her")
    cohort = open_cohort()
    data = form_data(cohort, email="NADIA.r@example.ORG", given_name="Nadia", phone="0161 496 0000")
    client.post(reverse("signups:cohort_signup", args=[cohort.uuid]), data)

    assert Person.objects.count() == 1
    existing.refresh_from_db()
    assert existing.given_name == "Nads"  # never overwritten
    assert existing.pronouns == "she/her"
    assert existing.phone == ""  # the email is unverified: nothing typed is written to the record
    assert not existing.affiliations.exists()
    assert not Consent.objects.filter(person=existing).exists()
    enrolment = Enrolment.objects.get()
    assert enrolment.person == existing
    assert enrolment.submitted["details"]["phone"] == "0161 496 0000"
    assert enrolment.submitted["consents"]["programme"]["given"] is True


def test_the_public_form_never_withdraws_consent_given_before() -> None:
    wordings = publish_wordings()
    existing = person("nadia@example.org")
    record_consent(
        person=existing, purpose="research", given=True, method="paper", wording=wordings["research"], by=None
    )
    apply_as(
        open_cohort(), "nadia@example.org", consents={"contact": True, "programme": True, "research": False}
    )
    research = Consent.objects.filter(person=existing, purpose="research").current().get()
    assert research.given is True
    assert research.method == "paper"


def test_consent_ticked_for_someone_already_known_is_kept_on_the_application_not_recorded() -> None:
    wordings = publish_wordings()
    existing = person("nadia@example.org")
    record_consent(
        person=existing, purpose="contact", given=True, method="paper", wording=wordings["contact"], by=None
    )
    newer = publish_wording(purpose="contact", text="We may email, phone or text you.", by=None)
    enrolment = apply_as(open_cohort(), "nadia@example.org", consents={"contact": True})
    contact = Consent.objects.filter(person=existing, purpose="contact").current().get()
    assert (contact.wording, contact.method) == (wordings["contact"], "paper")
    assert enrolment.submitted["consents"]["contact"] == {"given": True, "wording_version": newer.version}


def test_a_double_submit_creates_one_application_and_changes_nothing(
    client, django_capture_on_commit_callbacks
) -> None:
    publish_wordings()
    cohort = open_cohort()
    url = reverse("signups:cohort_signup", args=[cohort.uuid])
    data = form_data(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data | {"given_name": "Someone Else", "access_needs": "Changed"})
    assert first.status_code == second.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.access_needs == "Step-free access"
    assert Person.objects.get().given_name == "Nadia"
    assert Consent.objects.count() == 3  # contact, programme given; research not given
    assert len(mail.outbox) == 1


def test_an_organisation_already_in_the_directory_is_reused_whatever_its_spelling() -> None:
    group = create_organisation(by=None, name="Moss Side Men's Shed", kind="grassroots")
    enrolment = apply_as(open_cohort(), "a@example.org", organisation_name="  moss side mens shed ")
    assert enrolment.organisation == group
    assert Organisation.objects.count() == 1


def test_required_questions_and_choices_are_checked_and_what_was_typed_is_kept(client) -> None:
    publish_wordings()
    cohort = open_cohort()
    required = services.add_question(cohort=cohort, by=None, text="Why join?", kind="text", required=True)
    choice = services.add_question(
        cohort=cohort, by=None, text="When?", kind="choice", choices=["Morning", "Evening"]
    )
    url = reverse("signups:cohort_signup", args=[cohort.uuid])
    response = client.post(url, form_data(cohort, consent_programme=None) | {f"q_{choice.pk}": "Midnight"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please answer this question." in page
    assert "Choose one of the answers given." in page
    assert "We need your agreement to this" in page
    assert 'value="Levenshulme Food Friends"' in page
    assert f'aria-describedby="id_q_{required.pk}_error"' in page
    assert not Enrolment.objects.exists()
    assert not Person.objects.exists()


def test_changed_consent_wording_is_shown_again_before_anything_is_recorded(client) -> None:
    publish_wordings()
    cohort = open_cohort()
    data = form_data(cohort)
    publish_wording(purpose="research", text="New words about research.", by=None)
    url = reverse("signups:cohort_signup", args=[cohort.uuid])
    response = client.post(url, data)
    assert "has changed since you opened it" in response.content.decode()
    assert "New words about research." in response.content.decode()
    assert not Enrolment.objects.exists()
    assert (
        client.post(url, data | {"wording_versions": "contact:1,programme:1,research:2"}).status_code == 302
    )
