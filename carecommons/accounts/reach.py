"""Who must use a second factor, decided in one place from what they can reach.

A site role other than participant reaches other people's records by itself. Relationships reach
them too, whatever the role: each domain app says which of its rows do in its own `reach.py`, as a
list `REACH` of `Reach` entries, and this module asks every installed app (decision 0014). Accounts
is the foundation app, so it never imports a domain app by name: it finds their modules when first
asked, after the app registry is ready.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from carecommons.lib import plugins

if TYPE_CHECKING:
    from carecommons.accounts.models import User

ROLE_REASON = "you hold a role that opens other people's records"


@dataclass(frozen=True)
class Reach:
    """A relationship that opens other people's records or money details.

    `rows(user)` returns the rows that give it, filtered by `user`, which is either a User or an
    OuterRef to one (so every relation can be asked in a single query). `reason` completes the
    sentence "We ask for a second factor because ..." in the user's own words.
    """

    name: str
    reason: str
    rows: Callable[[Any], QuerySet[Any]]


@cache
def declared() -> tuple[Reach, ...]:
    """Every app's REACH, in INSTALLED_APPS order."""
    return tuple(reach for _, reaches in plugins.declared("reach", "REACH") for reach in reaches)


def role_grants_reach(user: Any) -> Q:
    from carecommons.accounts.models import Role, RoleGrant

    roles = RoleGrant.objects.filter(user=user).exclude(role=Role.PARTICIPANT)
    return Q(is_staff=True) | Q(is_superuser=True) | Q(Exists(roles))


@dataclass(frozen=True)
class SecondFactor:
    """What one query found: which reasons apply to the user and whether TOTP is on."""

    reasons: tuple[str, ...]
    has_totp: bool

    @property
    def needed(self) -> bool:
        return bool(self.reasons)


def second_factor_flags(outer: Any, *, relations: Sequence[Reach] | None = None) -> dict[str, Any]:
    """The annotations, on a User query, that `second_factor_from` reads back: every reason and TOTP."""
    from allauth.mfa.models import Authenticator

    relations = declared() if relations is None else relations
    totp = Authenticator.objects.filter(user=outer, type=Authenticator.Type.TOTP)
    flags: dict[str, Any] = {"sf_role": role_grants_reach(outer), "sf_totp": Exists(totp)}
    flags.update({f"sf_reach_{i}": Exists(reach.rows(outer)) for i, reach in enumerate(relations)})
    return flags


def second_factor_from(row: dict[str, Any], *, relations: Sequence[Reach] | None = None) -> SecondFactor:
    relations = declared() if relations is None else relations
    reasons = [ROLE_REASON] if row["sf_role"] else []
    reasons += [reach.reason for i, reach in enumerate(relations) if row[f"sf_reach_{i}"]]
    return SecondFactor(reasons=tuple(reasons), has_totp=bool(row["sf_totp"]))


def second_factor_for(user: "User", *, relations: Sequence[Reach] | None = None) -> SecondFactor:
    """One query: every reason the user needs a second factor, and whether they have TOTP."""
    from carecommons.accounts.models import User

    flags = second_factor_flags(OuterRef("pk"), relations=relations)
    row = User.objects.filter(pk=user.pk).annotate(**flags).values(*flags).first()
    if row is None:
        return SecondFactor(reasons=(), has_totp=False)
    return second_factor_from(row, relations=relations)
