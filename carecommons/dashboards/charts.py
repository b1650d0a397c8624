"""The programme dashboard's charts (attendance, retention, sign-up funnel) and their text summaries.
Pure: no ORM, no JavaScript. Drawn with lib/charts.py, which holds the rules every chart keeps.
"""

from collections.abc import Sequence

from django.utils.safestring import SafeString

from carecommons.dashboards.figures import Funnel, Marks, RetentionPoint, SessionFigure
from carecommons.lib.charts import ATTENDED_FILL, GRID, INK, MUTED, PAPER, WIDTH, percent, rect, shorten, svg
from carecommons.lib.svg import element, text, title

APOLOGIES_INK = "#8a4b00"  # 6.8:1 on white
ROW = 52


def patterns(chart_id: str) -> str:
    """Apologies are hatched, absences dotted, attendance solid: told apart without colour."""
    hatch = element(
        "pattern",
        {
            "id": f"{chart_id}-hatch",
            "width": "6",
            "height": "6",
            "patternUnits": "userSpaceOnUse",
            "patternTransform": "rotate(45)",
        },
        element("rect", {"width": "6", "height": "6", "fill": PAPER}),
        element(
            "line", {"x1": "0", "y1": "0", "x2": "0", "y2": "6", "stroke": APOLOGIES_INK, "stroke-width": "3"}
        ),
    )
    dots = element(
        "pattern",
        {"id": f"{chart_id}-dots", "width": "6", "height": "6", "patternUnits": "userSpaceOnUse"},
        element("rect", {"width": "6", "height": "6", "fill": PAPER}),
        element("circle", {"cx": "3", "cy": "3", "r": "1.5", "fill": MUTED}),
    )
    return element("defs", {}, hatch, dots)


def series(chart_id: str) -> list[tuple[str, str, dict[str, object]]]:
    """(name, attribute of Marks, how its shapes are painted)."""
    return [
        ("Attended", "attended", {"fill": ATTENDED_FILL}),
        ("Sent apologies", "apologies", {"fill": f"url(#{chart_id}-hatch)", "stroke": APOLOGIES_INK}),
        ("Absent", "absent", {"fill": f"url(#{chart_id}-dots)", "stroke": MUTED}),
    ]


def legend(chart_id: str) -> str:
    items, x = [], 0.0
    for name, _, paint in series(chart_id):
        items.append(element("rect", {"x": f"{x:g}", "y": "4", "width": "16", "height": "16", **paint}))
        items.append(text(x + 22, 17, name))
        x += 30 + 8 * len(name)
    return element("g", {}, *items)


def attendance_summary(rows: Sequence[SessionFigure], marks: Marks, sessions_held: int) -> str:
    if not sessions_held:
        return "No sessions have been held yet."
    held = f"{sessions_held:,} session{'s' if sessions_held != 1 else ''} held"
    if not marks.total:
        return f"{held}, but no registers have been taken."
    words = f"Across {held}, {percent(marks.rate)} of {marks.total:,} register marks were “attended”."
    rated = [row for row in rows if row.marks.rate is not None]
    if len(rated) > 1:
        best = max(rated, key=lambda row: row.marks.rate or 0)
        worst = min(rated, key=lambda row: row.marks.rate or 0)
        words += f" Highest: {best.label} ({percent(best.marks.rate)});"
        words += f" lowest: {worst.label} ({percent(worst.marks.rate)})."
    return words


def attendance_chart(
    chart_id: str, rows: Sequence[SessionFigure], marks: Marks, sessions_held: int
) -> SafeString:
    """One 100%-stacked bar per session (or curriculum step): attended, apologies, absent."""
    bar_width = WIDTH - 56
    body = [patterns(chart_id), legend(chart_id)]
    for i, row in enumerate(rows):
        top, total = 36 + i * ROW, row.marks.total
        group = [
            title(f"{row.label}: {describe_marks(row.marks)}"),
            text(0, top + 14, shorten(row.label)),
        ]
        if not total:
            group.append(rect(0.5, top + 20, bar_width - 1, 18, fill=PAPER, stroke=MUTED))
            group.append(text(8, top + 34, "no marks", fill=MUTED))
        x = 0.0
        for _, attribute, paint in series(chart_id) if total else []:
            width = bar_width * getattr(row.marks, attribute) / total
            if width > 0:  # a white gap of 1.5 units parts neighbouring segments
                group.append(rect(x, top + 20, max(width - 1.5, 0.5), 18, **paint))
            x += width
        group.append(text(WIDTH, top + 34, percent(row.marks.rate), **{"text-anchor": "end"}))
        body.append(element("g", {}, *group))
    height = 36 + max(len(rows), 1) * ROW
    heading = "Attendance per session"
    return svg(chart_id, height, heading, attendance_summary(rows, marks, sessions_held), *body)


def describe_marks(marks: Marks) -> str:
    if not marks.total:
        return "no register marks"
    return (
        f"{marks.attended:,} attended, {marks.apologies:,} sent apologies, {marks.absent:,} absent "
        f"({percent(marks.rate)} attended)"
    )


def retention_summary(points: Sequence[RetentionPoint]) -> str:
    known = [point for point in points if point.rate is not None]
    if not known:
        return "No curriculum step has been held yet."
    first, last = known[0], known[-1]
    if first is last:
        return f"{percent(first.rate)} of accepted places attended step {first.position}."
    return (
        f"{percent(first.rate)} of accepted places attended step {first.position}, and "
        f"{percent(last.rate)} attended step {last.position}"
        " (counting only cohorts that have held each step)."
    )


def retention_chart(chart_id: str, points: Sequence[RetentionPoint]) -> SafeString:
    """A step line: the share of accepted places that attended each curriculum step, 0–100%."""
    left, right, top, bottom = 48.0, WIDTH - 8.0, 24.0, 204.0
    body = []
    for share in (0, 0.25, 0.5, 0.75, 1):
        y = bottom - share * (bottom - top)
        size = {"x1": f"{left:g}", "x2": f"{right:g}", "y1": f"{y:g}", "y2": f"{y:g}"}
        body.append(element("line", size | {"stroke": GRID if share else INK}))
        body.append(text(left - 6, y + 5, f"{share:.0%}", **{"text-anchor": "end"}))
    step = (right - left) / max(len(points), 1)
    path: list[str] = []
    joined = False
    for i, point in enumerate(points):
        x0, x1 = left + i * step, left + (i + 1) * step
        middle = (x0 + x1) / 2
        body.append(text(middle, bottom + 20, str(point.position), **{"text-anchor": "middle"}))
        if point.rate is None:  # no cohort has held this step yet: a gap in the line
            body.append(text(middle, bottom - 8, "–", **{"text-anchor": "middle", "fill": MUTED}))
            joined = False
            continue
        y = bottom - point.rate * (bottom - top)
        path.append(f"V{y:.1f} H{x1:.1f}" if joined else f"M{x0:.1f},{y:.1f} H{x1:.1f}")
        joined = True
        body.append(
            element("circle", {"cx": f"{middle:.1f}", "cy": f"{y:.1f}", "r": "4", "fill": ATTENDED_FILL})
        )
        if len(points) <= 10:
            halo = {"stroke": PAPER, "stroke-width": "4", "paint-order": "stroke"}  # legible over the line
            body.append(text(middle, y - 8, percent(point.rate), **{"text-anchor": "middle", **halo}))
    if path:
        line = {"d": " ".join(path), "fill": "none", "stroke": ATTENDED_FILL, "stroke-width": "3"}
        body.insert(0, element("path", line))
    body.append(
        text((left + right) / 2, bottom + 42, "Curriculum step", **{"text-anchor": "middle", "fill": MUTED})
    )
    heading = "Retention across the curriculum"
    return svg(chart_id, bottom + 50, heading, retention_summary(points), *body)


def funnel_summary(funnel: Funnel) -> str:
    if not funnel.applied:
        return "Nobody has applied yet."
    words = (
        f"{funnel.applied:,} applied, {funnel.accepted:,} were accepted, {funnel.started:,} started "
        f"and {funnel.finished:,} finished"
    )
    if funnel.started:
        words += f" ({percent(funnel.finished / funnel.started)} of those who started)"
    return words + "."


def funnel_chart(chart_id: str, funnel: Funnel) -> SafeString:
    """Horizontal bars, centred, each as long as its share of those who applied."""
    body = []
    for i, (stage, count) in enumerate(funnel.stages()):
        top = i * ROW
        share = count / funnel.applied if funnel.applied else 0
        words = f"{stage}: {count:,}" + (f" ({share:.0%} of applied)" if i and funnel.applied else "")
        width = max(WIDTH * share, 2)
        bar = rect((WIDTH - width) / 2, top + 22, width, 20, fill=ATTENDED_FILL)
        body.append(element("g", {}, text(0, top + 16, words), bar))
    return svg(chart_id, 4 * ROW, "Sign-up funnel", funnel_summary(funnel), *body)
