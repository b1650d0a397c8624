"""Money charts as server-side SVG, drawn with lib/charts.py. Pure: no ORM.

Each bar is labelled with its amount, so the chart reads without colour; the page also gives the
same figures as a table.
"""

from collections.abc import Sequence

from django.utils.safestring import SafeString

from carecommons.lib.charts import ATTENDED_FILL, GRID, INK, MUTED, WIDTH, rect, shorten, svg
from carecommons.lib.money import format_pence
from carecommons.lib.svg import element, text, title

ROW = 46.0
TOP = 6.0
RIGHT = WIDTH - 110.0  # room for the amount after the longest bar


def amount_bars(chart_id: str, heading: str, rows: Sequence[tuple[str, int]]) -> SafeString:
    """One horizontal bar per (label, pence), scaled to the largest; label above, amount after."""
    largest = max((pence for _, pence in rows), default=0)
    bottom = TOP + ROW * max(len(rows), 1)
    body = [element("line", {"x1": "0", "x2": "0", "y1": f"{TOP:g}", "y2": f"{bottom:g}", "stroke": INK})]
    for index, (label, pence) in enumerate(rows):
        top = TOP + index * ROW
        width = RIGHT * pence / largest if largest > 0 and pence > 0 else 0.0
        parts = [title(f"{label}: {format_pence(pence)}"), text(6, top + 15, shorten(label))]
        if width > 0:
            parts.append(rect(0, top + 21, max(width, 2.0), 16, fill=ATTENDED_FILL))
        parts.append(text(max(width, 2.0) + 6, top + 34, format_pence(pence), fill=INK))
        body.append(element("g", {}, *parts))
    if not rows:
        body.append(text(6, TOP + 24, "Nothing to show yet.", fill=MUTED))
    body.append(
        element(
            "line", {"x1": "0", "x2": f"{WIDTH:g}", "y1": f"{bottom:g}", "y2": f"{bottom:g}", "stroke": GRID}
        )
    )
    desc = (
        "; ".join(f"{label}: {format_pence(pence)}" for label, pence in rows) + "."
        if rows
        else "Nothing yet."
    )
    return svg(chart_id, bottom + 8, heading, desc, *body)
