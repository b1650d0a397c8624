import pytest

from carecommons.accounts.models import Role
from carecommons.people import services
from carecommons.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_person_is_emailed_at_their_own_address_before_the_one_they_sign_in_with() -> None:
    person = services.create_person(by=None, given_name="Ama", family_name="Mensah", email="ama@example.org")
    services.give_account(person=person, roles=[Role.PARTICIPANT], by=None)
    Person.objects.filter(pk=person.pk).update(email="ama.home@example.org")
    assert Person.objects.get(pk=person.pk).mail_address == "ama.home@example.org"


def test_a_person_without_their_own_address_is_emailed_where_they_sign_in() -> None:
    person = services.create_person(by=None, given_name="Ama", family_name="Mensah", email="ama@example.org")
    services.give_account(person=person, roles=[Role.PARTICIPANT], by=None)
    Person.objects.filter(pk=person.pk).update(email="")
    assert Person.objects.get(pk=person.pk).mail_address == "ama@example.org"


def test_a_person_with_no_address_and_no_account_cannot_be_emailed() -> None:
    person = services.create_person(by=None, given_name="Ama", family_name="Mensah")
    assert person.mail_address == ""
