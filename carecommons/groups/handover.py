"""What the handover moves, pure: no database (decision 0030 section 4).

Each area of a handover plan carries powers. Until an area is handed over, the convening staff hold
its powers and the members' roles do not give them; after, the other way round. Areas the plan
never names are handed over when the plan completes, with the last step. A group with no plan is
self-governing: its members hold every power their roles give.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from carecommons.groups.models import HandoverArea, Power

AREA_POWERS: dict[HandoverArea, frozenset[Power]] = {
    HandoverArea.INVITING_PEOPLE: frozenset({Power.INVITE_PEOPLE}),
    HandoverArea.RUNNING_DECISIONS: frozenset({Power.RUN_DECISIONS, Power.RECORD_VOTES}),
    # Who gives the money roles. Keeping the books and approving spending are never an area: they
    # are held by whoever holds a term in a role with those powers (a member), so the money pages
    # (finances.roles.roles_in) and the group give one answer at every stage of the handover.
    HandoverArea.MONEY_ROLES: frozenset({Power.GIVE_MONEY_ROLES}),
    HandoverArea.INVITING_PROFESSIONALS: frozenset({Power.INVITE_PROFESSIONALS}),
}


def powers_of_areas(areas: Iterable[HandoverArea]) -> frozenset[Power]:
    return frozenset().union(*(AREA_POWERS[area] for area in areas))


@dataclass(frozen=True)
class Stage:
    """Where a group is in its handover."""

    planned: bool = False
    completed: bool = False
    done: frozenset[HandoverArea] = frozenset()

    @property
    def pending(self) -> frozenset[HandoverArea]:
        """The areas not yet handed over."""
        return frozenset() if self.completed else frozenset(HandoverArea) - self.done


SELF_GOVERNING = Stage()


def withheld_from_members(stage: Stage) -> frozenset[Power]:
    """The powers a member's roles do not give yet: those of areas a plan has not handed over."""
    return powers_of_areas(stage.pending) if stage.planned else frozenset()


def convening_powers(stage: Stage) -> frozenset[Power]:
    """What a current convening seat gives: seeing the group, the areas not yet handed over, and,
    while any is, giving roles, so that the staff who convene the group can set it up (name the
    convenor, appoint the treasurer while money roles are theirs). Members who may give roles keep
    that power throughout; the staff lose it with the last step."""
    pending = powers_of_areas(stage.pending)
    return (
        frozenset({Power.SEE}) | pending | (frozenset({Power.GIVE_ROLES}) if stage.pending else frozenset())
    )
