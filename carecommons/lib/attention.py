"""The "needs your attention" items of the home page, gathered from every app that declares some.

An app lists its providers in its own `attention.py` as `ATTENTION = [Provider("name", items)]`,
where `items(user)` returns that app's items for the signed-in user. This module finds them the
way `accounts/reach.py` finds each app's `reach.py`: by looking into every installed app when first
asked, so no app imports the home page and the home page imports no app (decision 0026). The page
that shows the items decides their order, by the providers' names.

A provider may also say which rows it needs (`pending(user)`, a queryset: without one of them it
has no item). The home page asks every provider's `pending` in one query and runs only the
providers that have something, so a person with little to do costs few queries (decision 0038).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import QuerySet

from carecommons.lib import plugins
from carecommons.lib.exists import which_exist


@dataclass(frozen=True)
class Item:
    title: str
    detail: str
    url: str
    link_text: str


@dataclass(frozen=True)
class Provider:
    """`name` is unique within its app; the registry names it "<app label>.<name>"."""

    name: str
    items: Callable[[Any], list[Item]]
    pending: Callable[[Any], QuerySet[Any]] | None = None


@cache
def providers() -> dict[str, Provider]:
    """Every app's ATTENTION, keyed "<app label>.<name>", in INSTALLED_APPS order."""
    return {
        f"{config.label}.{provider.name}": provider
        for config, declared in plugins.declared("attention", "ATTENTION")
        for provider in declared
    }


def items_for(user: Any, *, order: Sequence[str]) -> list[Item]:
    """Every provider's items for `user`: those named in `order` first, in that order, then any
    other in INSTALLED_APPS order (so a new provider shows before anyone places it)."""
    known = providers()
    names = [name for name in order if name in known]
    names += [name for name in known if name not in order]
    gates = {name: gate(user) for name in names if (gate := known[name].pending) is not None}
    found = which_exist(user, gates)
    return [item for name in names if found.get(name, True) for item in known[name].items(user)]
