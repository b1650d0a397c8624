"""What a decision kind is, once its declaration is read: frozen types, no behaviour beyond lookups.

The declarations themselves are data, one file per kind in `kind_data/`, read and checked by
`kinds.py`; counting them is `counting.py`.
"""

from dataclasses import dataclass
from typing import Literal

# What a ballot holds: one option; some options; options in order of preference; dots placed on
# options; a point of the kind's scale for every option; or only words.
Shape = Literal["one", "some", "ranking", "dots", "marks", "words"]
Counting = Literal["tally", "instant_runoff", "dots", "scores", "best_slot", "words"]
# Whether the decision's outcome is "passes"/"fails": never, when nobody objects (consent), or when
# the agreeing share of those who took a side is high enough (majority, or the vote-share rule).
PassRule = Literal["none", "no_open_blocks", "majority"]
Reason = Literal["optional", "required"]
OptionsFrom = Literal["kind", "decision"]

SHAPES: tuple[Shape, ...] = ("one", "some", "ranking", "dots", "marks", "words")
COUNTINGS: tuple[Counting, ...] = ("tally", "instant_runoff", "dots", "scores", "best_slot", "words")
PASS_RULES: tuple[PassRule, ...] = ("none", "no_open_blocks", "majority")
# Which ballot shapes each way of counting can read.
COUNTS_SHAPES: dict[Counting, tuple[Shape, ...]] = {
    "tally": ("one", "some"),
    "instant_runoff": ("ranking",),
    "dots": ("dots",),
    "scores": ("marks",),
    "best_slot": ("marks",),
    "words": ("words",),
}


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    meaning: str = ""


@dataclass(frozen=True)
class Point:
    """One point of a scale every option is marked on (a score, or yes / if need be / no)."""

    value: int
    label: str


@dataclass(frozen=True)
class Words:
    """What people read: the kind's name, what it is for, the question above the ballot, and the
    prompt for a reason."""

    name: str
    summary: str
    prompt: str
    reason_prompt: str


@dataclass(frozen=True)
class Kind:
    key: str
    words: Words
    shape: Shape
    counting: Counting
    options_from: OptionsFrom
    options: tuple[Option, ...] = ()
    fewest_options: int = 0
    most_options: int = 0
    scale: tuple[Point, ...] = ()
    fewest_choices: int = 1
    most_choices: int | None = None
    every_option: bool = False
    dots: int = 0
    reason: Reason = "optional"
    reason_required_for: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    blocks_until_resolved: bool = False
    agree: tuple[str, ...] = ()
    abstain: tuple[str, ...] = ()
    passes: PassRule = "none"
    quorum: bool = False
    vote_share: bool = False
    anonymous: bool = True

    @property
    def makes_calendar(self) -> bool:
        """A time poll's chosen slot can be downloaded as an `.ics`."""
        return self.counting == "best_slot"

    def option(self, key: str) -> Option | None:
        return next((option for option in self.options if option.key == key), None)

    @property
    def scale_values(self) -> tuple[int, ...]:
        return tuple(point.value for point in self.scale)


def carries_steps(kind: Kind) -> bool:
    """Whether a decision of this kind may carry a handover step: kinds whose outcome is "passes"
    or "fails" (a pass rule: proposal, consent, gradients). The step is done when it passes."""
    return kind.passes != "none"
