"""Line charts of scores across waves, and bars of outcome percentages, as server-side SVG. Pure:
no ORM, no JavaScript.

Built on lib/charts.py's chart helpers (same viewBox width, font, colours and escaping), so the
same rules hold: role="img" with a <title> and a <desc>, colours as presentation attributes (strict
CSP), at least 3:1 contrast on white, and series told apart by marker shape and dash pattern as
well as colour. Every chart has a table alternative on its page. A figure the page may not show
(small-number suppression) is never drawn: its bar is replaced by a word.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from carecommons.lib.charts import GRID, INK, MUTED, PAPER, WIDTH, marker, percent, rect, shorten, svg
from carecommons.lib.svg import element, text, title

LEFT, RIGHT = 44.0, WIDTH - 16.0
PLOT_HEIGHT = 130.0
# (colour, dash pattern, marker): dark enough for 3:1 on white (7.9:1, 6.8:1, 8.6:1).
PAINTS = (("#0b5c4a", "", "circle"), ("#8a4b00", "7 4", "square"), ("#2b4c9b", "2 3", "triangle"))
HALO = {"stroke": PAPER, "stroke-width": "4", "paint-order": "stroke"}


@dataclass(frozen=True)
class Line:
    name: str
    values: Sequence[float | None]  # one per x label; None leaves a gap
    gap: str = ""  # written at the foot of a gap, e.g. "hidden"


@dataclass(frozen=True)
class Panel:
    title: str
    low: float
    high: float
    lines: Sequence[Line]


def figure(value: float) -> str:
    return f"{round(value, 2):g}"


def legend(lines: Sequence[Line], top: float) -> tuple[list[str], float]:
    """One row per series: a sample of its line and marker, then its name."""
    if len(lines) < 2:
        return [], top
    body: list[str] = []
    for index, line in enumerate(lines):
        colour, dash, shape = PAINTS[index % len(PAINTS)]
        y = top + 10 + index * 22
        sample = {
            "x1": "0",
            "x2": "28",
            "y1": f"{y:g}",
            "y2": f"{y:g}",
            "stroke": colour,
            "stroke-width": "3",
        }
        body.append(element("line", sample | ({"stroke-dasharray": dash} if dash else {})))
        body.append(marker(shape, 14, y, colour))
        body.append(text(36, y + 5, line.name))
    return body, top + 22 * len(lines) + 4


def x_positions(count: int) -> list[float]:
    if count == 1:
        return [(LEFT + RIGHT) / 2]
    step = (RIGHT - LEFT) / (count - 1)
    return [LEFT + index * step for index in range(count)]


def axis_labels(labels: Sequence[str], xs: Sequence[float], y: float) -> list[str]:
    """Each label under its point, on up to two lines so four waves fit a phone's width."""
    body: list[str] = []
    for index, (label, x) in enumerate(zip(labels, xs, strict=True)):
        anchor = "middle"
        if len(labels) > 1 and index == 0:
            anchor = "start"
        elif len(labels) > 1 and index == len(labels) - 1:
            anchor = "end"
        x_text = x - 6 if anchor == "start" else x + 6 if anchor == "end" else x
        words = label.split(" ")
        first = " ".join(words[: max(1, len(words) // 2)]) if len(label) > 12 else label
        rest = label[len(first) :].strip()
        body.append(text(x_text, y, first, **{"text-anchor": anchor}))
        if rest:
            body.append(text(x_text, y + 16, rest, **{"text-anchor": anchor}))
    return body


def ticks(low: float, high: float) -> list[float]:
    """Round numbers to draw grid lines at: at most five, none crowding the lowest score."""
    span = high - low
    step = next((s for s in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100) if span / s <= 4), span)
    first = math.ceil(low / step) * step
    found = [low]
    value = first
    while value <= high + 1e-9:
        if value - low >= 0.2 * span:
            found.append(value)
        value += step
    if high - found[-1] >= 0.2 * span:
        found.append(high)  # the highest possible score, when no round number is near it
    return found


def panel(top: float, labels: Sequence[str], chart: Panel, *, values: bool, key: bool) -> list[str]:
    """One plot: a heading, a legend (`key`) when there are several series, grid lines, the series."""
    body: list[str] = [text(0, top + 14, chart.title, **{"font-weight": "600"})] if chart.title else []
    legend_body, plot_top = legend(chart.lines if key else [], top + (26 if chart.title else 8))
    body += legend_body
    plot_top += 10  # room for a value's label above the highest point
    bottom = plot_top + PLOT_HEIGHT
    span = (chart.high - chart.low) or 1.0

    def y_of(value: float) -> float:
        share = (min(max(value, chart.low), chart.high) - chart.low) / span
        return bottom - share * PLOT_HEIGHT

    for tick in ticks(chart.low, chart.high):
        y = y_of(tick)
        line = {"x1": f"{LEFT - 6:g}", "x2": f"{RIGHT:g}", "y1": f"{y:.1f}", "y2": f"{y:.1f}"}
        body.append(element("line", line | {"stroke": INK if tick == chart.low else GRID}))
        body.append(text(LEFT - 10, y + 5, figure(tick), **{"text-anchor": "end", "fill": MUTED}))
    xs = x_positions(len(labels))
    body += axis_labels(labels, xs, bottom + 20)
    for index, series in enumerate(chart.lines):
        colour, dash, shape = PAINTS[index % len(PAINTS)]
        path, joined = [], False
        group: list[str] = [title(describe_line(series, labels))]
        for x, value in zip(xs, series.values, strict=True):
            if value is None:
                joined = False
                if series.gap:
                    group.append(text(x, bottom - 8, series.gap, **{"text-anchor": "middle", "fill": MUTED}))
                continue
            y = y_of(value)
            path.append(f"{'L' if joined else 'M'}{x:.1f},{y:.1f}")
            joined = True
            group.append(marker(shape, x, y, colour))
            if values:
                group.append(text(x, y - 10, figure(value), **{"text-anchor": "middle", **HALO}))
        if path:
            stroke = {"d": " ".join(path), "fill": "none", "stroke": colour, "stroke-width": "3"}
            group.insert(1, element("path", stroke | ({"stroke-dasharray": dash} if dash else {})))
        body.append(element("g", {}, *group))
    return body


def panel_height(chart: Panel, *, key: bool) -> float:
    legend_rows = 22 * len(chart.lines) + 4 if key and len(chart.lines) > 1 else 0
    return (26 if chart.title else 8) + legend_rows + 10 + PLOT_HEIGHT + 52


def describe_line(line: Line, labels: Sequence[str]) -> str:
    points = [
        f"{label}: {'no score' if value is None else figure(value)}"
        for label, value in zip(labels, line.values, strict=True)
    ]
    return f"{line.name}: " + "; ".join(points)


def line_chart(
    chart_id: str, heading: str, desc: str, labels: Sequence[str], panels: Sequence[Panel]
) -> SafeString:
    """Scores across waves: one plot per panel, stacked, sharing the wave labels and the legend
    (drawn above the first; every panel has the same series)."""
    body: list[str] = []
    top = 0.0
    for index, chart in enumerate(panels):
        single = len(chart.lines) == 1 and len(labels) <= 8
        body += panel(top, labels, chart, values=single, key=index == 0)
        top += panel_height(chart, key=index == 0)
    return svg(chart_id, top, heading, desc, *body)


# --- Bars of percentages -------------------------------------------------------------------------

BAR_ROW = 50.0
BAR_TOP = 8.0
BAR_RIGHT = WIDTH - 48.0  # room for "100%" after the longest bar


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None  # 0 to 1; None when the figure may not be shown: then nothing is drawn
    of: str = ""  # what it is a share of, e.g. "of cases at the start"
    missing: str = "hidden"  # written in place of the bar when there is no share to show


def describe_bar(bar: Bar) -> str:
    if bar.share is None:
        return f"{bar.label}: {bar.missing}"
    return f"{bar.label}: {percent(bar.share)} {bar.of}".rstrip()


def bar_chart(chart_id: str, heading: str, bars: Sequence[Bar]) -> SafeString:
    """One horizontal bar per figure on a shared 0–100% scale, its label above it and its
    percentage after it. The description reads every figure out, hidden ones as hidden."""
    bottom = BAR_TOP + BAR_ROW * max(len(bars), 1)
    body: list[str] = []
    for share in (0, 0.5, 1):
        x = BAR_RIGHT * share
        line = {"x1": f"{x:g}", "x2": f"{x:g}", "y1": f"{BAR_TOP:g}", "y2": f"{bottom:g}"}
        body.append(element("line", line | {"stroke": INK if share == 0 else GRID}))
        anchor = "start" if share == 0 else "end" if share == 1 else "middle"
        body.append(text(x, bottom + 18, percent(share), **{"text-anchor": anchor, "fill": MUTED}))
    for index, bar in enumerate(bars):
        top = BAR_TOP + index * BAR_ROW
        label = shorten(f"{bar.label}, {bar.of}" if bar.of else bar.label)
        group: list[str] = [title(describe_bar(bar)), text(6, top + 16, label, **HALO)]
        if bar.share is None:
            group.append(text(6, top + 38, bar.missing, fill=MUTED))
        else:
            width = BAR_RIGHT * min(max(bar.share, 0.0), 1.0)
            if width > 0:
                group.append(
                    rect(0, top + 24, max(width, 2.0), 18, fill=PAINTS[0][0], **{"class": "chart-bar"})
                )
            group.append(text(max(width, 2.0) + 6, top + 38, percent(bar.share)))
        body.append(element("g", {}, *group))
    desc = "; ".join(describe_bar(bar) for bar in bars) + "." if bars else "No figures to show."
    return svg(chart_id, bottom + 26, heading, desc, *body)
