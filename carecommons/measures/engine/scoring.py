"""The one scoring engine: the rules in an instrument definition, applied to answers.

Pure functions, no ORM. `score` takes one response as a list (None for a missing answer);
`score_batch` takes many responses to one instrument as a 2-D float array (NaN for a missing
answer) and gives the same results, column by column, in NumPy. Answers are the values of the
options chosen, before any reversal: for CORE-10 item 2, "Not at all" is 0 and scores 4.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from carecommons.measures.engine.schema import Instrument, Scale

Answer = int | None
Change = Literal["improved", "deteriorated", "no reliable change"]
WHOLE_NUMBER = re.compile(r"^-?\d+$")


class AnswerError(ValueError):
    """Answers that cannot belong to the instrument: wrong count, not a number, or out of range."""


@dataclass(frozen=True)
class Result:
    instrument: str
    version: str
    complete: bool
    scores: dict[str, float | None]
    bands: dict[str, str | None]
    flags: tuple[str, ...]
    prorated: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "instrument": self.instrument,
            "version": self.version,
            "complete": self.complete,
            "scores": {scale: plain_number(value) for scale, value in self.scores.items()},
            "bands": self.bands,
            "flags": list(self.flags),
            "prorated": list(self.prorated),
        }


def plain_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def parse_answers(instrument: Instrument, text: str) -> list[Answer]:
    """`"0,1,,3"` → `[0, 1, None, 3]`, checked against the instrument."""
    answers: list[Answer] = []
    for position, raw in enumerate(text.split(","), start=1):
        raw = raw.strip()
        if raw and not WHOLE_NUMBER.match(raw):
            raise AnswerError(f"answer {position} ({raw!r}) is not a whole number")
        answers.append(int(raw) if raw else None)
    return check_answers(instrument, answers)


def check_answers(instrument: Instrument, answers: Sequence[Answer]) -> list[Answer]:
    """The answers padded to one per item, or AnswerError saying what is wrong with them."""
    fewest, most = instrument.fewest_answers, len(instrument.items)
    if not fewest <= len(answers) <= most:
        expected = str(most) if fewest == most else f"{fewest} to {most}"
        raise AnswerError(
            f"{instrument.short_name} takes {expected} answers in item order, separated by commas; "
            f"got {len(answers)}"
        )
    for item, answer in zip(instrument.items, answers, strict=False):
        where = f"{instrument.short_name} item {item.id}"
        if answer is not None and (isinstance(answer, bool) or not isinstance(answer, int)):
            raise AnswerError(f"{where}: {answer!r} is not a whole number")
        if answer is not None and answer not in item.response_set.values:
            low, high = item.response_set.min, item.response_set.max
            raise AnswerError(f"{where}: {answer} is out of range; answers run {low}–{high}")
    return [*answers, *[None] * (most - len(answers))]


def score(instrument: Instrument, answers: Sequence[Answer]) -> Result:
    answers = check_answers(instrument, answers)
    scores: dict[str, float | None] = {}
    prorated = []
    for scale in instrument.scales:
        scores[scale.id], was_prorated = scale_score(scale, answers)
        if was_prorated:
            prorated.append(scale.id)
    return Result(
        instrument=instrument.id,
        version=instrument.version,
        complete=all(answers[item.position - 1] is not None for item in instrument.items if item.required),
        scores=scores,
        bands={scale.id: scale.band_for(scores[scale.id]) for scale in instrument.scales},
        flags=risk_flags(instrument, answers),
        prorated=tuple(prorated),
    )


def scale_score(scale: Scale, answers: Sequence[Answer]) -> tuple[float | None, bool]:
    """The scale's score (None when too many of its items are missing) and whether it was prorated."""
    values = [answers[item.position - 1] for item in scale.items]
    answered = [
        item.scored_value(value) for item, value in zip(scale.items, values, strict=True) if value is not None
    ]
    missing = len(values) - len(answered)
    if missing > scale.prorate_at_most or not answered:
        return None, False
    total = sum(answered)
    if scale.method == "lookup":
        return scale.lookup[total], False
    if scale.method == "mean":
        return total / len(answered), missing > 0
    if missing:
        return total * len(values) / len(answered), True
    return total, False


def risk_flags(instrument: Instrument, answers: Sequence[Answer]) -> tuple[str, ...]:
    flags = []
    for rule in instrument.risk_rules:
        answer = answers[rule.item.position - 1]
        if answer is not None and answer >= rule.at_least:
            flags.append(rule.id)
        elif answer is None and rule.if_unanswered:
            flags.append(rule.unanswered_flag)
    return tuple(flags)


def reliable_change(scale: Scale, before: float, after: float) -> Change | None:
    """Against the scale's fixed reliable-change threshold; None when it has none."""
    if scale.reliable_change is None:
        return None
    better = (after - before) if scale.higher_is == "better" else (before - after)
    if better >= scale.reliable_change.at_least:
        return "improved"
    if -better >= scale.reliable_change.at_least:
        return "deteriorated"
    return "no reliable change"


Floats: TypeAlias = NDArray[np.float64]
Flags: TypeAlias = NDArray[np.bool_]


@dataclass(frozen=True)
class BatchResult:
    instrument: Instrument
    complete: Flags
    scores: dict[str, Floats]
    band_codes: dict[str, NDArray[np.intp]]
    flags: dict[str, Flags]
    prorated: dict[str, Flags]

    def __len__(self) -> int:
        return len(self.complete)

    def row(self, index: int) -> Result:
        """One response's result, exactly as `score` gives it."""
        scores = {
            key: None if np.isnan(values[index]) else float(values[index])
            for key, values in self.scores.items()
        }
        bands = {}
        for scale in self.instrument.scales:
            code = int(self.band_codes[scale.id][index])
            bands[scale.id] = scale.bands[code].label if code >= 0 else None
        return Result(
            instrument=self.instrument.id,
            version=self.instrument.version,
            complete=bool(self.complete[index]),
            scores=scores,
            bands=bands,
            flags=tuple(flag for flag, raised in self.flags.items() if raised[index]),
            prorated=tuple(scale for scale, was in self.prorated.items() if was[index]),
        )


def score_batch(
    instrument: Instrument, answers: NDArray[np.floating] | Sequence[Sequence[float]]
) -> BatchResult:
    """Score many responses to one instrument: one row per response, one column per item, NaN if missing."""
    grid = np.asarray(answers, dtype=np.float64)
    check_batch(instrument, grid)
    missing = np.isnan(grid)
    required = [item.position - 1 for item in instrument.items if item.required]
    scores, band_codes, prorated = {}, {}, {}
    for scale in instrument.scales:
        scores[scale.id], prorated[scale.id] = batch_scale_score(scale, grid)
        band_codes[scale.id] = batch_band_codes(scale, scores[scale.id])
    flags: dict[str, Flags] = {}
    for rule in instrument.risk_rules:
        column = grid[:, rule.item.position - 1]
        flags[rule.id] = column >= rule.at_least
        if rule.if_unanswered:
            flags[rule.unanswered_flag] = np.isnan(column)
    return BatchResult(
        instrument=instrument,
        complete=np.asarray(~missing[:, required].any(axis=1), dtype=np.bool_),
        scores=scores,
        band_codes=band_codes,
        flags=flags,
        prorated=prorated,
    )


def check_batch(instrument: Instrument, grid: Floats) -> None:
    if grid.ndim != 2 or grid.shape[1] != len(instrument.items):
        raise AnswerError(
            f"{instrument.short_name} needs one column per item ({len(instrument.items)}); got {grid.shape}"
        )
    minima = np.array([item.response_set.min for item in instrument.items], dtype=np.float64)
    maxima = np.array([item.response_set.max for item in instrument.items], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(grid) & ((grid < minima) | (grid > maxima) | (grid != np.floor(grid)))
    if bad.any():
        row, column = (int(index[0]) for index in np.nonzero(bad))
        item = instrument.items[column]
        low, high = item.response_set.min, item.response_set.max
        raise AnswerError(
            f"{instrument.short_name} row {row} item {item.id}: answers must be whole numbers "
            f"{low}–{high}, got {float(grid[row, column]):g}"
        )


def batch_scale_score(scale: Scale, grid: Floats) -> tuple[Floats, Flags]:
    columns = [item.position - 1 for item in scale.items]
    flip = np.array([item.reverse for item in scale.items])
    offset = np.where(flip, [item.response_set.min + item.response_set.max for item in scale.items], 0)
    block = offset + np.where(flip, -1.0, 1.0) * grid[:, columns]
    n_missing = np.isnan(block).sum(axis=1)
    answered = len(columns) - n_missing
    total = np.nansum(block, axis=1)
    usable = n_missing <= scale.prorate_at_most
    value = np.full(len(grid), np.nan)
    if scale.method == "lookup":
        low, high = scale.raw_range
        table = np.array([scale.lookup[raw] for raw in range(low, high + 1)])
        value[usable] = table[(total[usable] - low).astype(np.intp)]
    elif scale.method == "mean":
        value[usable] = total[usable] / answered[usable]
    else:
        whole, part = usable & (n_missing == 0), usable & (n_missing > 0)
        value[whole] = total[whole]
        value[part] = total[part] * len(columns) / answered[part]
    return value, usable & (n_missing > 0)


def batch_band_codes(scale: Scale, values: Floats) -> NDArray[np.intp]:
    if not scale.bands:
        return np.full(len(values), -1, dtype=np.intp)
    starts = np.array([band.start for band in scale.bands])
    codes = np.searchsorted(starts, values, side="right") - 1
    codes[np.isnan(values)] = -1
    return codes
