import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import Role, User
from carecommons.audit.models import AuditEvent
from carecommons.people import services
from carecommons.people.models import Consent

pytestmark = pytest.mark.django_db


def test_a_convenor_gives_a_person_an_account_and_they_choose_a_password(
    convenor, client_for, django_capture_on_commit_callbacks
) -> None:
    person = services.create_person(
        by=None, given_name="Nadia", family_name="Begum", email="nadia@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(convenor).post(
            reverse("people:person_account", args=[person.uuid]), {"roles": ["participant"]}
        )
    assert response.status_code == 302
    user = User.objects.get(email="nadia@example.org")
    person.refresh_from_db()
    assert person.user == user and user.roles == {Role.PARTICIPANT} and not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nadia@example.org"]
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/key/\S+)", str(mail.outbox[0].body))
    assert link is not None
    client = Client()
    form_page = client.get(link.group(1), follow=True)
    new_password = "a long and lovely passphrase"
    client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert (
        Client().post(reverse("account_login"), {"login": user.email, "password": new_password}).status_code
        == 302
    )
    assert AuditEvent.objects.filter(action="person.account_given", target_id=str(person.uuid)).exists()


def test_an_account_needs_an_email_and_a_role_and_an_unused_address(convenor, client_for) -> None:
    client = client_for(convenor)
    no_email = services.create_person(by=None, given_name="Cy", family_name="Okafor")
    page = client.post(reverse("people:person_account", args=[no_email.uuid]), {"roles": ["participant"]})
    assert "Add their email address first" in page.content.decode()
    taken = services.create_person(
        by=None, given_name="Con", family_name="Venor", email="convenor@example.org"
    )
    page = client.post(reverse("people:person_account", args=[taken.uuid]), {"roles": ["participant"]})
    assert "Another account already uses this email" in page.content.decode()
    someone = services.create_person(by=None, given_name="Ann", family_name="Lee", email="ann@example.org")
    page = client.post(reverse("people:person_account", args=[someone.uuid]), {})
    assert "Choose at least one role" in page.content.decode()
    assert User.objects.count() == 1


def test_a_convenor_changes_roles_and_each_change_is_audited(convenor, participant, client_for) -> None:
    client_for(convenor).post(
        reverse("people:person_account", args=[participant.person.uuid]),
        {"roles": ["participant", "facilitator"]},
    )
    user = User.objects.get(pk=participant.pk)
    assert user.roles == {Role.PARTICIPANT, Role.FACILITATOR}
    assert AuditEvent.objects.filter(action="account.role_granted", actor=convenor).count() == 1


def test_a_person_changes_their_own_consent_as_easily_as_they_gave_it(participant, client_for) -> None:
    research = services.publish_wording(purpose="research", text="Use my answers without my name", by=None)
    services.publish_wording(purpose="contact", text="Contact me", by=None)
    person = participant.person
    services.record_consent(
        person=person, purpose="research", given=True, method="paper", wording=research, by=None
    )
    client = client_for(participant)
    url = reverse("people:own_consent", args=[person.uuid])
    page = client.get(url).content.decode()
    assert "Use my answers without my name" in page
    client.post(url, {"research": "no", "contact": "yes"})
    latest = {c.purpose: c for c in Consent.objects.filter(person=person).current()}
    assert latest["research"].given is False and latest["research"].method == "online"
    assert latest["research"].recorded_by == participant
    assert latest["contact"].given is True
    client.post(url, {"research": "no", "contact": "yes"})
    assert Consent.objects.filter(person=person).count() == 3


def test_nobody_can_make_choices_for_someone_else_through_the_self_service_page(convenor, client_for) -> None:
    other = services.create_person(by=None, given_name="Dev", family_name="Patel")
    assert client_for(convenor).get(reverse("people:own_consent", args=[other.uuid])).status_code == 404
