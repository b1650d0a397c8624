"""Ripple effects mapping seen: the radial ripple map and the same ripples as a nested list, the
capitals chart and the timeline, each with rows for a table of the same figures. Pure: no ORM.

Drawn with lib/charts.py like every other chart (role="img" named by a <title> and a <desc>, a
400-unit viewBox at width 100%, colours as presentation attributes for a strict CSP, every word
escaped by lib/svg.py: ripple texts are typed by participants). Nothing rests on colour alone: on
the map a positive ripple is a circle, a negative one a downward triangle, a mixed one a diamond,
and each ripple's <title> says so in words; on the charts positive is solid, negative hatched and
mixed dotted, with their counts written out. A 5,000-ripple map cannot be read on a phone, so
labels are drawn only where they fit and every ripple's full text is in its <title> and the list.

`Ripple` is this module's own input until the integrator wires it to ripples/tree.py.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.safestring import SafeString

from carecommons.lib.charts import ATTENDED_FILL, GRID, INK, MUTED, PAPER, WIDTH, rect, shorten, svg
from carecommons.lib.small_numbers import is_small, shown_count
from carecommons.lib.svg import element, text, title

POSITIVE, NEGATIVE, MIXED = "positive", "negative", "mixed"
NEGATIVE_INK = "#8a4b00"  # 6.8:1 on white
MIXED_INK = "#2b4c9b"  # 7.6:1 on white
# valence -> (words, colour, marker shape)
VALENCES = {
    POSITIVE: ("positive", ATTENDED_FILL, "circle"),
    NEGATIVE: ("negative", NEGATIVE_INK, "triangle"),
    MIXED: ("mixed", MIXED_INK, "diamond"),
}
UNRECORDED = ("positive or negative not recorded", MUTED, "ring")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip


@dataclass(frozen=True)
class Ripple:
    id: str
    parent: str | None  # None: it hangs from the programme
    text: str
    happened_on: date | None
    valence: str  # POSITIVE, NEGATIVE, MIXED or "" (not recorded yet)
    capitals: tuple[str, ...] = ()  # capital ids; the caller gives their names
    links: tuple[str, ...] = ()  # names of the people, organisations, initiatives and assets it affected
    intended: bool | None = None


def valence_words(valence: str) -> str:
    return VALENCES.get(valence, UNRECORDED)[0]


def intent_words(intended: bool | None) -> str:
    return "" if intended is None else "intended" if intended else "not intended"


def day_words(day: date | None) -> str:
    return "" if day is None else f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def capital_words(ripple: Ripple, capital_names: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(capital_names.get(capital, capital) for capital in ripple.capitals)


# --- The tree -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """The ripples as one tree under the programme: children in the order given, and every ripple
    once, depth first, with its depth (1: hangs from the programme)."""

    children: Mapping[str | None, Sequence[Ripple]]
    parent: Mapping[str, str | None]
    order: Sequence[tuple[Ripple, int]]

    @property
    def depth(self) -> int:
        return max((depth for _, depth in self.order), default=0)


def family(ripples: Iterable[Ripple]) -> Family:
    """A ripple whose parent is unknown hangs from the programme; so does the ripple at which a
    loop of parents (which the services refuse) is found, so no ripple is ever lost. Walked
    without recursion, as a tree may be as deep as people go."""
    known: dict[str, Ripple] = {}
    for ripple in ripples:
        known.setdefault(ripple.id, ripple)
    parent_of = {key: ripple.parent if ripple.parent in known else None for key, ripple in known.items()}
    rooted: set[str] = set()
    for key in known:
        path: set[str] = set()
        current: str | None = key
        while current is not None and current not in rooted:
            if current in path:
                parent_of[current] = None
                break
            path.add(current)
            current = parent_of[current]
        rooted.update(path)
    children: dict[str | None, list[Ripple]] = {}
    for key, ripple in known.items():
        children.setdefault(parent_of[key], []).append(ripple)
    order: list[tuple[Ripple, int]] = []
    stack = [(ripple, 1) for ripple in reversed(children.get(None, []))]
    while stack:
        ripple, depth = stack.pop()
        order.append((ripple, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(ripple.id, [])))
    return Family(children, parent_of, order)


# --- The nested list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RippleItem:
    """One ripple for the template's nested list, with its children."""

    id: str
    text: str
    happened_on: date | None
    valence: str
    valence_words: str
    intent_words: str
    capitals: tuple[str, ...]  # names
    links: tuple[str, ...]
    children: tuple["RippleItem", ...]


def ripple_list(
    ripples: Iterable[Ripple], capital_names: Mapping[str, str] | None = None
) -> list[RippleItem]:
    """The map's content as a nested list: the ripples hanging from the programme, each with its own."""
    tree = family(ripples)
    names = capital_names or {}
    items: dict[str, RippleItem] = {}
    for ripple, _ in reversed(tree.order):
        items[ripple.id] = RippleItem(
            id=ripple.id,
            text=ripple.text,
            happened_on=ripple.happened_on,
            valence=ripple.valence,
            valence_words=valence_words(ripple.valence),
            intent_words=intent_words(ripple.intended),
            capitals=capital_words(ripple, names),
            links=ripple.links,
            children=tuple(items[child.id] for child in tree.children.get(ripple.id, ())),
        )
    return [items[ripple.id] for ripple in tree.children.get(None, ())]


# --- The radial map -------------------------------------------------------------------------------

LEGEND_HEIGHT = 28.0
CENTRE_X, CENTRE_Y = WIDTH / 2, LEGEND_HEIGHT + WIDTH / 2
OUTER = WIDTH / 2 - 8  # labels end here
LEAF_ROOM = 72.0  # kept beyond the outer ring for the outermost labels
MOST_RING = 64.0
LABEL_SIZE = 12.0
LABEL_CHAR = 0.56 * LABEL_SIZE  # wide for system-ui, so a label stays inside its room
LEAST_CHARS = 4


def ripple_summary(tree: Family, centre_label: str) -> str:
    if not tree.order:
        return f"No ripples from {centre_label} have been mapped yet."
    tally = {key: 0 for key in (*VALENCES, "")}
    for ripple, _ in tree.order:
        tally[ripple.valence if ripple.valence in VALENCES else ""] += 1
    count = len(tree.order)
    levels = f"{tree.depth} level{'s' if tree.depth != 1 else ''} deep"
    parts = [f"{tally[key]:,} {words}" for key, (words, _, _) in VALENCES.items()]
    if tally[""]:
        parts.append(f"{tally['']:,} with {UNRECORDED[0]}")
    return (
        f"{count:,} ripple{'s' if count != 1 else ''} spreading from {centre_label}, {levels}: "
        f"{', '.join(parts)}. The list gives every ripple in full."
    )


def ripple_title(ripple: Ripple, capital_names: Mapping[str, str]) -> str:
    words = VALENCES.get(ripple.valence, UNRECORDED)[0]
    if ripple.intended is not None:
        words += "; " + intent_words(ripple.intended)
    if ripple.happened_on is not None:
        words += "; " + day_words(ripple.happened_on)
    if ripple.capitals:
        words += "; capitals: " + ", ".join(capital_words(ripple, capital_names))
    if ripple.links:
        words += "; affected: " + ", ".join(ripple.links)
    return f"{ripple.text} ({words})"


def shape_path(shape: str, size: float) -> tuple[float, float, str]:
    """A marker as (x offset, y offset, path data drawn from there): one path per ripple, placed by
    a move to (x + dx, y + dy), painted by its group."""
    if shape == "triangle":  # pointing down
        return -size * 1.2, -size * 0.8, f"h{size * 2.4:.2f}l{-size * 1.2:.2f},{size * 2.1:.2f}z"
    if shape == "diamond":
        reach = f"{size * 1.35:.2f}"
        return 0, -size * 1.35, f"l{reach},{reach}l-{reach},{reach}l-{reach},-{reach}z"
    arc = f"a{size:.2f},{size:.2f} 0 1,0"
    return -size, 0, f"{arc} {2 * size:.2f},0{arc} {-2 * size:.2f},0z"


def marker_at(shape: tuple[float, float, str], x: float, y: float) -> str:
    dx, dy, drawn = shape
    return f"M{x + dx:.1f},{y + dy:.1f}{drawn}"


def marker_key(valence: str) -> str:
    return valence if valence in VALENCES else "unrecorded"


MARKERS = {**VALENCES, "unrecorded": ("not recorded", UNRECORDED[1], UNRECORDED[2])}


def marker_paint(key: str, size: float = 5.0) -> dict[str, object]:
    _, colour, shape = MARKERS[key]
    if shape == "ring":
        return {"fill": PAPER, "stroke": colour, "stroke-width": f"{min(2.0, size / 2.5):.1f}"}
    return {"fill": colour}


def map_legend(keys: Iterable[str]) -> SafeString:
    items: list[str] = []
    x = 8.0
    for key in keys:
        words, _, shape = MARKERS[key]
        items.append(element("path", {"d": marker_at(shape_path(shape, 5), x, 14), **marker_paint(key)}))
        items.append(text(x + 10, 19, words))
        x += 24 + len(words) * 8
    return element("g", {}, *items)


def clip(words: str, chars: int) -> str:
    words = " ".join(words.split())
    return words if len(words) <= chars else words[: chars - 1].rstrip() + "…"


def point(radius: float, angle: float) -> tuple[float, float]:
    return CENTRE_X + radius * math.cos(angle), CENTRE_Y + radius * math.sin(angle)


def node_label(words: str, radius: float, angle: float, span: float, *, ring: float, leaf: bool) -> str:
    """The ripple's words where they fit, on one straight line: along its ray out to the next ring
    (or to the edge, for a ripple with nothing beyond it) when its sector is at least a line wide,
    or across its ray when that holds more, kept inside its sector and short of the next ring;
    nothing when neither holds LEAST_CHARS characters."""
    limit = OUTER if leaf else radius + ring - 10
    along = int((limit - radius - 9) / LABEL_CHAR) if span * radius >= LABEL_SIZE + 2 else 0
    middle = radius + 14  # the line across sits just beyond the marker
    half = math.sqrt(max(limit**2 - (middle + LABEL_SIZE / 2) ** 2, 0))
    if span < math.pi:
        half = min(half, math.tan(span / 2) * (middle - LABEL_SIZE / 2) - 3)
    across = int(2 * half / LABEL_CHAR)
    if max(along, across) < LEAST_CHARS:
        return ""
    degrees = math.degrees(angle)
    if along >= across:
        x, y = point(radius + 9, angle)
        left = math.cos(angle) < -1e-9
        turn, anchor = (degrees + 180, "end") if left else (degrees, "start")
        words = clip(words, along)
    else:
        x, y = point(middle, angle)
        turn, anchor = (degrees - 90 if math.sin(angle) > 1e-9 else degrees + 90), "middle"
        words = clip(words, across)
    return text(x, y, words, transform=f"rotate({turn:.1f} {x:.1f} {y:.1f})", **{"text-anchor": anchor})


def sectors(tree: Family) -> dict[str, tuple[float, float]]:
    """(start angle, span) per ripple: the programme's full turn shared among the ripples hanging
    from it by their number of outermost ripples, and so on down, parents before children."""
    leaves: dict[str, int] = {}
    for ripple, _ in reversed(tree.order):
        leaves[ripple.id] = sum(leaves[child.id] for child in tree.children.get(ripple.id, ())) or 1
    found: dict[str | None, tuple[float, float]] = {None: (-math.pi / 2, 2 * math.pi)}
    for parent in (None, *(ripple.id for ripple, _ in tree.order)):
        kids = tree.children.get(parent, ())
        start, span = found[parent]
        total = sum(leaves[child.id] for child in kids)
        for child in kids:
            share = span * leaves[child.id] / total
            found[child.id] = (start, share)
            start += share
    return {key: value for key, value in found.items() if key is not None}


def ripple_map_svg(
    ripples: Iterable[Ripple],
    *,
    centre_label: str,
    capital_names: Mapping[str, str] | None = None,
    chart_id: str = "ripple-map",
) -> SafeString:
    """The programme in the centre, each ring one level deeper, each branch in its own sector,
    a line from each ripple to each it led to, a marker per ripple by whether it was positive,
    negative or mixed, and its full text and codes in words in its <title>."""
    tree = family(ripples)
    names = capital_names or {}
    ring = min(MOST_RING, (OUTER - LEAF_ROOM) / max(tree.depth, 1))
    size = max(1.5, min(5.0, ring / 6))
    shapes = {key: shape_path(shape, size) for key, (_, _, shape) in MARKERS.items()}
    placed = sectors(tree)
    where: dict[str | None, tuple[float, float]] = {None: (CENTRE_X, CENTRE_Y)}
    lines: list[str] = []
    markers: dict[str, list[str]] = {key: [] for key in MARKERS}
    labels: list[str] = []
    for ripple, depth in tree.order:
        start, span = placed[ripple.id]
        angle, radius = start + span / 2, depth * ring
        x, y = where[ripple.id] = point(radius, angle)
        px, py = where[tree.parent[ripple.id]]
        lines.append(f"M{px:.1f},{py:.1f}L{x:.1f},{y:.1f}")
        key = marker_key(ripple.valence)
        attrs = {"d": marker_at(shapes[key], x, y), "data-ripple": ripple.id}
        markers[key].append(element("path", attrs, title(ripple_title(ripple, names))))
        leaf = ripple.id not in tree.children
        if label := node_label(ripple.text, radius, angle, span, ring=ring, leaf=leaf):
            labels.append(label)
    body: list[str] = [map_legend(key for key, drawn in markers.items() if drawn or key in VALENCES)]
    for depth in range(1, tree.depth + 1):
        circle = {"cx": f"{CENTRE_X:g}", "cy": f"{CENTRE_Y:g}", "r": f"{depth * ring:.1f}"}
        body.append(element("circle", circle | {"fill": "none", "stroke": GRID}))
    if lines:
        thin = f"{max(0.25, min(1.0, 15 / math.sqrt(len(lines)))):.2f}"  # thinner as the map fills
        body.append(
            element("path", {"d": "".join(lines), "fill": "none", "stroke": MUTED, "stroke-width": thin})
        )
    body += [element("g", marker_paint(key, size), *drawn) for key, drawn in markers.items() if drawn]
    halo = {"font-size": f"{LABEL_SIZE:g}", "stroke": PAPER, "stroke-width": "3", "paint-order": "stroke"}
    if labels:
        body.append(element("g", halo | {"dominant-baseline": "central"}, *labels))
    body.append(centre(centre_label, ring))
    heading = f"Ripple map: {centre_label}"
    return svg(chart_id, LEGEND_HEIGHT + WIDTH, heading, ripple_summary(tree, centre_label), *body)


def centre(centre_label: str, ring: float) -> SafeString:
    dot = {"cx": f"{CENTRE_X:g}", "cy": f"{CENTRE_Y:g}", "r": "7", "fill": INK}
    parts = [title(centre_label), element("circle", dot)]
    chars = int((2 * ring - 8) / (14 * 0.56))
    if chars >= LEAST_CHARS:
        halo = {"stroke": PAPER, "stroke-width": "4", "paint-order": "stroke", "font-weight": "600"}
        words = clip(centre_label, chars)
        parts.append(text(CENTRE_X, CENTRE_Y - 14, words, **{"text-anchor": "middle"}, **halo))
    return element("g", {}, *parts)


# --- Counts: positive, negative and mixed side by side ----------------------------------------------


@dataclass(frozen=True)
class CapitalCount:
    capital_name: str
    positive: int
    negative: int
    mixed: int


@dataclass(frozen=True)
class MonthCount:
    month: date  # any day in the month
    positive: int
    negative: int
    mixed: int


Counted = CapitalCount | MonthCount
SERIES = ((POSITIVE, "solid"), (NEGATIVE, "hatched"), (MIXED, "dotted"))


def counts_of(row: Counted) -> tuple[int, int, int]:
    return row.positive, row.negative, row.mixed


def drawn(count: int, *, hidden: bool) -> int:
    """What a bar may show: a hidden count is not drawn at all, so its length gives nothing away."""
    return 0 if hidden and is_small(count) else count


def count_text(count: int, *, hidden: bool) -> str:
    return shown_count(count) if hidden else f"{count:,}"


def shown_counts(row: Counted, *, hidden: bool) -> tuple[str, str, str]:
    return (
        count_text(row.positive, hidden=hidden),
        count_text(row.negative, hidden=hidden),
        count_text(row.mixed, hidden=hidden),
    )


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


def paints(chart_id: str) -> dict[str, dict[str, object]]:
    return {
        POSITIVE: {"fill": ATTENDED_FILL},
        NEGATIVE: {"fill": f"url(#{chart_id}-hatch)", "stroke": NEGATIVE_INK},
        MIXED: {"fill": f"url(#{chart_id}-dots)", "stroke": MIXED_INK},
    }


def count_legend(chart_id: str, where: Mapping[str, str]) -> tuple[SafeString, float]:
    """The legend, in as many rows as a 400-unit width needs, and the height it takes."""
    items: list[str] = []
    x, y = 0.0, 0.0
    for key, paint in paints(chart_id).items():
        words = f"{key} ({where[key]})"
        width = 30 + len(words) * 7.4
        if x and x + width > WIDTH:
            x, y = 0.0, y + 22
        items += [rect(x, y + 4, 14, 14, **paint), text(x + 19, y + 16, words)]
        x += width
    return element("g", {}, *items), y + 30


def scale_of(rows: Sequence[Counted], *, hidden: bool) -> float:
    """The longest reach from the axis among the counts that are drawn (never a hidden one)."""
    reach = [
        max(
            drawn(row.positive, hidden=hidden),
            drawn(row.negative, hidden=hidden),
            drawn(row.mixed, hidden=hidden) / 2,
        )
        for row in rows
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
    legend, top = count_legend(chart_id, {POSITIVE: "right", NEGATIVE: "left", MIXED: "across the line"})
    body: list[str] = [count_patterns(chart_id), legend]
    for row in counts:
        positive, negative, mixed = (drawn(count, hidden=hidden) for count in counts_of(row))
        group: list[str] = [
            title(f"{row.capital_name}: {figures_words(row, hidden=hidden)}"),
            text(0, top + 16, shorten(row.capital_name), **{"font-weight": "600"}),
        ]
        if positive:
            group.append(rect(AXIS, top + 24, REACH * positive / scale, 16, **paint[POSITIVE]))
        if negative:
            width = REACH * negative / scale
            group.append(rect(AXIS - width, top + 24, width, 16, **paint[NEGATIVE]))
        if mixed:
            width = REACH * mixed / scale
            group.append(rect(AXIS - width / 2, top + 44, width, 9, **paint[MIXED]))
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


def month_words(month: date, *, short: bool = False) -> str:
    name = MONTHS[month.month - 1]
    return f"{name[:3] if short else name} {month.year}"


def every_month(months: Sequence[MonthCount]) -> list[MonthCount]:
    """The months given, in order, with the months between them filled in with no ripples, so
    the timeline's spacing is true to time."""
    given = {(row.month.year, row.month.month): row for row in months}
    if not given:
        return []
    first, last = min(given), max(given)
    filled: list[MonthCount] = []
    for index in range(first[0] * 12 + first[1] - 1, last[0] * 12 + last[1]):
        year, month = divmod(index, 12)
        day = date(year, month + 1, 1)
        row = given.get((year, month + 1))
        filled.append(MonthCount(day, 0, 0, 0) if row is None else MonthCount(day, *counts_of(row)))
    return filled


def timeline_rows(months: Sequence[MonthCount], *, hidden: bool = False) -> list[tuple[str, str, str, str]]:
    """(month, positive, negative, mixed) per month, gaps filled: the timeline's figures as a table."""
    return [(month_words(row.month), *shown_counts(row, hidden=hidden)) for row in every_month(months)]


def ticks(scale: float) -> list[int]:
    """Whole-number steps of 1, 2 or 5 × 10ⁿ from 0 up to the scale, at most four steps above 0."""
    step = next(m * 10**e for e in range(16) for m in (1, 2, 5) if scale / (m * 10**e) <= 4)
    return list(range(0, int(scale) + 1, step))


def timeline_svg(
    months: Sequence[MonthCount], *, hidden: bool = False, chart_id: str = "ripple-timeline"
) -> SafeString:
    """Per month, positive ripples as a column up from the axis, negative down from it, and mixed
    beside them straddling it. `hidden` as for the capitals chart."""
    rows = every_month(months)
    scale = scale_of(rows, hidden=hidden)
    paint = paints(chart_id)
    legend, legend_height = count_legend(
        chart_id, {POSITIVE: "up", NEGATIVE: "down", MIXED: "across the line"}
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
        group: list[str] = [title(f"{month_words(row.month)}: {figures_words(row, hidden=hidden)}")]
        if positive:
            height = HALF * positive / scale
            group.append(rect(x + slot * 0.08, axis_y - height, column, height, **paint[POSITIVE]))
        if negative:
            height = HALF * negative / scale
            group.append(rect(x + slot * 0.08, axis_y, column, height, **paint[NEGATIVE]))
        if mixed:
            height = HALF * mixed / scale
            group.append(rect(x + slot * 0.58, axis_y - height / 2, slot * 0.3, height, **paint[MIXED]))
        if index % label_every == 0:
            group.append(
                text(
                    x + slot / 2,
                    axis_y + HALF + 22,
                    month_words(row.month, short=True),
                    **{"text-anchor": "middle"},
                )
            )
        body.append(element("g", {}, *group))
    return svg(chart_id, axis_y + HALF + 32, "Ripples over time", timeline_desc(rows, hidden=hidden), *body)


def timeline_desc(rows: Sequence[MonthCount], *, hidden: bool) -> str:
    if not rows:
        return "No dated ripples yet."
    span = f"{month_words(rows[0].month)} to {month_words(rows[-1].month)}"
    shown = [row for row in rows if any(counts_of(row))]
    each = "; ".join(f"{month_words(row.month)}: {figures_words(row, hidden=hidden)}" for row in shown)
    totals = totals_words(rows, hidden=hidden)
    return f"Ripples by the month they happened, {span}.{totals} {each}.{hidden_note(hidden)}"
