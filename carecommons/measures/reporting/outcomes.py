"""Outcome figures from plain numbers: NHS Talking Therapies style categories and cohort change.

Pure: no ORM. The caseness and reliable-change thresholds come from the instrument definitions
(`schema.Scale`), never from here. How change on the two measures combines is a setting
(TALKING_THERAPIES_CHANGE_RULE), because NHS Digital's exact wording is UNCONFIRMED
(docs/guide/progress-and-outcomes.md, reference §1.2):

- "nhs": reliably improved when at least one measure reliably improved and neither reliably
  deteriorated; reliably deteriorated when at least one reliably deteriorated and neither reliably
  improved. Nobody is both.
- "either": one measure is enough for each, whatever the other did; someone can be both.
"""

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Literal, TypeAlias, cast

from carecommons.lib.small_numbers import FEWER_THAN, SMALL_LIMIT, Cell, is_small, pinned, suppress
from carecommons.measures.engine.schema import Instrument, Scale
from carecommons.measures.engine.scoring import Change as Verdict
from carecommons.measures.engine.scoring import reliable_change

ChangeRule = Literal["nhs", "either"]
CHANGE_RULES: tuple[ChangeRule, ...] = ("nhs", "either")
Unpaired = Literal["one wave", "score missing"]
WaveOrder: TypeAlias = tuple[int, int]
HIDDEN = "hidden"
RELIABLE_LABELS = ("Reliably improved", "No reliable change", "Reliably deteriorated")
VERDICTS: tuple[Verdict, ...] = ("improved", "no reliable change", "deteriorated")


def change_rule(value: str) -> ChangeRule:
    if value not in CHANGE_RULES:
        raise ValueError(
            f"TALKING_THERAPIES_CHANGE_RULE must be one of {', '.join(CHANGE_RULES)}, not {value!r}"
        )
    return cast(ChangeRule, value)


def outcome_scale(instrument: Instrument) -> Scale:
    """The instrument's scale that has both a caseness cut-off and a reliable-change threshold."""
    for scale in instrument.scales:
        if scale.caseness is not None and scale.reliable_change is not None:
            return scale
    raise ValueError(f"{instrument.short_name} has no scale with both caseness and reliable change")


@dataclass(frozen=True)
class Observation:
    """One wave of one person's answers: the two measures' usable scores (None when not answered,
    incomplete or prorated)."""

    wave: WaveOrder
    depression: float | None
    anxiety: float | None


@dataclass(frozen=True)
class Paired:
    depression: tuple[float, float]  # (start, end)
    anxiety: tuple[float, float]


def pair(observations: Iterable[Observation]) -> Paired | Unpaired:
    """From the first wave the person answered either measure in to the last: both measures at both."""
    ordered = sorted(observations, key=lambda observation: observation.wave)
    if len({observation.wave for observation in ordered}) < 2:
        return "one wave"
    start, end = ordered[0], ordered[-1]
    if start.depression is None or start.anxiety is None or end.depression is None or end.anxiety is None:
        return "score missing"
    return Paired((start.depression, end.depression), (start.anxiety, end.anxiety))


@dataclass(frozen=True)
class Outcome:
    case_at_start: bool
    recovered: bool
    reliably_improved: bool
    reliably_deteriorated: bool

    @property
    def reliably_recovered(self) -> bool:
        return self.recovered and self.reliably_improved


def is_case(scale: Scale, score: float) -> bool:
    return bool(scale.is_case(score))


def classify(paired: Paired, depression: Scale, anxiety: Scale, rule: ChangeRule) -> Outcome:
    case_at_start = is_case(depression, paired.depression[0]) or is_case(anxiety, paired.anxiety[0])
    case_at_end = is_case(depression, paired.depression[1]) or is_case(anxiety, paired.anxiety[1])
    changes = (reliable_change(depression, *paired.depression), reliable_change(anxiety, *paired.anxiety))
    improved, deteriorated = "improved" in changes, "deteriorated" in changes
    if rule == "nhs":
        improved, deteriorated = improved and not deteriorated, deteriorated and not improved
    return Outcome(
        case_at_start=case_at_start,
        recovered=case_at_start and not case_at_end,
        reliably_improved=improved,
        reliably_deteriorated=deteriorated,
    )


@dataclass(frozen=True)
class Tally:
    """Counts of people (one person in one cohort). Recovery is counted among cases at the start;
    reliable improvement and deterioration among everyone with paired scores."""

    answered: int = 0  # answered either measure at least once
    one_wave: int = 0
    score_missing: int = 0
    paired: int = 0
    cases: int = 0
    recovered: int = 0
    reliably_improved: int = 0
    reliably_recovered: int = 0
    reliably_deteriorated: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def tally(
    episodes: Iterable[Paired | Unpaired], depression: Scale, anxiety: Scale, rule: ChangeRule
) -> Tally:
    counts = dict.fromkeys((f.name for f in fields(Tally)), 0)
    for episode in episodes:
        counts["answered"] += 1
        if episode == "one wave":
            counts["one_wave"] += 1
            continue
        if episode == "score missing":
            counts["score_missing"] += 1
            continue
        assert isinstance(episode, Paired)
        outcome = classify(episode, depression, anxiety, rule)
        counts["paired"] += 1
        counts["cases"] += outcome.case_at_start
        counts["recovered"] += outcome.recovered
        counts["reliably_improved"] += outcome.reliably_improved
        counts["reliably_recovered"] += outcome.reliably_recovered
        counts["reliably_deteriorated"] += outcome.reliably_deteriorated
    return Tally(**counts)


# (field, what it counts, the field it is a share of)
RATES: tuple[tuple[str, str, str | None], ...] = (
    ("paired", "With scores on both measures at the start and the end", None),
    ("cases", "A case at the start (at or above the cut-off on either measure)", "paired"),
    ("recovered", "Recovered (a case at the start, below the cut-off on both at the end)", "cases"),
    ("reliably_recovered", "Reliably recovered (recovered and reliably improved)", "cases"),
    ("reliably_improved", "Reliably improved", "paired"),
    ("reliably_deteriorated", "Reliably deteriorated", "paired"),
)


@dataclass(frozen=True)
class Count:
    """A count as a page shows it: small ones read "fewer than 5"; one hidden so that a small one
    cannot be worked out reads "5 or more"; a withheld one (when even that cannot protect a small
    one) reads "hidden", zeros included."""

    label: str
    count: int
    hidden: bool = False
    withheld: bool = False

    @property
    def shown(self) -> str:
        if self.withheld:
            return HIDDEN
        return Cell(self.label, self.count, self.hidden).shown

    @property
    def concealed(self) -> bool:
        return self.hidden or self.withheld


@dataclass(frozen=True)
class Shown:
    """One count as a page shows it, with its share of another count when both can be shown."""

    label: str
    cell: Count
    of: Count | None

    @property
    def count(self) -> str:
        return self.cell.shown

    @property
    def of_words(self) -> str:
        return {"paired": "of those with paired scores", "cases": "of cases at the start"}.get(
            self.of.label if self.of else "", ""
        )

    @property
    def rate(self) -> float | None:
        """The share as a number, or None whenever the page may not show it (a count is hidden or
        withheld, or there is nothing to take a share of)."""
        if self.of is None or self.cell.concealed or self.of.concealed or self.of.count == 0:
            return None
        return self.cell.count / self.of.count

    @property
    def share(self) -> str:
        if self.of is None:
            return ""
        rate = self.rate
        return "–" if rate is None else f"{rate:.0%}"


def shown_tally(tally: Tally, hidden: Iterable[str] = (), withheld: Iterable[str] = ()) -> list[Shown]:
    """The figures of one tally, small counts hidden; `hidden` and `withheld` name more to hide."""
    hide, withhold = set(hidden), set(withheld)
    cells = {
        name: Count(
            name, getattr(tally, name), is_small(getattr(tally, name)) or name in hide, name in withhold
        )
        for name in (field for field, _, _ in RATES)
    }
    return [Shown(label, cells[name], cells[of] if of else None) for name, label, of in RATES]


def suppress_parts(counts: Sequence[tuple[str, int]]) -> list[Count]:
    """`small_numbers.suppress` for the parts of a total that is shown. Zeros stay shown: a zero
    gives nothing away, and suppress would read a hidden zero as "5 or more". When hiding every
    non-zero part still lets a small one be worked out (6 people: 5 and 1), all are withheld."""
    nonzero = [index for index, (_, count) in enumerate(counts) if count]
    parts = suppress(counts[index] for index in nonzero)
    hidden = [cell.count for cell in parts if cell.hidden]
    if pinned(hidden, sum(hidden)):
        return [Count(label, count, withheld=True) for label, count in counts]
    cells = [Count(label, count) for label, count in counts]
    for index, cell in zip(nonzero, parts, strict=True):
        cells[index] = Count(cell.label, cell.count, cell.hidden)
    return cells


def shown_breakdown(rows: Sequence[tuple[str, Tally]]) -> list[tuple[str, list[Shown]]]:
    """A table of tallies (one row per cohort) whose column totals are shown elsewhere: each column
    is suppressed as a breakdown, so no hidden count can be worked out from the total."""
    hidden: list[set[str]] = [set() for _ in rows]
    withheld: list[set[str]] = [set() for _ in rows]
    for name, _, _ in RATES:
        for index, cell in enumerate(suppress_parts([(label, getattr(t, name)) for label, t in rows])):
            if cell.hidden:
                hidden[index].add(name)
            if cell.withheld:
                withheld[index].add(name)
    return [(label, shown_tally(t, hidden[index], withheld[index])) for index, (label, t) in enumerate(rows)]


@dataclass(frozen=True)
class Spread:
    n: int
    mean: float | None
    sd: float | None

    @property
    def shown_n(self) -> str:
        return FEWER_THAN if is_small(self.n) else str(self.n)

    @property
    def enough(self) -> bool:
        """Means and spreads of fewer than 5 people are never shown."""
        return self.n >= SMALL_LIMIT

    @property
    def shown_mean(self) -> str:
        return number(self.mean) if self.enough or not self.n else HIDDEN

    @property
    def shown_sd(self) -> str:
        return number(self.sd) if self.enough or not self.n else HIDDEN


def number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(0, None, None)
    sd = statistics.stdev(values) if len(values) > 1 else None
    return Spread(len(values), statistics.fmean(values), sd)


@dataclass(frozen=True)
class Change:
    """Change from one wave to a later one, among people with a score at both."""

    spread: Spread  # of the differences, later minus earlier
    reliable: list[Count] | None  # improved, no reliable change, deteriorated; None without a threshold

    @property
    def n(self) -> int:
        return self.spread.n

    @property
    def shown_reliable(self) -> list[tuple[str, str]]:
        """(label, count as shown); all hidden when fewer than 5 people have both scores, since
        even a zero would then say something about those few."""
        if self.reliable is None:
            return []
        if is_small(self.n):
            return [(cell.label, HIDDEN) for cell in self.reliable]
        return [(cell.label, cell.shown) for cell in self.reliable]


def change(pairs: Sequence[tuple[float, float]], scale: Scale) -> Change:
    differences = spread([after - before for before, after in pairs])
    if scale.reliable_change is None:
        return Change(differences, None)
    verdicts = [reliable_change(scale, before, after) for before, after in pairs]
    counts = [
        (label, verdicts.count(verdict)) for label, verdict in zip(RELIABLE_LABELS, VERDICTS, strict=True)
    ]
    return Change(differences, suppress_parts(counts))
