"""An instrument definition once parsed: what docs/instruments-schema.md describes, as frozen types."""

from dataclasses import dataclass, field
from typing import Literal

Method = Literal["sum", "mean", "lookup"]
Direction = Literal["better", "worse"]
Severity = Literal["critical", "warning"]
LicenceStatus = Literal[
    "public-domain", "open-permission", "cc-by-nd-4.0", "licence-required", "permission-pending"
]


@dataclass(frozen=True)
class ResponseSet:
    id: str
    min: int
    max: int
    labelled: tuple[int, ...]

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)


@dataclass(frozen=True)
class Item:
    id: str
    position: int
    response_set: ResponseSet
    reverse: bool = False
    required: bool = True
    scored: bool = True

    def scored_value(self, answer: int) -> int:
        if self.reverse:
            return self.response_set.min + self.response_set.max - answer
        return answer


@dataclass(frozen=True)
class Band:
    start: float
    label: str


@dataclass(frozen=True)
class Threshold:
    at_least: float
    source: str


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    method: Method
    items: tuple[Item, ...]
    range: tuple[float, float]
    higher_is: Direction
    prorate_at_most: int = 0
    lookup: dict[int, float] = field(default_factory=dict)
    bands: tuple[Band, ...] = ()
    bands_source: str = ""
    caseness: Threshold | None = None
    reliable_change: Threshold | None = None
    confirmed: bool = True
    notes: tuple[str, ...] = ()

    @property
    def raw_range(self) -> tuple[int, int]:
        """The lowest and highest sum of the scale's items."""
        return (
            sum(item.response_set.min for item in self.items),
            sum(item.response_set.max for item in self.items),
        )

    def band_for(self, score: float | None) -> str | None:
        label = None
        for band in self.bands:
            if score is not None and band.start <= score:
                label = band.label
        return label

    def is_case(self, score: float) -> bool | None:
        return None if self.caseness is None else score >= self.caseness.at_least


@dataclass(frozen=True)
class RiskRule:
    id: str
    item: Item
    at_least: int
    severity: Severity
    if_unanswered: bool
    source: str

    @property
    def unanswered_flag(self) -> str:
        return f"{self.id}_unanswered"


@dataclass(frozen=True)
class Licence:
    status: LicenceStatus
    may_ship_text: bool
    holder: str
    terms: str
    url: str
    attribution_required: bool


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    name: str
    short_name: str
    citation: str
    recall_period: str
    licence: Licence
    response_sets: dict[str, ResponseSet]
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    risk_rules: tuple[RiskRule, ...] = ()
    notes: tuple[str, ...] = ()
    doi: str = ""
    codes: dict[str, str] = field(default_factory=dict)

    def scale(self, scale_id: str) -> Scale:
        return next(scale for scale in self.scales if scale.id == scale_id)

    @property
    def fewest_answers(self) -> int:
        """How many answers a response must give: trailing optional items may be left off."""
        count = len(self.items)
        while count and not self.items[count - 1].required:
            count -= 1
        return count
