"""Ripple effects mapping seen: the radial ripple map and the same ripples as a nested list. Pure:
no ORM; it takes a ripples/tree.py `Tree` (from `tree.build`) and walks it with that module.

Drawn with lib/charts.py like every other chart (role="img" named by a <title> and a <desc>, a
400-unit viewBox at width 100%, colours as presentation attributes for a strict CSP, every word
escaped by lib/svg.py: ripple texts are typed by participants). Nothing rests on colour alone: a
positive ripple is a circle, a negative one a downward triangle, a mixed one a diamond, and each
ripple's <title> says so in words. A 5,000-ripple map cannot be read on a phone, so labels are drawn
only where they fit and every ripple's full text is in its <title> and the list. What a RippleNode
does not carry, the names of those a ripple affected, comes as `links`, keyed by ripple id; capital
names come from capitals.BY_ID unless given.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from django.utils.safestring import SafeString

from carecommons.lib import dates
from carecommons.lib.charts import GRID, INK, MUTED, PAPER, WIDTH, svg
from carecommons.lib.svg import TitledShapes, element, text, title
from carecommons.ripples.capitals import BY_ID, CAPITAL_IDS, Intent, Valence
from carecommons.ripples.count_charts import VALENCE_INK
from carecommons.ripples.tree import RippleNode, Tree, walk

SHAPES = {Valence.POSITIVE: "circle", Valence.NEGATIVE: "triangle", Valence.MIXED: "diamond"}
Links = Mapping[int, Sequence[str]]
CAPITAL_NAMES = {id: capital.name for id, capital in BY_ID.items()}


def intent_words(intent: Intent) -> str:
    """ "Intended", "Unintended", or nothing when nobody knows."""
    return "" if intent is Intent.NOT_KNOWN else intent.label


@lru_cache(maxsize=4096)
def day_words(day: date | None) -> str:
    return "" if day is None else dates.day_words(day)


def capital_words(ripple: RippleNode, capital_names: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The names of the ripple's capitals in the capitals' own order (ids naming no capital last, sorted)."""
    names = CAPITAL_NAMES if capital_names is None else capital_names
    known = [id for id in CAPITAL_IDS if id in ripple.capitals]
    ids = known + sorted(ripple.capitals - set(known))
    return tuple(names.get(id, id) for id in ids)


def capital_namer(capital_names: Mapping[str, str] | None = None) -> Callable[[RippleNode], tuple[str, ...]]:
    """`capital_words` remembered per set of capitals: a map of thousands of ripples holds a few
    dozen distinct sets."""
    known: dict[frozenset[str], tuple[str, ...]] = {}

    def words(ripple: RippleNode) -> tuple[str, ...]:
        found = known.get(ripple.capitals)
        if found is None:
            found = known[ripple.capitals] = capital_words(ripple, capital_names)
        return found

    return words


def tree_depth(tree: Tree) -> int:
    return max(tree.depths.values(), default=0)


# --- The nested list ------------------------------------------------------------------------------


class RippleItem(NamedTuple):
    """One ripple for the template's nested list, with its children. A named tuple rather than a
    frozen dataclass: as immutable, and made several times faster, which counts at 5,000 ripples."""

    id: int
    text: str
    happened_on: date | None
    valence: Valence
    intent: Intent
    capitals: tuple[str, ...]  # names
    links: tuple[str, ...]
    children: tuple["RippleItem", ...]


def ripple_list(
    tree: Tree, *, links: Links | None = None, capital_names: Mapping[str, str] | None = None
) -> list[RippleItem]:
    """The map's content as a nested list: the ripples hanging from the programme, each with its own."""
    items: dict[int, RippleItem] = {}
    named = capital_namer(capital_names)
    links = links or {}
    children = tree.children
    for ripple in reversed(list(walk(tree))):
        id = ripple.id
        items[id] = RippleItem(
            id,
            ripple.text,
            ripple.happened_on,
            ripple.valence,
            ripple.intent,
            named(ripple),
            tuple(links.get(id, ())),
            tuple([items[child] for child in children[id]]) if id in children else (),
        )
    return [items[root] for root in children.get(None, ())]


# --- The radial map -------------------------------------------------------------------------------

LEGEND_HEIGHT = 28.0
CENTRE_X, CENTRE_Y = WIDTH / 2, LEGEND_HEIGHT + WIDTH / 2
OUTER = WIDTH / 2 - 8  # labels end here
LEAF_ROOM = 72.0  # kept beyond the outer ring for the outermost labels
MOST_RING = 64.0
LABEL_SIZE = 12.0
LABEL_CHAR = 0.56 * LABEL_SIZE  # wide for system-ui, so a label stays inside its room
LEAST_CHARS = 4


def ripple_summary(tree: Tree, centre_label: str) -> str:
    if not len(tree):
        return f"No ripples from {centre_label} have been mapped yet."
    tally = dict.fromkeys(Valence, 0)
    for ripple in tree.nodes.values():
        tally[ripple.valence] += 1
    count, depth = len(tree), tree_depth(tree)
    levels = f"{depth} level{'s' if depth != 1 else ''} deep"
    parts = [f"{tally[valence]:,} {valence.value}" for valence in Valence]
    return (
        f"{count:,} ripple{'s' if count != 1 else ''} spreading from {centre_label}, {levels}: "
        f"{', '.join(parts)}. The list gives every ripple in full."
    )


VALENCE_WORDS = {valence: valence.value for valence in Valence}  # a dict is quicker than .value
INTENT_WORDS = {
    intent: "; " + intent_words(intent).lower() if intent_words(intent) else "" for intent in Intent
}


def ripple_title(ripple: RippleNode, links: Sequence[str], capitals: Sequence[str]) -> str:
    """The ripple's text and its codes in words; `capitals` are the names of its capitals."""
    words = [ripple.text, " (", VALENCE_WORDS[ripple.valence], INTENT_WORDS[ripple.intent]]
    if ripple.happened_on is not None:
        words += ("; ", day_words(ripple.happened_on))
    if capitals:
        words += ("; capitals: ", ", ".join(capitals))
    if links:
        words += ("; affected: ", ", ".join(links))
    words.append(")")
    return "".join(words)


def shape_path(shape: str, size: float) -> str:
    """A marker as relative path data drawn from its centre (a move to where it starts, then its
    outline): one path per ripple, placed by a move to its centre, painted by its group. The same
    text serves every ripple of a kind, so a ripple costs one formatted point."""
    if shape == "triangle":  # pointing down
        return f"m{-size * 1.2:.2f},{-size * 0.8:.2f}h{size * 2.4:.2f}l{-size * 1.2:.2f},{size * 2.1:.2f}z"
    if shape == "diamond":
        reach = f"{size * 1.35:.2f}"
        return f"m0,-{reach}l{reach},{reach}l-{reach},{reach}l-{reach},-{reach}z"
    arc = f"a{size:.2f},{size:.2f} 0 1,0"
    return f"m{-size:.2f},0{arc} {2 * size:.2f},0{arc} {-2 * size:.2f},0z"


def marker_at(shape: str, x: float, y: float) -> str:
    return f"M{x:.1f},{y:.1f}{shape}"


def map_legend() -> SafeString:
    items: list[str] = []
    x = 8.0
    for valence in Valence:
        path = {"d": marker_at(shape_path(SHAPES[valence], 5), x, 14), "fill": VALENCE_INK[valence]}
        items += [element("path", path), text(x + 10, 19, valence.value)]
        x += 24 + len(valence.value) * 8
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
    if span < math.pi:
        inside = math.tan(span / 2) * (middle - LABEL_SIZE / 2) - 3
        if along < LEAST_CHARS and int(2 * inside / LABEL_CHAR) < LEAST_CHARS:
            return ""  # most ripples of a big map: too narrow either way
    half = math.sqrt(max(limit**2 - (middle + LABEL_SIZE / 2) ** 2, 0))
    if span < math.pi:
        half = min(half, inside)
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


def sectors(tree: Tree, order: Sequence[RippleNode]) -> tuple[dict[int, float], dict[int, float]]:
    """The start angle and the span of each ripple: the programme's full turn shared among the
    ripples hanging from it by their number of outermost ripples, and so on down, parents before
    children. Two maps of floats rather than one of pairs: nothing for the garbage collector."""
    children = tree.children
    leaves: dict[int, int] = {}
    for ripple in reversed(order):
        kids = children.get(ripple.id)
        leaves[ripple.id] = sum([leaves[child] for child in kids]) if kids else 1
    starts: dict[int | None, float] = {None: -math.pi / 2}
    spans: dict[int | None, float] = {None: 2 * math.pi}
    for parent in (None, *(ripple.id for ripple in order)):
        kids = children.get(parent)
        if not kids:
            continue
        start = starts[parent]
        each = spans[parent] / sum([leaves[child] for child in kids])
        for child in kids:
            starts[child] = start
            spans[child] = share = each * leaves[child]
            start += share
    del starts[None], spans[None]
    return starts, spans  # type: ignore[return-value]


def ripple_map_svg(
    tree: Tree,
    *,
    centre_label: str,
    links: Links | None = None,
    capital_names: Mapping[str, str] | None = None,
    chart_id: str = "ripple-map",
) -> SafeString:
    """The programme in the centre, each ring one level deeper, each branch in its own sector,
    a line from each ripple to each it led to, a marker per ripple by whether it was positive,
    negative or mixed, and its full text and codes in words in its <title>."""
    order = list(walk(tree))
    deepest = tree_depth(tree)
    ring = min(MOST_RING, (OUTER - LEAF_ROOM) / max(deepest, 1))
    size = max(1.5, min(5.0, ring / 6))
    shapes = {valence: shape_path(shape, size) for valence, shape in SHAPES.items()}
    starts, spans = sectors(tree, order)
    where: dict[int | None, str] = {None: f"{CENTRE_X:.1f},{CENTRE_Y:.1f}"}
    lines: list[str] = []
    markers = {valence: TitledShapes("path", "d", "data-ripple") for valence in Valence}
    labels: list[str] = []
    named, links, depths, children = capital_namer(capital_names), links or {}, tree.depths, tree.children
    cos, sin = math.cos, math.sin
    for ripple in order:
        id = ripple.id
        span = spans[id]
        angle, radius = starts[id] + span / 2, depths[id] * ring
        here = where[id] = f"{CENTRE_X + radius * cos(angle):.1f},{CENTRE_Y + radius * sin(angle):.1f}"
        lines.append(f"M{where[ripple.parent]}L{here}")
        words = ripple_title(ripple, links.get(id, ()), named(ripple))
        markers[ripple.valence].add(f"M{here}{shapes[ripple.valence]}", id, words)
        if span * (radius + 8) < LABEL_SIZE + 2 and span < 2:
            continue  # no room for a label either way (node_label would say so, more slowly)
        if label := node_label(ripple.text, radius, angle, span, ring=ring, leaf=id not in children):
            labels.append(label)
    body: list[str] = [map_legend()]
    for depth in range(1, deepest + 1):
        circle = {"cx": f"{CENTRE_X:g}", "cy": f"{CENTRE_Y:g}", "r": f"{depth * ring:.1f}"}
        body.append(element("circle", circle | {"fill": "none", "stroke": GRID}))
    if lines:
        thin = f"{max(0.25, min(1.0, 15 / math.sqrt(len(lines)))):.2f}"  # thinner as the map fills
        body.append(
            element("path", {"d": "".join(lines), "fill": "none", "stroke": MUTED, "stroke-width": thin})
        )
    body += [
        element("g", {"fill": VALENCE_INK[key]}, drawn.markup()) for key, drawn in markers.items() if drawn
    ]
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
