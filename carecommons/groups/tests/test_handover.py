"""What the handover moves, pure: the powers of each area, withheld from members until handed over."""

from carecommons.groups import handover
from carecommons.groups.handover import Stage
from carecommons.groups.models import ROLE_POWERS, HandoverArea, Power

MONEY = {Power.GIVE_MONEY_ROLES}


def test_every_area_carries_role_powers_and_no_two_areas_share_one() -> None:
    powers = [p for area in HandoverArea for p in handover.AREA_POWERS[area]]
    assert len(powers) == len(set(powers))
    assert set(powers) <= ROLE_POWERS and Power.GIVE_ROLES not in powers


def test_a_group_with_no_plan_withholds_nothing_from_its_members() -> None:
    assert handover.withheld_from_members(handover.SELF_GOVERNING) == frozenset()


def test_half_way_the_members_get_what_is_done_and_the_staff_keep_the_rest() -> None:
    stage = Stage(
        planned=True, done=frozenset({HandoverArea.INVITING_PEOPLE, HandoverArea.RUNNING_DECISIONS})
    )
    assert handover.withheld_from_members(stage) == MONEY | {Power.INVITE_PROFESSIONALS}
    assert handover.convening_powers(stage) == MONEY | {
        Power.INVITE_PROFESSIONALS,
        Power.SEE,
        Power.GIVE_ROLES,
    }


def test_a_completed_plan_hands_over_every_area_even_one_it_never_named() -> None:
    stage = Stage(planned=True, completed=True, done=frozenset({HandoverArea.INVITING_PEOPLE}))
    assert stage.pending == frozenset()
    assert handover.withheld_from_members(stage) == frozenset()
    assert handover.convening_powers(stage) == {Power.SEE}


def test_a_plan_with_nothing_done_withholds_every_area() -> None:
    stage = Stage(planned=True)
    assert handover.withheld_from_members(stage) == handover.powers_of_areas(HandoverArea)
    assert Power.RECORD_VOTES in handover.withheld_from_members(stage)
