import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from carecommons.dashboards import charts
from carecommons.dashboards.figures import Funnel, Marks, RetentionPoint, SessionFigure

SVG = "{http://www.w3.org/2000/svg}"

rows = [
    SessionFigure("1. Welcome <and> “hello”", 3, Marks(10, 2, 1)),
    SessionFigure("2. The three flows", 3, Marks(8, 3, 2)),
    SessionFigure("3. Not yet", 0, Marks()),
]
points = [
    RetentionPoint(1, "Welcome", 9, 10),
    RetentionPoint(2, "Flows", 6, 10),
    RetentionPoint(3, "End", 0, 0),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def all_charts() -> list[str]:
    return [
        charts.attendance_chart("att", rows, Marks(18, 5, 3), 6),
        charts.retention_chart("ret", points),
        charts.funnel_chart("fun", Funnel(40, 30, 25, 20)),
    ]


def test_each_chart_is_an_image_named_by_its_title_and_description() -> None:
    for svg in all_charts():
        root = parse(svg)
        assert root.get("role") == "img" and root.get("width") == "100%"
        assert root.get("viewBox", "").startswith("0 0 400 ")
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_charts_use_no_style_attributes_or_scripts() -> None:
    for svg in all_charts():
        for node in parse(svg).iter():
            assert "style" not in node.attrib
            assert not node.tag.endswith(("script", "style", "foreignObject"))
            assert not any(name.startswith("on") for name in node.attrib)


def test_labels_are_escaped() -> None:
    svg = charts.attendance_chart("att", rows, Marks(18, 5, 3), 6)
    assert "<and>" not in svg and "&lt;and&gt;" in svg


def test_series_differ_by_pattern_not_only_colour() -> None:
    fills = {node.get("fill") for node in parse(all_charts()[0]).iter(f"{SVG}rect")}
    assert {"#0b5c4a", "url(#att-hatch)", "url(#att-dots)"} <= fills


def test_summaries_say_what_the_charts_show() -> None:
    assert charts.funnel_summary(Funnel(40, 30, 25, 20)) == (
        "40 applied, 30 were accepted, 25 started and 20 finished (80% of those who started)."
    )
    assert charts.retention_summary(points).startswith("90% of accepted places attended step 1, and 60%")
    assert "69% of 26 register marks" in charts.attendance_summary(rows, Marks(18, 5, 3), 6)
    assert charts.attendance_summary([], Marks(), 0) == "No sessions have been held yet."


def fits(root: ET.Element) -> bool:
    """Every bar starts inside the 400-unit viewBox and ends inside it."""
    spans = [(float(n.get("x", 0)), float(n.get("width", 0))) for n in root.iter(f"{SVG}rect") if n.get("x")]
    return all(x >= 0 and x + width <= 400.5 for x, width in spans)


@given(
    st.lists(
        st.tuples(st.text(max_size=80), st.integers(0, 500), st.integers(0, 500), st.integers(0, 500)),
        max_size=12,
    )
)
def test_any_figures_draw_well_formed_svg_within_the_viewbox(data: list) -> None:
    figures = [SessionFigure(label, 1, Marks(a, p, x)) for label, a, p, x in data]
    assert fits(parse(charts.attendance_chart("a", figures, Marks(), len(figures))))


@given(st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 1000))
def test_funnel_bars_fit_the_chart(a: int, b: int, c: int, d: int) -> None:
    applied, accepted, started, finished = sorted((a, b, c, d), reverse=True)
    assert fits(parse(charts.funnel_chart("f", Funnel(applied, accepted, started, finished))))
