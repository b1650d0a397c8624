"""Community group fixtures, made through the real services."""

from collections.abc import Sequence
from datetime import date

from carecommons.groups import services
from carecommons.groups.models import CommunityGroup, Joining, Role
from carecommons.people.models import Person
from carecommons.people.services import create_person

TODAY = date(2026, 3, 2)


def make_person(given_name: str = "Amira", family_name: str = "Khan") -> Person:
    return create_person(by=None, given_name=given_name, family_name=family_name)


def make_group(
    name: str = "Riverside action group",
    *,
    members: Sequence[Person] = (),
    joining: str = Joining.INVITATION,
    today: date = TODAY,
    **links: object,
) -> CommunityGroup:
    return services.start_group(
        name=name,
        by=None,
        joining=joining,
        founders=members,
        today=today,
        **links,  # type: ignore[arg-type]
    )


def make_role(
    group: CommunityGroup,
    name: str = "Convenor",
    *,
    term_months: int | None = 6,
    max_consecutive_terms: int | None = None,
    seats: int | None = 1,
    powers: Sequence[str] = (),
) -> Role:
    return services.name_role(
        group=group,
        name=name,
        by=None,
        term_months=term_months,
        max_consecutive_terms=max_consecutive_terms,
        seats=seats,
        powers=powers,
    )
