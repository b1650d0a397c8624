"""The ripple counts seen: the capitals chart and the timeline, positive, negative and mixed side
by side, each with rows for a table of the same figures. Pure: no ORM.

Drawn with lib/charts.py like every other chart (role="img" named by a <title> and a <desc>, a
400-unit viewBox at width 100%, colours as presentation attributes for a strict CSP, every word
escaped by lib/svg.py). Nothing rests on colour alone: positive is solid, negative hatched and mixed
dotted, with their counts written out. `hidden` (for audiences beyond the round) leaves counts of 1
to 4 undrawn and reads them "fewer than 5". The timeline draws rounds.timeline()'s months as they
are: that tally already runs from the first dated month to the last with none skipped.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from carecommons.lib.charts import ATTENDED_FILL, GRID, INK, MUTED, PAPER, WIDTH, rect, shorten, svg
from carecommons.lib.dates import month_words
from carecommons.lib.small_numbers import is_small, shown_count
from carecommons.lib.svg import element, text, title
from carecommons.ripples.capitals import BY_ID, CAPITAL_IDS, Valence
from carecommons.ripples.rounds import Month, Timeline
from carecommons.ripples.tree import RippleNode

NEGATIVE_INK = "#8a4b00"  # 6.8:1 on white
MIXED_INK = "#2b4c9b"  # 7.6:1 on white
VALENCE_INK = {Valence.POSITIVE: ATTENDED_FILL, Valence.NEGATIVE: NEGATIVE_INK, Valence.MIXED: MIXED_INK}


@dataclass(frozen=True)
class CapitalCount:
    capital_name: str
    counts: Mapping[Valence, int]
    """Ripples coded with this capital, per valence; a valence left out counts 0."""


def capital_counts(
    ripples: Iterable[RippleNode], capital_names: Mapping[str, str] | None = None
) -> list[CapitalCount]:
    """Ripples per capital and valence, in the capitals' own order; a ripple counts once for each
    capital it is coded with, so the counts may add up to more than the ripples."""
    names = capital_names or {id: capital.name for id, capital in BY_ID.items()}
    tally: Counter[tuple[str, Valence]] = Counter()
    for ripple in ripples:
        tally.update((capital, ripple.valence) for capital in ripple.capitals)
    coded = {capital for capital, _ in tally}
    order = [id for id in CAPITAL_IDS if id in coded] + sorted(coded - set(CAPITAL_IDS))
    return [
        CapitalCount(names.get(id, id), {valence: tally[id, valence] for valence in Valence}) for id in order
    ]


Counted = CapitalCount | Month
SERIES = tuple((valence.value, valence) for valence in Valence)


def counts_of(row: Counted) -> tuple[int, int, int]:
    positive, negative, mixed = (row.counts.get(valence, 0) for valence in Valence)
    return positive, negative, mixed


def drawn(count: int, *, hidden: bool) -> int:
    """What a bar may show: a hidden count is not drawn at all, so its length gives nothing away."""
    return 0 if hidden and is_small(count) else count


def count_text(count: int, *, hidden: bool) -> str:
    return shown_count(count) if hidden else f"{count:,}"


def shown_counts(row: Counted, *, hidden: bool) -> tuple[str, str, str]:
    positive, negative, mixed = (count_text(count, hidden=hidden) for count in counts_of(row))
    return positive, negative, mixed


def figures_words(row: Counted, *, hidden: bool) -> str:
    return ", ".join(
        f"{count_text(count, hidden=hidden)} {name}"
        for count, (name, _) in zip(counts_of(row), SERIES, strict=True)
    )


def count_patterns(chart_id: str) -> SafeString:
    """Negative hatched, mixed dotted, positive solid: told apart without colour."""
    hatch = element(
        "pattern",
        {"id": f"{chart_id}-hatch", "width": "6", "height": "6", "patternUnits": "userSpaceOnUse",
         "patternTransform": "rotate(45)"},
        element("rect", {"width": "6", "height": "6", "fill": PAPER}),
        element("line", {"x1": "0", "y1": "0", "x2": "0", "y2": "6", "stroke": NEGATIVE_INK,
                         "stroke-width": "3"}),
    )  # fmt: skip
    dots = element(
        "pattern",
        {"id": f"{chart_id}-dots", "width": "5", "height": "5", "patternUnits": "userSpaceOnUse"},
        element("rect", {"width": "5", "height": "5", "fill": PAPER}),
        element("circle", {"cx": "2.5", "cy": "2.5", "r": "1.6", "fill": MIXED_INK}),
    )
    return element("defs", {}, hatch, dots)


def paints(chart_id: str) -> dict[Valence, dict[str, object]]:
    return {
        Valence.POSITIVE: {"fill": ATTENDED_FILL},
        Valence.NEGATIVE: {"fill": f"url(#{chart_id}-hatch)", "stroke": NEGATIVE_INK},
        Valence.MIXED: {"fill": f"url(#{chart_id}-dots)", "stroke": MIXED_INK},
    }


def count_legend(chart_id: str, where: Mapping[Valence, str]) -> tuple[SafeString, float]:
    """The legend, in as many rows as a 400-unit width needs, and the height it takes."""
    items: list[str] = []
    x, y = 0.0, 0.0
    for key, paint in paints(chart_id).items():
        words = f"{key.value} ({where[key]})"
        width = 30 + len(words) * 7.4
        if x and x + width > WIDTH:
            x, y = 0.0, y + 22
        items += [rect(x, y + 4, 14, 14, **paint), text(x + 19, y + 16, words)]
        x += width
    return element("g", {}, *items), y + 30


def scale_of(rows: Sequence[Counted], *, hidden: bool) -> float:
    """The longest reach from the axis among the counts that are drawn (never a hidden one)."""
    reach = [
        max(drawn(positive, hidden=hidden), drawn(negative, hidden=hidden), drawn(mixed, hidden=hidden) / 2)
        for positive, negative, mixed in map(counts_of, rows)
    ]
    return max([*reach, 1.0])


def hidden_note(hidden: bool) -> str:
    return " Counts of 1 to 4 read “fewer than 5” and are not drawn." if hidden else ""


def totals_words(rows: Sequence[Counted], *, hidden: bool) -> str:
    """All ripples by valence, said only when no count is hidden (a total would give hidden ones back)."""
    if hidden:
        return ""
    sums = [sum(counts) for counts in zip(*(counts_of(row) for row in rows), strict=True)] or [0, 0, 0]
    words = ", ".join(f"{count:,} {name}" for count, (name, _) in zip(sums, SERIES, strict=True))
    return f" In all: {words}."


# --- Capitals chart -------------------------------------------------------------------------------

AXIS = WIDTH / 2
REACH = WIDTH / 2 - 8
BAND = 84.0
LINE_CHARS = 48


def capitals_rows(counts: Sequence[CapitalCount], *, hidden: bool = False) -> list[tuple[str, str, str, str]]:
    """(capital, positive, negative, mixed) per capital: the capitals chart's figures as a table."""
    return [(row.capital_name, *shown_counts(row, hidden=hidden)) for row in counts]


def capitals_chart_svg(
    counts: Sequence[CapitalCount], *, hidden: bool = False, chart_id: str = "ripple-capitals"
) -> SafeString:
    """Per capital, negative ripples to the left of the middle line and positive to the right,
    mixed ones under them straddling it, with the counts in words below. `hidden` (for audiences
    beyond the round) leaves counts of 1 to 4 undrawn and reads them "fewer than 5"."""
    scale = scale_of(counts, hidden=hidden)
    paint = paints(chart_id)
    legend, top = count_legend(
        chart_id, {Valence.POSITIVE: "right", Valence.NEGATIVE: "left", Valence.MIXED: "across the line"}
    )
    body: list[str] = [count_patterns(chart_id), legend]
    for row in counts:
        positive, negative, mixed = (drawn(count, hidden=hidden) for count in counts_of(row))
        group: list[str] = [
            title(f"{row.capital_name}: {figures_words(row, hidden=hidden)}"),
            text(0, top + 16, shorten(row.capital_name), **{"font-weight": "600"}),
        ]
        if positive:
            group.append(rect(AXIS, top + 24, REACH * positive / scale, 16, **paint[Valence.POSITIVE]))
        if negative:
            width = REACH * negative / scale
            group.append(rect(AXIS - width, top + 24, width, 16, **paint[Valence.NEGATIVE]))
        if mixed:
            width = REACH * mixed / scale
            group.append(rect(AXIS - width / 2, top + 44, width, 9, **paint[Valence.MIXED]))
        axis = {"x1": f"{AXIS:g}", "x2": f"{AXIS:g}", "y1": f"{top + 20:g}", "y2": f"{top + 57:g}"}
        group.append(element("line", axis | {"stroke": INK}))
        rows = figure_lines(row, hidden=hidden)
        group += [text(0, top + 74 + i * 18, words, fill=MUTED) for i, words in enumerate(rows)]
        body.append(element("g", {}, *group))
        top += BAND + 18 * (len(rows) - 1)
    return svg(
        chart_id, max(top, 40.0), "Ripples by community capital", capitals_desc(counts, hidden=hidden), *body
    )


def figure_lines(row: Counted, *, hidden: bool) -> list[str]:
    """The counts in words, in lines short enough for the chart's width."""
    lines: list[str] = []
    for count, (name, _) in zip(counts_of(row), SERIES, strict=True):
        part = f"{count_text(count, hidden=hidden)} {name}"
        if lines and len(lines[-1]) + len(part) + 2 <= LINE_CHARS:
            lines[-1] += ", " + part
        else:
            lines.append(part)
    return lines


def capitals_desc(counts: Sequence[CapitalCount], *, hidden: bool) -> str:
    if not counts:
        return "No ripples have been coded with a capital yet."
    each = "; ".join(f"{row.capital_name}: {figures_words(row, hidden=hidden)}" for row in counts)
    return f"Ripples per community capital, positive, negative and mixed. {each}.{hidden_note(hidden)}"


# --- Timeline -------------------------------------------------------------------------------------

PLOT_LEFT = 40.0
HALF = 90.0  # above the axis for positive, below for negative


def timeline_rows(timeline: Timeline, *, hidden: bool = False) -> list[tuple[str, str, str, str]]:
    """(month, positive, negative, mixed) per month: the timeline's figures as a table."""
    return [(month_words(row.first_day), *shown_counts(row, hidden=hidden)) for row in timeline.months]


def ticks(scale: float) -> list[int]:
    """Whole-number steps of 1, 2 or 5 × 10ⁿ from 0 up to the scale, at most four steps above 0."""
    step = next(m * 10**e for e in range(16) for m in (1, 2, 5) if scale / (m * 10**e) <= 4)
    return list(range(0, int(scale) + 1, step))


def timeline_svg(
    timeline: Timeline, *, hidden: bool = False, chart_id: str = "ripple-timeline"
) -> SafeString:
    """Per month, positive ripples as a column up from the axis, negative down from it, and mixed
    beside them straddling it. `hidden` as for the capitals chart."""
    rows = timeline.months
    scale = scale_of(rows, hidden=hidden)
    paint = paints(chart_id)
    legend, legend_height = count_legend(
        chart_id, {Valence.POSITIVE: "up", Valence.NEGATIVE: "down", Valence.MIXED: "across the line"}
    )
    axis_y = legend_height + 16 + HALF
    slot = (WIDTH - PLOT_LEFT) / max(len(rows), 1)
    body: list[str] = [count_patterns(chart_id), legend]
    for tick in ticks(scale)[1:]:
        for sign in (-1, 1):
            y = axis_y - sign * HALF * tick / scale
            body.append(
                element(
                    "line",
                    {
                        "x1": f"{PLOT_LEFT:g}",
                        "x2": f"{WIDTH:g}",
                        "y1": f"{y:.1f}",
                        "y2": f"{y:.1f}",
                        "stroke": GRID,
                    },
                )
            )
            body.append(text(PLOT_LEFT - 6, y + 5, f"{tick:,}", **{"text-anchor": "end", "fill": MUTED}))
    body.append(
        element(
            "line",
            {
                "x1": f"{PLOT_LEFT:g}",
                "x2": f"{WIDTH:g}",
                "y1": f"{axis_y:g}",
                "y2": f"{axis_y:g}",
                "stroke": INK,
            },
        )
    )
    label_every = max(1, math.ceil(64 / slot))
    for index, row in enumerate(rows):
        positive, negative, mixed = (drawn(count, hidden=hidden) for count in counts_of(row))
        x = PLOT_LEFT + index * slot
        column = slot * 0.45
        group: list[str] = [title(f"{month_words(row.first_day)}: {figures_words(row, hidden=hidden)}")]
        if positive:
            height = HALF * positive / scale
            group.append(rect(x + slot * 0.08, axis_y - height, column, height, **paint[Valence.POSITIVE]))
        if negative:
            height = HALF * negative / scale
            group.append(rect(x + slot * 0.08, axis_y, column, height, **paint[Valence.NEGATIVE]))
        if mixed:
            height = HALF * mixed / scale
            group.append(
                rect(x + slot * 0.58, axis_y - height / 2, slot * 0.3, height, **paint[Valence.MIXED])
            )
        if index % label_every == 0:
            group.append(
                text(
                    x + slot / 2,
                    axis_y + HALF + 22,
                    month_words(row.first_day, short=True),
                    **{"text-anchor": "middle"},
                )
            )
        body.append(element("g", {}, *group))
    return svg(
        chart_id, axis_y + HALF + 32, "Ripples over time", timeline_desc(timeline, hidden=hidden), *body
    )


def timeline_desc(timeline: Timeline, *, hidden: bool) -> str:
    rows = timeline.months
    undated = sum(timeline.undated.values())
    undated_words = f" {count_text(undated, hidden=hidden)} undated not shown." if undated else ""
    if not rows:
        return f"No dated ripples yet.{undated_words}"
    span = f"{month_words(rows[0].first_day)} to {month_words(rows[-1].first_day)}"
    shown = [row for row in rows if any(counts_of(row))]
    each = "; ".join(f"{month_words(row.first_day)}: {figures_words(row, hidden=hidden)}" for row in shown)
    totals = totals_words(rows, hidden=hidden)
    return f"Ripples by the month they happened, {span}.{totals} {each}.{undated_words}{hidden_note(hidden)}"
