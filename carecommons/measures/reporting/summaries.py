"""A person's scores over time, in plain words. Pure: no ORM.

"Your PHQ-9 score went from 14 at the start (moderate) to 8 at the end (mild). Lower means fewer
symptoms of depression." The direction and bands come from the instrument definition; what a
scale measures, in everyday words, is written here, with a plain fallback for any other scale.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from carecommons.measures.engine.schema import Instrument, Scale
from carecommons.measures.engine.scoring import reliable_change

BIGGER_THAN_USUAL = "This is a change bigger than day-to-day ups and downs."

# What moving in the better direction means, after "Lower means" (scales where higher is worse)
# or "Higher means" (scales where higher is better).
MEANINGS: dict[tuple[str, str], str] = {
    ("phq9", "total"): "fewer symptoms of depression",
    ("gad7", "total"): "fewer symptoms of anxiety",
    ("core10", "total"): "less psychological distress",
    ("scs_sf", "total"): "more self-compassion",
    ("swemwbs", "raw"): "better mental wellbeing",
    ("swemwbs", "metric"): "better mental wellbeing",
    ("oas2", "total"): "less shame about how you think others see you",
    ("eiss", "total"): "less shame",
    ("eiss", "external"): "less shame about how you think others see you",
    ("eiss", "internal"): "less shame in how you see yourself",
    ("fscrs", "inadequate_self"): "less feeling inadequate when things go wrong",
    ("fscrs", "hated_self"): "less turning against yourself when things go wrong",
    ("fscrs", "reassured_self"): "more reassuring yourself when things go wrong",
    ("ceas_self", "engagement"): "more willingness to notice and stay with your own difficulties",
    ("ceas_self", "action"): "more kind, helpful action for yourself",
    ("ceas_from_others", "engagement"): "more sense that others notice and care when you struggle",
    ("ceas_from_others", "action"): "more sense that others act to help you",
    ("ceas_to_others", "engagement"): "more willingness to notice and stay with others' difficulties",
    ("ceas_to_others", "action"): "more kind, helpful action for others",
}


@dataclass(frozen=True)
class Point:
    """One wave's score for one scale."""

    wave_kind: str
    weeks_after_end: int
    label: str
    score: float | None
    band: str | None


def plain(value: float) -> str:
    return f"{round(value, 2):g}"


def at_wave(point: Point) -> str:
    if point.wave_kind == "baseline":
        return "at the start"
    if point.wave_kind == "mid":
        return "at the mid-point"
    if point.wave_kind == "end":
        return "at the end"
    return f"at the {point.weeks_after_end}-week follow-up"


def score_words(point: Point) -> str:
    assert point.score is not None
    band = f" ({point.band})" if point.band else ""
    return f"{plain(point.score)} {at_wave(point)}{band}"


def whose(instrument: Instrument, scale: Scale) -> str:
    if len(instrument.scales) == 1:
        return f"Your {instrument.short_name} score"
    return f"Your {scale.name[0].lower()}{scale.name[1:]} score ({instrument.short_name})"


def meaning(instrument: Instrument, scale: Scale) -> str:
    better = "Lower" if scale.higher_is == "worse" else "Higher"
    words = MEANINGS.get((instrument.id, scale.id))
    return f"{better} means {words}." if words else f"{better} scores are better on this scale."


@dataclass(frozen=True)
class Summary:
    sentences: list[str]
    reliable: str | None  # "improved" or "deteriorated" when the change is bigger than usual


def summarise(instrument: Instrument, scale: Scale, points: Sequence[Point]) -> Summary:
    scored = [point for point in points if point.score is not None]
    subject = whose(instrument, scale)
    if not scored:
        return Summary([f"{subject} could not be worked out: some answers were left blank."], None)
    first, last = scored[0], scored[-1]
    if len(scored) == 1:
        return Summary([f"{subject} was {score_words(first)}.", meaning(instrument, scale)], None)
    assert first.score is not None and last.score is not None
    if first.score == last.score:
        words = f"{subject} was {score_words(first)} and {score_words(last)}."
    else:
        words = f"{subject} went from {score_words(first)} to {score_words(last)}."
    sentences = [words, meaning(instrument, scale)]
    change = reliable_change(scale, first.score, last.score)
    if change in ("improved", "deteriorated"):
        sentences.append(BIGGER_THAN_USUAL)
        return Summary(sentences, change)
    return Summary(sentences, None)
