"""A round's facilitator sees who was invited and the evidence they gave, so needs a second
factor whatever their site role; the people invited to the round do not."""

from datetime import date

import pytest

from carecommons.accounts.models import Role
from carecommons.accounts.reach import second_factor_for
from carecommons.programmes.tests.factories import make_programme, person_of
from carecommons.ripples import services
from carecommons.ripples.models import InviteeKind
from conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_participant_facilitating_a_round_needs_a_second_factor_and_the_invited_do_not() -> None:
    leader = make_user("leader", [Role.PARTICIPANT], totp=False)
    invited = make_user("invited", [Role.PARTICIPANT], totp=False)
    assert not second_factor_for(leader).needed
    services.start_round(
        programme=make_programme(workshops=1),
        title="Spring map",
        held_on=date(2025, 3, 4),
        facilitator=person_of(leader),
        by=None,
        invitees=[(person_of(invited), InviteeKind.STAKEHOLDER)],
    )
    reasons = second_factor_for(leader).reasons
    assert any("ripple mapping round" in reason for reason in reasons)
    assert not second_factor_for(invited).needed
