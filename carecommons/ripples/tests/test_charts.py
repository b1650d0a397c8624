"""The ripple map, its nested list, the capitals chart and the timeline: accessible images whose
typed words are escaped, which hold the same ripples as the list, never rest on colour alone and
hide small counts when asked."""

import re
import xml.etree.ElementTree as ET
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from carecommons.lib.small_numbers import FEWER_THAN
from carecommons.ripples.charts import (
    CapitalCount,
    MonthCount,
    Ripple,
    RippleItem,
    capitals_chart_svg,
    capitals_rows,
    family,
    ripple_list,
    ripple_map_svg,
    timeline_rows,
    timeline_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
MARKUP = "<script>alert(1)</script> & co"
CAPITALS = {"social": "Social", "political": "Political <b>", "human": "Human"}
RIPPLES = [
    Ripple("a", None, "New friendships across the estate", date(2025, 3, 1), "positive", ("social",)),
    Ripple("b", "a", MARKUP, date(2025, 4, 2), "positive", ("social", "political"), ("Estate Tenants",)),
    Ripple("c", "b", "Council listened & funded a garden by the flats", None, "mixed", ("political",)),
    Ripple("d", None, "Volunteers burned out", date(2025, 5, 1), "negative", ("human",), intended=False),
    Ripple("e", "a", "Shared meals every Friday", None, "", ()),
]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


def drawn_ripples(root: ET.Element) -> list[str]:
    return [node.get("data-ripple", "") for node in root.iter() if node.get("data-ripple") is not None]


def listed(items: list[RippleItem]) -> list[str]:
    found: list[str] = []
    stack = list(reversed(items))
    while stack:
        item = stack.pop()
        found.append(item.id)
        stack.extend(reversed(item.children))
    return found


def test_the_map_is_an_image_named_by_its_title_and_description() -> None:
    root = parse(ripple_map_svg(RIPPLES, centre_label="Radical Caring"))
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 400 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Ripple map: Radical Caring"
    assert desc is not None and desc.text is not None
    assert "5 ripples spreading from Radical Caring, 3 levels deep" in desc.text
    assert "2 positive, 1 negative, 1 mixed" in desc.text


def test_words_typed_into_ripples_capitals_and_the_programme_are_escaped() -> None:
    markup = str(ripple_map_svg(RIPPLES, centre_label="Care <i>Lab</i>", capital_names=CAPITALS))
    assert "<script>" not in markup and "<b>" not in markup and "<i>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in markup
    titles = [node.text or "" for node in parse(markup).iter(f"{SVG}title")]
    assert any(words.startswith(MARKUP) and "Political <b>" in words for words in titles)


def test_no_chart_carries_a_style_attribute() -> None:
    charts = [
        ripple_map_svg(RIPPLES, centre_label="Radical Caring"),
        capitals_chart_svg([CapitalCount("Social", 3, 2, 1)]),
        timeline_svg([MonthCount(date(2025, 1, 1), 3, 2, 1)]),
    ]
    for chart in charts:
        assert all("style" not in node.attrib for node in parse(chart).iter())


def test_each_ripple_says_in_words_whether_it_was_positive_negative_or_mixed_and_has_its_own_shape() -> None:
    root = parse(ripple_map_svg(RIPPLES, centre_label="Radical Caring"))
    shapes, words = {}, {}
    for node in root.iter(f"{SVG}path"):
        if (key := node.get("data-ripple")) is not None:
            shapes[key] = re.sub(r"[-\d.,\s]", "", node.get("d", ""))  # the commands: the shape
            title = node.find(f"{SVG}title")
            words[key] = (title.text or "") if title is not None else ""
    assert "(positive;" in words["a"] and "(negative;" in words["d"] and "(mixed;" in words["c"]
    assert "not recorded" in words["e"] and "not intended" in words["d"]
    assert len({shapes["a"], shapes["d"], shapes["c"]}) == 3
    legend = [node.text for node in root.iter(f"{SVG}text")]
    assert {"positive", "negative", "mixed", "not recorded"} <= set(legend)


def test_a_long_ripple_is_shortened_on_the_map_and_whole_in_its_title() -> None:
    long_text = "The local council changed how it commissions community services " * 3
    ripples = [Ripple("x", None, long_text, None, "positive")]
    root = parse(ripple_map_svg(ripples, centre_label="Radical Caring"))
    labels = [
        node.text or "" for node in root.iter(f"{SVG}text") if (node.text or "").startswith("The local")
    ]
    assert labels and all(label.endswith("…") and len(label) < len(long_text) for label in labels)
    titles = [node.text or "" for node in root.iter(f"{SVG}title")]
    assert any(words.startswith(long_text.strip()) for words in titles)


def test_the_list_gives_each_ripple_with_its_date_words_capitals_and_children() -> None:
    items = ripple_list(RIPPLES, CAPITALS)
    assert [item.id for item in items] == ["a", "d"]
    friendships = items[0]
    assert [child.id for child in friendships.children] == ["b", "e"]
    tenants = friendships.children[0]
    assert tenants.text == MARKUP and tenants.happened_on == date(2025, 4, 2)
    assert tenants.valence_words == "positive" and tenants.capitals == ("Social", "Political <b>")
    assert tenants.links == ("Estate Tenants",) and [c.id for c in tenants.children] == ["c"]
    assert items[1].intent_words == "not intended"


trees = st.lists(
    st.tuples(
        st.integers(0, 40),
        st.one_of(st.none(), st.integers(0, 45)),
        st.sampled_from(["positive", "negative", "mixed", ""]),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(trees)
def test_the_map_and_the_list_hold_the_same_ripples_each_once_whatever_the_parents(
    rows: list[tuple[int, int | None, str]],
) -> None:
    """Parents may be unknown, repeated or form loops: every ripple still appears, once."""
    ripples = [
        Ripple(f"r{key}", None if parent is None else f"r{parent}", f"ripple {key} <&>", None, valence)
        for key, parent, valence in rows
    ]
    expected = {ripple.id for ripple in ripples}
    drawn = drawn_ripples(parse(ripple_map_svg(ripples, centre_label="P")))
    in_list = listed(ripple_list(ripples))
    assert sorted(drawn) == sorted(in_list) == sorted(expected)


def test_a_loop_of_parents_hangs_from_the_programme_where_it_is_found() -> None:
    loop = [Ripple("x", "z", "x", None, "positive"), Ripple("y", "x", "y", None, "positive"),
            Ripple("z", "y", "z", None, "positive")]  # fmt: skip
    tree = family(loop)
    assert [(ripple.id, depth) for ripple, depth in tree.order] == [("x", 1), ("y", 2), ("z", 3)]


def test_a_branch_thousands_deep_is_drawn_and_listed_without_recursion() -> None:
    chain = [Ripple(f"n{i}", f"n{i - 1}" if i else None, f"step {i}", None, "positive") for i in range(3000)]
    assert len(drawn_ripples(parse(ripple_map_svg(chain, centre_label="P")))) == 3000
    assert len(listed(ripple_list(chain))) == 3000


def test_an_empty_map_says_so() -> None:
    root = parse(ripple_map_svg([], centre_label="Radical Caring"))
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text == "No ripples from Radical Caring have been mapped yet."
    assert ripple_list([]) == []


# --- Capitals and timeline ------------------------------------------------------------------------

COUNTS = [
    CapitalCount("Social <b>", 12, 3, 2),
    CapitalCount("Human", 7, 1, 0),
    CapitalCount("Built", 2, 5, 6),
]


def bars(markup: str) -> list[dict[str, str]]:
    return [dict(node.attrib) for node in parse(markup).iter(f"{SVG}rect")]


def test_the_capitals_chart_puts_negative_left_of_the_line_and_positive_right_with_words() -> None:
    markup = capitals_chart_svg(COUNTS)
    root = parse(markup)
    assert "<b>" not in markup and root.get("role") == "img"
    solid = [bar for bar in bars(markup) if bar.get("fill") == "#0b5c4a" and float(bar["width"]) > 14]
    hatched = [
        bar for bar in bars(markup) if bar.get("fill", "").endswith("-hatch)") and float(bar["width"]) > 14
    ]
    assert all(float(bar["x"]) == 200 for bar in solid)
    assert all(abs(float(bar["x"]) + float(bar["width"]) - 200) < 0.11 for bar in hatched)
    words = [node.text for node in root.iter(f"{SVG}text")]
    assert "12 positive, 3 negative, 2 mixed" in words
    assert capitals_rows(COUNTS)[0] == ("Social <b>", "12", "3", "2")


def test_hidden_capitals_counts_of_one_to_four_are_neither_written_nor_drawn() -> None:
    hidden = capitals_chart_svg(COUNTS, hidden=True)
    zeroed = [
        CapitalCount(
            row.capital_name, *(0 if 0 < n < 5 else n for n in (row.positive, row.negative, row.mixed))
        )
        for row in COUNTS
    ]
    widths = [(bar.get("x"), bar.get("width"), bar.get("fill")) for bar in bars(hidden)]
    assert widths == [
        (bar.get("x"), bar.get("width"), bar.get("fill")) for bar in bars(capitals_chart_svg(zeroed))
    ]
    words = " ".join(node.text or "" for node in parse(hidden).iter())
    assert FEWER_THAN in words and not re.search(r"\b[1-4] (positive|negative|mixed)", words)
    assert capitals_rows(COUNTS, hidden=True)[0] == ("Social <b>", "12", FEWER_THAN, FEWER_THAN)
    assert capitals_rows(COUNTS, hidden=True)[2] == ("Built", FEWER_THAN, "5", "6")


MONTHS = [MonthCount(date(2025, 1, 15), 4, 1, 0), MonthCount(date(2025, 4, 1), 9, 2, 3)]


def test_the_timeline_fills_the_months_between_and_gives_the_same_figures_as_rows() -> None:
    assert timeline_rows(MONTHS) == [
        ("January 2025", "4", "1", "0"),
        ("February 2025", "0", "0", "0"),
        ("March 2025", "0", "0", "0"),
        ("April 2025", "9", "2", "3"),
    ]
    root = parse(timeline_svg(MONTHS))
    titles = [node.text for node in root.iter(f"{SVG}title")]
    assert (
        "April 2025: 9 positive, 2 negative, 3 mixed" in titles
        and "March 2025: 0 positive, 0 negative, 0 mixed" in titles
    )
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "In all: 13 positive, 3 negative, 3 mixed." in (desc.text or "")


def test_a_hidden_timeline_gives_no_totals_and_draws_no_small_count() -> None:
    hidden = timeline_svg(MONTHS, hidden=True)
    desc = parse(hidden).find(f"{SVG}desc")
    assert desc is not None and "In all" not in (desc.text or "") and FEWER_THAN in (desc.text or "")
    zeroed = [MonthCount(date(2025, 1, 1), 0, 0, 0), MonthCount(date(2025, 4, 1), 9, 0, 0)]
    assert bars(hidden) == bars(timeline_svg(zeroed))
    assert timeline_rows(MONTHS, hidden=True)[0] == ("January 2025", FEWER_THAN, FEWER_THAN, "0")


def test_an_empty_timeline_and_capitals_chart_say_so() -> None:
    for chart, words in ((timeline_svg([]), "No dated ripples yet."), (capitals_chart_svg([]), "No ripples")):
        desc = parse(chart).find(f"{SVG}desc")
        assert desc is not None and (desc.text or "").startswith(words)
