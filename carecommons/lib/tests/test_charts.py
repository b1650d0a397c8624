"""The parts every chart is drawn with keep the chart rules: an image named by its title and
description, a 400-unit viewBox, colours as attributes, and every word escaped."""

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from carecommons.lib.charts import LABEL_CHARS, WIDTH, percent, rect, shorten, svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


def test_a_chart_is_an_image_named_by_its_title_and_description() -> None:
    root = parse(svg("spend", 120.5, "Spending", "Most went on food."))
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert root.get("viewBox") == f"0 0 {WIDTH} 120.5"
    assert root.get("aria-labelledby") == "spend-title spend-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "spend-title" and title.text == "Spending"
    assert desc is not None and desc.get("id") == "spend-desc" and desc.text == "Most went on food."
    assert "style" not in root.attrib and root.get("fill")


def test_a_heading_or_description_with_markup_is_escaped() -> None:
    markup = str(svg("c", 10, "<script>x</script>", '"/><a href="x">'))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert '<a href="x">' not in markup


def test_bars_are_placed_to_a_tenth_of_a_unit_and_painted_by_attributes() -> None:
    bar = parse(rect(1.26, 2, 30.04, 18, fill="#0b5c4a", stroke="#4a5260"))
    assert bar.attrib == {
        "x": "1.3",
        "y": "2.0",
        "width": "30.0",
        "height": "18.0",
        "fill": "#0b5c4a",
        "stroke": "#4a5260",
    }


def test_a_rate_is_a_whole_percentage_and_an_unknown_rate_a_dash() -> None:
    assert percent(0.694) == "69%"
    assert percent(1) == "100%"
    assert percent(None) == "–"


@given(st.text(max_size=120))
def test_a_label_is_kept_whole_when_short_and_cut_with_an_ellipsis_when_long(label: str) -> None:
    short = shorten(label)
    assert len(short) <= LABEL_CHARS
    if len(label) <= LABEL_CHARS:
        assert short == label
    else:
        assert short.endswith("…") and label.startswith(short[:-1])


def test_each_marker_shape_is_drawn_differently_and_a_ring_is_hollow() -> None:
    from carecommons.lib.charts import PAPER, marker

    drawn = {
        shape: marker(shape, 10, 20, "#123456")
        for shape in ("circle", "square", "triangle", "diamond", "ring")
    }
    assert len(set(drawn.values())) == 5
    assert drawn["square"].startswith("<rect") and drawn["triangle"].startswith("<polygon")
    assert f'fill="{PAPER}"' in drawn["ring"] and 'stroke="#123456"' in drawn["ring"]
    assert 'r="6"' in marker("circle", 10, 20, "#123456", size=6)
