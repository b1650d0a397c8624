"""The seven community capitals that ripples are coded with, and the two small vocabularies every
ripple carries: whether the effect was good, bad or both, and whether anyone meant it to happen.

The capitals are those of the Community Capitals Framework as Emery and Flora describe them
(Emery & Flora 2006, "Spiraling-up: mapping community transformation with community capitals
framework", Community Development 37:19), the coding Ripple Effects Mapping usually uses
(participedia.net/method/ripple-effect-mapping; Flora's own summary at
soc.iastate.edu/staff/cflora/ncrcrd/capitals.html; peers.md section 9 in the project's shared
reference).
The descriptions are ours, in plain words, for a facilitator coding ripples in the room.
"""

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Capital:
    id: str
    name: str
    description: str


CAPITALS = (
    Capital(
        "natural",
        "Natural",
        "The place itself: land, water, parks, green spaces, wildlife, weather and natural beauty.",
    ),
    Capital(
        "cultural",
        "Cultural",
        "How people see the world and act in it: values, traditions, heritage, language, whose "
        "voices are heard.",
    ),
    Capital(
        "human",
        "Human",
        "What people can do: skills, knowledge, health, confidence and leadership.",
    ),
    Capital(
        "social",
        "Social",
        "Connections between people and groups: trust, friendships, networks, and ties that reach "
        "out to others.",
    ),
    Capital(
        "political",
        "Political",
        "Access to power: a voice in decisions, influence on rules and budgets, links to people who decide.",
    ),
    Capital(
        "financial",
        "Financial",
        "Money that can be put to work: grants, savings, income, investment, fundraising.",
    ),
    Capital(
        "built",
        "Built",
        "Things made to support community life: buildings, meeting places, transport, equipment, broadband.",
    ),
)

BY_ID = {capital.id: capital for capital in CAPITALS}
CAPITAL_IDS = tuple(BY_ID)


def unknown_capitals(ids: frozenset[str]) -> list[str]:
    """The ids that name no capital, sorted, so a form or an import can say which."""
    return sorted(ids - BY_ID.keys())


class Valence(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    MIXED = "mixed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Intent(StrEnum):
    INTENDED = "intended"
    UNINTENDED = "unintended"
    NOT_KNOWN = "not_known"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()
