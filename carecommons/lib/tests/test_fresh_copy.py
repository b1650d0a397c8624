import pytest

from carecommons.lib.models import fresh_copy
from carecommons.people.services import create_person

pytestmark = pytest.mark.django_db


def test_fresh_copy_is_the_row_as_stored_whatever_was_changed_on_the_loaded_one() -> None:
    person = create_person(by=None, given_name="Ada")
    person.given_name = "Typed but not saved"
    copy = fresh_copy(person)
    assert copy is not person and copy.pk == person.pk
    assert copy.given_name == "Ada" and person.given_name == "Typed but not saved"
