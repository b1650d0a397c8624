"""The evaluation report's charts (issue 14): a forest plot of every outcome's difference between
arms, and each outcome's mean by arm across the waves. Pure: no ORM, no JavaScript.

Drawn with lib/charts.py like every other chart: role="img" named by a <title> and a <desc> that
reads every figure out, a 400-unit viewBox at width 100%, colours as presentation attributes
(strict CSP), at least 3:1 contrast on white, every word escaped by lib/svg.py. Nothing rests on
colour alone: the primary outcome is marked in words and by its marker's shape, arms by marker
shape and dash as well as colour, and each chart has a table of the same figures
(`forest_table`, `trajectory_table`). Trials sits beside measures in the layers, so the line
conventions of measures/reporting/charts.py are repeated here rather than imported.
"""

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from carecommons.lib.charts import GRID, INK, MUTED, WIDTH, marker, shorten, svg
from carecommons.lib.small_numbers import is_small, shown_count
from carecommons.lib.svg import element, text, title

FONT_SIZE = 14.0
CHAR_WIDTH = 0.56  # of the font size: wide for system-ui, so wrapped words stay inside their space
ROW = 18.0
# (colour, dash pattern, marker) per arm: each at least 6.8:1 on white; the first three as measures'.
PAINTS = (
    ("#0b5c4a", "", "circle"),
    ("#8a4b00", "7 4", "square"),
    ("#2b4c9b", "2 3", "triangle"),
    ("#6b2d8a", "10 3 2 3", "diamond"),
    (INK, "1 4", "ring"),
)
Scale = Callable[[float], float]


def wrap(words: str, width: float, *, size: float = FONT_SIZE) -> list[str]:
    """Words in rows no wider than `width` units (estimated), a word too long for a row cut."""
    most = max(int(width / (size * CHAR_WIDTH)), 1)
    rows: list[str] = []
    for word in words.split():
        for piece in (word[i : i + most] for i in range(0, len(word), most)):
            if rows and len(rows[-1]) + 1 + len(piece) <= most:
                rows[-1] += " " + piece
            else:
                rows.append(piece)
    return rows or [""]


def number(value: float) -> str:
    """Two decimals with a true minus sign, read as "minus" by screen readers."""
    return f"{value:.2f}".replace("-", "−")


def tick_text(value: float) -> str:
    return f"{round(value, 9):g}".replace("-", "−")


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round numbers from at or below `low` to at or above `high`, at most `most` of them."""
    if high - low < 1e-6:
        low, high = low - 1, high + 1
    magnitude = 10 ** math.floor(math.log10((high - low) / (most - 1)))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10, 20) if (high - low) / (m * magnitude) <= most - 1)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, 12) for i in range(first, last + 1)]


def segment(x1: float, y1: float, x2: float, y2: float, **paint: object) -> SafeString:
    ends = {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2:.1f}", "y2": f"{y2:.1f}"}
    return element("line", ends | paint)


def chart_id_for(kind: str, heading: str) -> str:
    """A stable id for a chart from its heading, so several on one page never share one."""
    return f"{kind}-{hashlib.sha256(heading.encode()).hexdigest()[:10]}"


# --- Forest plot ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForestRow:
    label: str
    estimate: float | None  # None: not estimable
    low: float | None
    high: float | None
    primary: bool
    p: float | None
    note: str = ""


def p_text(p: float | None) -> str:
    if p is None:
        return ""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def estimate_text(row: ForestRow) -> str:
    if row.estimate is None:
        return "not estimable"
    if row.low is None or row.high is None:
        return f"{number(row.estimate)} (95% CI not estimable)"
    return f"{number(row.estimate)} (95% CI {number(row.low)} to {number(row.high)})"


def outcome_text(row: ForestRow) -> str:
    return f"Primary outcome: {row.label}" if row.primary else row.label


def figures_text(row: ForestRow) -> str:
    return ", ".join(part for part in (estimate_text(row), p_text(row.p)) if part)


def forest_table(rows: Sequence[ForestRow]) -> list[tuple[str, str, str, str]]:
    """(outcome, difference with 95% CI, p, note) per row: the forest plot's figures as a table."""
    return [(outcome_text(row), estimate_text(row), p_text(row.p), row.note) for row in rows]


PLOT_LEFT, PLOT_RIGHT = 12.0, WIDTH - 12.0


def forest_plot_svg(rows: Sequence[ForestRow], *, x_label: str, chart_id: str = "forest") -> SafeString:
    """One band per outcome: its name (the primary marked in words and drawn as a diamond), its
    figures as text, then the point and 95% CI whisker on an axis shared by all, with a line at 0
    for "no difference". A row with no estimate reads "not estimable"."""
    values = [0.0] + [v for row in rows for v in (row.estimate, row.low, row.high) if v is not None]
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]

    def x_of(value: float) -> float:
        return PLOT_LEFT + (value - low) / (high - low) * (PLOT_RIGHT - PLOT_LEFT)

    top, bands = 4.0, []
    for row in rows:
        strong = {"font-weight": "600"} if row.primary else {}
        lines = [(words, strong) for words in wrap(outcome_text(row), WIDTH)]
        lines += [(words, {}) for words in wrap(figures_text(row), WIDTH)]
        lines += [(words, {"fill": MUTED}) for words in (wrap(row.note, WIDTH) if row.note else [])]
        group: list[str] = [title(f"{outcome_text(row)}: {figures_text(row)}")]
        group += [text(0, top + 14 + i * ROW, words, **paint) for i, (words, paint) in enumerate(lines)]
        top += len(lines) * ROW + 12
        if row.estimate is not None:  # grid lines only beside the whisker, so words stay clear of them
            group += [*grid(ticks, x_of, top - 8, top + 16), whisker(row, row.estimate, x_of, top + 4)]
            top += 28
        bands.append(element("g", {}, *group))
    axis = top
    body: list[str] = [segment(PLOT_LEFT, axis, PLOT_RIGHT, axis, stroke=INK)]
    for tick in ticks:
        x = x_of(tick)
        body.append(segment(x, axis, x, axis + 5, stroke=INK))
        body.append(text(x, axis + 20, tick_text(tick), **{"text-anchor": "middle", "fill": MUTED}))
    zero = x_of(0)
    anchor = "start" if zero < 60 else "end" if zero > WIDTH - 60 else "middle"
    body.append(text(zero, axis + 38, "no difference", **{"text-anchor": anchor}))
    label_rows = wrap(x_label, WIDTH)
    body += [text(0, axis + 60 + i * ROW, words, fill=MUTED) for i, words in enumerate(label_rows)]
    height = axis + 60 + (len(label_rows) - 1) * ROW + 8
    return svg(
        chart_id, height, "Differences between arms, all outcomes", forest_desc(rows, x_label), *body, *bands
    )


def grid(ticks: Sequence[float], x_of: Scale, top: float, bottom: float) -> list[str]:
    """Grid lines at the ticks between top and bottom; the line at 0 ("no difference") darker."""
    return [
        segment(x_of(tick), top, x_of(tick), bottom, stroke=INK, **{"stroke-width": "2"})
        if tick == 0
        else segment(x_of(tick), top, x_of(tick), bottom, stroke=GRID)
        for tick in ticks
    ]


def whisker(row: ForestRow, estimate: float, x_of: Scale, y: float) -> str:
    parts: list[str] = []
    if row.low is not None and row.high is not None:
        left, right = x_of(row.low), x_of(row.high)
        parts += [
            segment(left, y, right, y, stroke=INK, **{"stroke-width": "2"}),
            segment(left, y - 6, left, y + 6, stroke=INK, **{"stroke-width": "2"}),
            segment(right, y - 6, right, y + 6, stroke=INK, **{"stroke-width": "2"}),
        ]
    shape = "diamond" if row.primary else "square"
    parts.append(marker(shape, x_of(estimate), y, INK, size=6 if row.primary else 4.5))
    return element("g", {}, *parts)


def forest_desc(rows: Sequence[ForestRow], x_label: str) -> str:
    if not rows:
        return "No outcomes to show."
    each = "; ".join(f"{outcome_text(row)}: {figures_text(row)}" for row in rows)
    return f"Difference between arms with 95% confidence intervals ({x_label}). {each}."


# --- Mean by arm across waves ---------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    arm: str
    means: Sequence[float | None]  # one per wave; None leaves a gap
    low: Sequence[float | None]
    high: Sequence[float | None]
    counts: Sequence[int]


@dataclass(frozen=True)
class Point:
    wave: str
    mean: float | None
    low: float | None
    high: float | None
    count: str


def points(waves: Sequence[str], series: Series, *, hidden: bool) -> list[Point]:
    """The series per wave; with `hidden`, a mean over 1 to 4 people is left out, like its count."""
    found = []
    columns = (waves, series.means, series.low, series.high, series.counts)
    for wave, mean, low, high, count in zip(*columns, strict=True):
        if hidden and is_small(count):
            mean = low = high = None
        found.append(Point(wave, mean, low, high, shown_count(count) if hidden else f"{count:,}"))
    return found


def point_text(point: Point) -> str:
    if point.mean is None:
        return f"{point.wave}: no mean (n = {point.count})"
    interval = (
        ""
        if point.low is None or point.high is None
        else f", 95% CI {number(point.low)} to {number(point.high)}"
    )
    return f"{point.wave}: {number(point.mean)}{interval} (n = {point.count})"


def trajectory_table(
    waves: Sequence[str], series: Sequence[Series], *, hidden: bool = False
) -> list[tuple[str, str, str, str, str]]:
    """(arm, wave, mean, 95% CI, n) per arm and wave: the trajectory chart's figures as a table."""
    table = []
    for line in series:
        for point in points(waves, line, hidden=hidden):
            mean = "" if point.mean is None else number(point.mean)
            interval = (
                ""
                if point.low is None or point.high is None
                else f"{number(point.low)} to {number(point.high)}"
            )
            table.append((line.arm, point.wave, mean, interval, point.count))
    return table


LEFT, RIGHT, PLOT_HEIGHT = 48.0, WIDTH - 12.0, 160.0


def wave_xs(count: int) -> list[float]:
    inner_left, inner_right = LEFT + 22, RIGHT - 22
    if count == 1:
        return [(inner_left + inner_right) / 2]
    step = (inner_right - inner_left) / (count - 1)
    return [inner_left + i * step for i in range(count)]


def trajectory_svg(
    title_words: str,
    waves: Sequence[str],
    series: Sequence[Series],
    *,
    hidden: bool = False,
    chart_id: str | None = None,
) -> SafeString:
    """Each arm's mean at each wave with its 95% CI bar, arms told apart by colour, marker and
    dash, a legend naming them, gaps where a mean is missing (or hidden: `hidden` leaves out
    means over 1 to 4 people, for audiences beyond the evaluation team)."""
    drawn = [points(waves, line, hidden=hidden) for line in series]
    values = [v for line in drawn for p in line for v in (p.mean, p.low, p.high) if v is not None]
    ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0), most=5)
    body: list[str] = []
    top = 0.0
    for words in wrap(title_words, WIDTH):
        body.append(text(0, top + 15, words, **{"font-weight": "600"}))
        top += ROW + 2
    for index, line in enumerate(series):
        colour, dash, shape = PAINTS[index % len(PAINTS)]
        y = top + 12
        sample = segment(
            0,
            y,
            30,
            y,
            stroke=colour,
            **{"stroke-width": "3"},
            **({"stroke-dasharray": dash} if dash else {}),
        )
        body += [sample, marker(shape, 15, y, colour), text(38, y + 5, shorten(line.arm))]
        top += 22
    body.append(text(0, top + 16, "Mean with 95% confidence interval", fill=MUTED))
    plot_top = top + 30
    bottom = plot_top + PLOT_HEIGHT

    def y_of(value: float) -> float:
        return bottom - (value - ticks[0]) / (ticks[-1] - ticks[0]) * PLOT_HEIGHT

    for tick in ticks:
        y = y_of(tick)
        body.append(segment(LEFT - 6, y, RIGHT, y, stroke=INK if tick == ticks[0] else GRID))
        body.append(text(LEFT - 10, y + 5, tick_text(tick), **{"text-anchor": "end", "fill": MUTED}))
    xs = wave_xs(len(waves))
    label_rows = 1
    for x, wave in zip(xs, waves, strict=True):
        rows = wrap(wave, max((RIGHT - LEFT) / max(len(waves), 1) - 4, 40))
        label_rows = max(label_rows, len(rows))
        body += [
            text(x, bottom + 20 + i * ROW, words, **{"text-anchor": "middle"}) for i, words in enumerate(rows)
        ]
    for index, (line, line_points) in enumerate(zip(series, drawn, strict=True)):
        offset = (index - (len(series) - 1) / 2) * 7  # arms side by side, so their bars never overlap
        body.append(
            arm_group(line.arm, line_points, [x + offset for x in xs], y_of, PAINTS[index % len(PAINTS)])
        )
    desc = trajectory_desc(series, drawn)
    return svg(
        chart_id or chart_id_for("trajectory", title_words),
        bottom + 14 + label_rows * ROW,
        title_words,
        desc,
        *body,
    )


def arm_group(
    arm: str, line: Sequence[Point], xs: Sequence[float], y_of: Scale, paint: tuple[str, str, str]
) -> str:
    colour, dash, shape = paint
    group: list[str] = [title(f"{arm}: " + "; ".join(point_text(point) for point in line))]
    path: list[str] = []
    joined = False
    for x, point in zip(xs, line, strict=True):
        if point.mean is None:
            joined = False
            continue
        if point.low is not None and point.high is not None:
            low, high = y_of(point.low), y_of(point.high)
            group += [
                segment(x, low, x, high, stroke=colour, **{"stroke-width": "2"}),
                segment(x - 4, low, x + 4, low, stroke=colour, **{"stroke-width": "2"}),
                segment(x - 4, high, x + 4, high, stroke=colour, **{"stroke-width": "2"}),
            ]
        y = y_of(point.mean)
        path.append(f"{'L' if joined else 'M'}{x:.1f},{y:.1f}")
        joined = True
        group.append(marker(shape, x, y, colour))
    if path:
        stroke = {"d": " ".join(path), "fill": "none", "stroke": colour, "stroke-width": "2.5"}
        group.insert(1, element("path", stroke | ({"stroke-dasharray": dash} if dash else {})))
    return element("g", {}, *group)


def trajectory_desc(series: Sequence[Series], drawn: Sequence[Sequence[Point]]) -> str:
    if not series:
        return "No arms to show."
    each = ". ".join(
        f"{line.arm}: " + "; ".join(point_text(point) for point in points_)
        for line, points_ in zip(series, drawn, strict=True)
    )
    return f"Mean by arm at each wave, with 95% confidence intervals. {each}."
