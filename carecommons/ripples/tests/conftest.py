"""The round most ripples pages' tests start from, and someone who can see its cohort but was not
invited to it."""

import pytest

from carecommons.accounts.models import Role, User
from carecommons.programmes.tests.factories import enrol
from carecommons.ripples.models import MappingRound
from carecommons.ripples.tests.factories import make_round
from conftest import make_user


@pytest.fixture
def mapped(facilitator: User, participant: User) -> MappingRound:
    """A round started from a session of the cohort `facilitator` runs; `participant` is invited."""
    return make_round(facilitator, participant)


@pytest.fixture
def bystander(mapped: MappingRound) -> User:
    """In the round's cohort, but joined after the round started, so not invited."""
    user = make_user("bystander", [Role.PARTICIPANT])
    assert mapped.session is not None
    enrol(mapped.session.cohort, user)
    return user
