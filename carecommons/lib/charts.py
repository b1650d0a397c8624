"""What every server-side SVG chart shares: its size, font, colours, root element and bars. Pure.

Strict CSP forbids style attributes, so every colour is a presentation attribute. Each chart is
role="img" with a <title> and a <desc> (the same words as the summary shown under it), is drawn in a
400-unit-wide viewBox at width 100% so its 14-unit text stays readable on a 360 px phone and at
200% zoom, and tells its series apart by pattern and label as well as colour. Every colour has at
least 3:1 contrast against the white background; each page also gives its charts as tables. Words
go in through lib/svg.py, which escapes them.
"""

from django.utils.safestring import SafeString

from carecommons.lib.svg import element, title

WIDTH = 400
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK, MUTED, GRID, PAPER = "#1b1f24", "#4a5260", "#c9ced6", "#ffffff"
ATTENDED_FILL = "#0b5c4a"  # the main fill, first drawn for attendance: 7.9:1 on white
LABEL_CHARS = 48


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def shorten(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def svg(chart_id: str, height: float, heading: str, desc: str, *body: str) -> SafeString:
    """The chart's root: heading and description escaped by lib.svg like every other word."""
    return element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height:g}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "focusable": "false",
            "class": "chart",
            "font-family": FONT,
            "font-size": "14",
            "fill": INK,
        },
        title(heading, id=f"{chart_id}-title"),
        element("desc", {"id": f"{chart_id}-desc"}, desc),
        *body,
    )


def rect(x: float, y: float, width: float, height: float, **paint: object) -> SafeString:
    size = {"x": f"{x:.1f}", "y": f"{y:.1f}", "width": f"{width:.1f}", "height": f"{height:.1f}"}
    return element("rect", size | paint)


def marker(shape: str, x: float, y: float, colour: str, size: float = 4.5) -> str:
    """A series' marker at (x, y), so series differ by shape as well as colour: "circle" (the
    default), "square", "triangle", "diamond" or "ring" (hollow); `size` is the circle's radius."""
    if shape == "square":
        edge = size * 1.8
        box = {"x": f"{x - edge / 2:.1f}", "y": f"{y - edge / 2:.1f}", "width": f"{edge:.1f}"}
        return element("rect", box | {"height": f"{edge:.1f}", "fill": colour})
    if shape == "triangle":
        points = (
            f"{x:.1f},{y - size - 1:.1f} {x + size + 1:.1f},{y + size:.1f} {x - size - 1:.1f},{y + size:.1f}"
        )
        return element("polygon", {"points": points, "fill": colour})
    if shape == "diamond":
        reach = size * 1.4
        points = (
            f"{x:.1f},{y - reach:.1f} {x + reach:.1f},{y:.1f} {x:.1f},{y + reach:.1f} {x - reach:.1f},{y:.1f}"
        )
        return element("polygon", {"points": points, "fill": colour})
    centre = {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": f"{size:g}"}
    if shape == "ring":
        return element("circle", centre | {"fill": PAPER, "stroke": colour, "stroke-width": "2.5"})
    return element("circle", centre | {"fill": colour})
