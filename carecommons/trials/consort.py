"""A trial's CONSORT 2010 flow (issue 14): the figures, the checks that they add up, small counts
hidden for audiences beyond the evaluation team, and the diagram as SVG with the same figures as a
table. Pure: plain dataclasses in, words and SVG out, no ORM.

The flow is Enrolment (assessed for eligibility; excluded, with reasons; randomised), Allocation
(per arm: allocated; received the intervention; did not, with reasons), one Follow-up stage per
wave (lost to follow-up and discontinued, with reasons) and Analysis (analysed; excluded from
analysis, with reasons), as in shared/reference/instruments.md section 7. A total with reasons is
their sum, so the reasons always account for everyone in it. Figures that do not add up are
reported by `problems` and never drawn. The diagram and the table are made from the same
`ShownFlow`, so they cannot disagree; every word in them was typed by someone and is escaped by
lib/svg.py where it enters.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from carecommons.lib.charts import ATTENDED_FILL, INK, PAPER, WIDTH, rect, shorten, svg
from carecommons.lib.small_numbers import Cell
from carecommons.lib.svg import element, text
from carecommons.trials.charts import wrap
from carecommons.trials.hiding import protect


@dataclass(frozen=True)
class Reason:
    text: str
    count: int


@dataclass(frozen=True)
class FollowUp:
    wave: str
    lost: Sequence[Reason]
    discontinued: Sequence[Reason]


@dataclass(frozen=True)
class ArmFlow:
    label: str
    allocated: int
    received: int
    not_received: Sequence[Reason]
    follow_ups: Sequence[FollowUp]
    analysed: int
    excluded_from_analysis: Sequence[Reason]


@dataclass(frozen=True)
class Flow:
    assessed: int
    excluded: Sequence[Reason]
    randomised: int
    arms: Sequence[ArmFlow]


def total(reasons: Sequence[Reason]) -> int:
    return sum(reason.count for reason in reasons)


# --- Checks ---------------------------------------------------------------------------------------


def counts_named(flow: Flow) -> Iterator[tuple[str, int]]:
    yield "assessed for eligibility", flow.assessed
    yield "randomised", flow.randomised
    yield from ((f"excluded, “{reason.text}”", reason.count) for reason in flow.excluded)
    for arm in flow.arms:
        yield f"{arm.label}: allocated", arm.allocated
        yield f"{arm.label}: received", arm.received
        yield f"{arm.label}: analysed", arm.analysed
        reasons = [*arm.not_received, *arm.excluded_from_analysis]
        reasons += [reason for wave in arm.follow_ups for reason in (*wave.lost, *wave.discontinued)]
        yield from ((f"{arm.label}: “{reason.text}”", reason.count) for reason in reasons)


def problems(flow: Flow) -> list[str]:
    """Every way the figures fail to add up, in plain words; empty when the flow can be drawn."""
    found = [
        f"No count can be below zero: {name} is {count}." for name, count in counts_named(flow) if count < 0
    ]
    if len(flow.arms) < 2:
        found.append(f"A trial has at least two arms; this flow has {len(flow.arms)}.")
    excluded = total(flow.excluded)
    if excluded + flow.randomised != flow.assessed:
        found.append(
            f"Assessed for eligibility is {flow.assessed}, but excluded ({excluded}) and randomised "
            f"({flow.randomised}) add up to {excluded + flow.randomised}."
        )
    allocated = sum(arm.allocated for arm in flow.arms)
    if flow.arms and allocated != flow.randomised:
        each = ", ".join(f"{arm.label} {arm.allocated}" for arm in flow.arms)
        found.append(
            f"Randomised is {flow.randomised}, but the arms' allocations add up to {allocated} ({each})."
        )
    for arm in flow.arms:
        found += arm_problems(arm)
    waves = {tuple(wave.wave for wave in arm.follow_ups) for arm in flow.arms}
    if len(waves) > 1:
        each = "; ".join(
            f"{arm.label}: {', '.join(w.wave for w in arm.follow_ups) or 'none'}" for arm in flow.arms
        )
        found.append(f"Every arm needs the same follow-up waves in the same order ({each}).")
    return found


def arm_problems(arm: ArmFlow) -> list[str]:
    found = []
    not_received, not_analysed = total(arm.not_received), total(arm.excluded_from_analysis)
    if arm.received + not_received != arm.allocated:
        found.append(
            f"{arm.label}: allocated is {arm.allocated}, but received ({arm.received}) and did not "
            f"receive ({not_received}) add up to {arm.received + not_received}."
        )
    if arm.analysed + not_analysed != arm.allocated:
        found.append(
            f"{arm.label}: allocated is {arm.allocated}, but analysed ({arm.analysed}) and excluded "
            f"from analysis ({not_analysed}) add up to {arm.analysed + not_analysed}."
        )
    for wave in arm.follow_ups:
        if total(wave.lost) > arm.allocated:
            found.append(
                f"{arm.label}, {wave.wave}: lost to follow-up ({total(wave.lost)}) is more than "
                f"were allocated ({arm.allocated})."
            )
        if total(wave.discontinued) > arm.received:
            found.append(
                f"{arm.label}, {wave.wave}: discontinued ({total(wave.discontinued)}) is more than "
                f"received the intervention ({arm.received})."
            )
    return found


# --- Figures as shown -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A count as printed, with the reasons that add up to it (each text with its count)."""

    count: str
    reasons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ShownFollowUp:
    wave: str
    lost: Shown
    discontinued: Shown


@dataclass(frozen=True)
class ShownArm:
    label: str
    allocated: Shown
    received: Shown
    not_received: Shown
    follow_ups: tuple[ShownFollowUp, ...]
    analysed: Shown
    excluded_from_analysis: Shown


@dataclass(frozen=True)
class ShownFlow:
    assessed: Shown
    excluded: Shown
    randomised: Shown
    arms: tuple[ShownArm, ...]


Key = tuple[str | int, ...]


@dataclass
class Ledger:
    """Every count of a flow under a key naming its place, and the sums that bind them."""

    counts: dict[Key, int] = field(default_factory=dict)
    sums: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)

    def count(self, key: Key, value: int) -> Key:
        self.counts[key] = value
        return key

    def adds_up(self, whole: Key, *parts: Key) -> None:
        self.sums.append((whole, parts))

    def breakdown(self, key: Key, reasons: Sequence[Reason]) -> Key:
        parts = [self.count((*key, i), reason.count) for i, reason in enumerate(reasons)]
        self.adds_up(self.count(key, total(reasons)), *parts)
        return key


def ledger(flow: Flow) -> Ledger:
    book = Ledger()
    excluded, randomised = book.breakdown(("excluded",), flow.excluded), ("randomised",)
    book.adds_up(book.count(("assessed",), flow.assessed), excluded, book.count(randomised, flow.randomised))
    book.adds_up(
        randomised, *(book.count((a, "allocated"), arm.allocated) for a, arm in enumerate(flow.arms))
    )
    for a, arm in enumerate(flow.arms):
        received = book.count((a, "received"), arm.received)
        book.adds_up((a, "allocated"), received, book.breakdown((a, "not received"), arm.not_received))
        for w, wave in enumerate(arm.follow_ups):
            book.breakdown((a, w, "lost"), wave.lost)
            book.breakdown((a, w, "discontinued"), wave.discontinued)
        analysed = book.count((a, "analysed"), arm.analysed)
        book.adds_up((a, "allocated"), analysed, book.breakdown((a, "excluded"), arm.excluded_from_analysis))
    return book


def shown_as(flow: Flow, words: Mapping[Key, str]) -> ShownFlow:
    def shown(key: Key, reasons: Sequence[Reason] = ()) -> Shown:
        return Shown(words[key], tuple((reason.text, words[(*key, i)]) for i, reason in enumerate(reasons)))

    def follow_up(a: int, w: int, wave: FollowUp) -> ShownFollowUp:
        return ShownFollowUp(
            wave.wave, shown((a, w, "lost"), wave.lost), shown((a, w, "discontinued"), wave.discontinued)
        )

    arms = tuple(
        ShownArm(
            label=arm.label,
            allocated=shown((a, "allocated")),
            received=shown((a, "received")),
            not_received=shown((a, "not received"), arm.not_received),
            follow_ups=tuple(follow_up(a, w, wave) for w, wave in enumerate(arm.follow_ups)),
            analysed=shown((a, "analysed")),
            excluded_from_analysis=shown((a, "excluded"), arm.excluded_from_analysis),
        )
        for a, arm in enumerate(flow.arms)
    )
    return ShownFlow(shown(("assessed",)), shown(("excluded",), flow.excluded), shown(("randomised",)), arms)


def hide_small(flow: Flow) -> ShownFlow:
    """The flow for audiences beyond the evaluation team: counts of 1 to 4 read "fewer than 5",
    and other counts read "5 or more" where needed so that no hidden count can be worked out from
    a total and its parts, anywhere in the flow (trials/hiding.py)."""
    book = ledger(flow)
    keys = list(book.counts)
    cell = {key: i for i, key in enumerate(keys)}
    sums = [(cell[whole], [cell[part] for part in parts]) for whole, parts in book.sums]
    hidden = protect([book.counts[key] for key in keys], sums)
    return shown_as(flow, {key: as_shown(book.counts[key], hidden=cell[key] in hidden) for key in keys})


def as_shown(count: int, *, hidden: bool) -> str:
    return Cell("", count, hidden).shown if hidden else f"{count:,}"


def all_shown(flow: Flow) -> ShownFlow:
    return shown_as(flow, {key: as_shown(count, hidden=False) for key, count in ledger(flow).counts.items()})


# --- Boxes, table and diagram ---------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    words: str
    count: str
    reason: bool = False  # one of the reasons for the line above it
    strong: bool = False


Box = tuple[Line, ...]


@dataclass(frozen=True)
class Stage:
    name: str
    boxes: tuple[Box, ...]  # Enrolment: assessed, excluded, randomised; after it: one per arm


@dataclass(frozen=True)
class ConsortRow:
    stage: str
    arm: str
    label: str
    count: str
    reason: bool  # a reason for the row above it (indent it)


def with_reasons(words: str, shown: Shown, *, strong: bool = False) -> list[Line]:
    return [Line(words, shown.count, strong=strong)] + [Line(t, c, reason=True) for t, c in shown.reasons]


def stages(flow: ShownFlow) -> list[Stage]:
    enrolment = (
        (Line("Assessed for eligibility", flow.assessed.count, strong=True),),
        tuple(with_reasons("Excluded", flow.excluded, strong=True)),
        (Line("Randomised", flow.randomised.count, strong=True),),
    )
    allocation = tuple(
        (
            Line(f"Allocated to {arm.label}", arm.allocated.count, strong=True),
            Line("Received allocated intervention", arm.received.count),
            *with_reasons("Did not receive allocated intervention", arm.not_received),
        )
        for arm in flow.arms
    )
    follow_ups = [
        Stage(
            f"Follow-up: {wave.wave}",
            tuple(
                (
                    *with_reasons("Lost to follow-up", arm.follow_ups[w].lost),
                    *with_reasons("Discontinued intervention", arm.follow_ups[w].discontinued),
                )
                for arm in flow.arms
            ),
        )
        for w, wave in enumerate(flow.arms[0].follow_ups if flow.arms else ())
    ]
    analysis = tuple(
        (
            Line("Analysed", arm.analysed.count, strong=True),
            *with_reasons("Excluded from analysis", arm.excluded_from_analysis),
        )
        for arm in flow.arms
    )
    return [
        Stage("Enrolment", enrolment),
        Stage("Allocation", allocation),
        *follow_ups,
        Stage("Analysis", analysis),
    ]


def drawable(flow: Flow, *, hidden: bool) -> ShownFlow:
    found = problems(flow)
    if found:
        raise ValueError("The CONSORT figures do not add up: " + " ".join(found))
    return hide_small(flow) if hidden else all_shown(flow)


def consort_rows(flow: Flow, *, hidden: bool) -> list[ConsortRow]:
    """The diagram's figures as a table, one row per figure, in the diagram's order (raises
    ValueError when `problems(flow)` is not empty)."""
    shown = drawable(flow, hidden=hidden)
    labels = [arm.label for arm in shown.arms]
    return [
        ConsortRow(
            stage.name, "" if stage.name == "Enrolment" else labels[i], line.words, line.count, line.reason
        )
        for stage in stages(shown)
        for i, box in enumerate(stage.boxes)
        for line in box
    ]


# The diagram: stage headings as bars across, arms as columns, arrows running under the bars.
# Up to three arms it is drawn at the 400-unit width of every chart, so its 14-unit words stay
# readable on a phone; with more, columns keep at least NARROWEST units and the whole drawing is
# scaled down to fit (the table beside it reads at any width).
PAD, ROW, INDENT = 8.0, 18.0, 14.0
BAR, GAP, COLUMN_GAP = 26.0, 14.0, 10.0
NARROWEST = 124.0


def rows_of(line: Line, width: float) -> list[str]:
    """The line's words wrapped to the box, its count kept whole on the last row when it fits."""
    room = width - 2 * PAD - (INDENT if line.reason else 0)
    words, count = wrap(line.words, room), f"(n = {line.count})"
    if len(wrap(f"{words[-1]} {count}", room)) == 1:
        return [*words[:-1], f"{words[-1]} {count}".strip()]
    return [*words, *wrap(count, room)]


def box_height(box: Box, width: float) -> float:
    return 2 * PAD + ROW * sum(len(rows_of(line, width)) for line in box)


def draw_box(x: float, y: float, width: float, height: float, box: Box) -> str:
    edge = rect(
        x + 0.75, y + 0.75, width - 1.5, height - 1.5, fill=PAPER, stroke=INK, **{"stroke-width": "1.5"}
    )
    parts = [edge]
    baseline = y + PAD + 13
    for line in box:
        left = x + PAD + (INDENT if line.reason else 0)
        if line.reason:
            parts.append(text(left - 10, baseline, "•"))
        for words in rows_of(line, width):
            parts.append(text(left, baseline, words, **({"font-weight": "600"} if line.strong else {})))
            baseline += ROW
    return element("g", {"class": "consort-box"}, *parts)


def arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    """A line with its head at (x2, y2), pointing down or right."""
    ends = {"x1": f"{x1:g}", "y1": f"{y1:g}", "x2": f"{x2:g}", "y2": f"{y2:g}"}
    if x1 == x2:
        head = f"{x2 - 5:g},{y2 - 8:g} {x2 + 5:g},{y2 - 8:g} {x2:g},{y2:g}"
    else:
        head = f"{x2 - 8:g},{y2 - 5:g} {x2 - 8:g},{y2 + 5:g} {x2:g},{y2:g}"
    return element(
        "g", {}, element("line", ends | {"stroke": INK}), element("polygon", {"points": head, "fill": INK})
    )


def heading_bar(y: float, width: float, name: str) -> str:
    bar = rect(0, y, width, BAR, fill=ATTENDED_FILL)
    return element("g", {}, bar, text(8, y + 18, shorten(name), fill=PAPER, **{"font-weight": "600"}))


@dataclass
class Drawing:
    width: float
    lines: list[str] = field(default_factory=list)  # drawn first, so bars and boxes cover them
    bars: list[str] = field(default_factory=list)
    boxes: list[str] = field(default_factory=list)

    def body(self) -> list[str]:
        return [element("g", {}, *self.lines), element("g", {}, *self.bars), element("g", {}, *self.boxes)]


def draw_enrolment(drawing: Drawing, stage: Stage) -> tuple[float, float]:
    """Assessed, then excluded to the right of the line down, then randomised: (spine x, bottom)."""
    assessed, excluded, randomised = stage.boxes
    half = (drawing.width - 2 * COLUMN_GAP) / 2
    spine = half / 2
    drawing.bars.append(heading_bar(0, drawing.width, stage.name))
    top = BAR + GAP
    tall = box_height(assessed, half)
    drawing.boxes.append(draw_box(0, top, half, tall, assessed))
    aside = top + tall + GAP
    tall_aside = box_height(excluded, half)
    drawing.boxes.append(draw_box(drawing.width - half, aside, half, tall_aside, excluded))
    drawing.lines.append(arrow(spine, aside + PAD + 9, drawing.width - half, aside + PAD + 9))
    below = aside + tall_aside + GAP
    drawing.lines.append(arrow(spine, top + tall, spine, below))
    tall = box_height(randomised, half)
    drawing.boxes.append(draw_box(0, below, half, tall, randomised))
    return spine, below + tall


def draw_arms(drawing: Drawing, stages_after: Sequence[Stage], spine: float, bottom: float) -> float:
    """One column per arm, each stage's boxes as tall as its tallest; returns the bottom."""
    count = len(stages_after[0].boxes)
    width = (drawing.width - COLUMN_GAP * (count - 1)) / count
    lefts = [i * (width + COLUMN_GAP) for i in range(count)]
    centres = [left + width / 2 for left in lefts]
    branch = bottom + GAP / 2
    ends = {"x1": f"{min(spine, *centres):g}", "x2": f"{max(spine, *centres):g}", "y1": f"{branch:g}"}
    drawing.lines += [
        arrow(spine, bottom, spine, branch),
        element("line", ends | {"y2": f"{branch:g}", "stroke": INK}),
    ]
    start = branch
    for stage in stages_after:
        drawing.bars.append(heading_bar(bottom + GAP, drawing.width, stage.name))
        top = bottom + 2 * GAP + BAR
        tall = max(box_height(box, width) for box in stage.boxes)
        for left, centre, box in zip(lefts, centres, stage.boxes, strict=True):
            drawing.lines.append(arrow(centre, start, centre, top))
            drawing.boxes.append(draw_box(left, top, width, tall, box))
        bottom = start = top + tall
    return bottom


def describe(flow: ShownFlow) -> str:
    arms = "; ".join(
        f"{arm.label}: {arm.allocated.count} allocated, {arm.analysed.count} analysed" for arm in flow.arms
    )
    return (
        f"CONSORT flow diagram. {flow.assessed.count} assessed for eligibility, {flow.excluded.count} "
        f"excluded, {flow.randomised.count} randomised. {arms}. The table gives every figure."
    )


def consort_svg(flow: Flow, *, hidden: bool, chart_id: str = "consort") -> SafeString:
    """The CONSORT 2010 flow diagram, one column per arm (raises ValueError when `problems(flow)`
    is not empty). `hidden` hides small counts as `hide_small` does, for wider audiences."""
    shown = drawable(flow, hidden=hidden)
    enrolment, *later = stages(shown)
    drawing = Drawing(max(WIDTH, len(shown.arms) * (NARROWEST + COLUMN_GAP) - COLUMN_GAP))
    spine, bottom = draw_enrolment(drawing, enrolment)
    bottom = draw_arms(drawing, later, spine, bottom) + 2
    scale = WIDTH / drawing.width
    body = drawing.body()
    if scale < 1:
        body = [element("g", {"transform": f"scale({scale:.6g})"}, *body)]
    return svg(chart_id, bottom * scale, "CONSORT flow diagram", describe(shown), *body)
