"""The capitals chart and the timeline: accessible images whose typed words are escaped, which give
the same figures as their tables, never rest on colour alone and hide small counts when asked."""

import re
import xml.etree.ElementTree as ET
from datetime import date

from carecommons.lib.small_numbers import FEWER_THAN
from carecommons.ripples.capitals import Valence
from carecommons.ripples.count_charts import (
    CapitalCount,
    capital_counts,
    capitals_chart_svg,
    capitals_rows,
    timeline_rows,
    timeline_svg,
)
from carecommons.ripples.rounds import Month, Timeline, timeline
from carecommons.ripples.tree import RippleNode

SVG = "{http://www.w3.org/2000/svg}"
POSITIVE, NEGATIVE, MIXED = Valence


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


def counted(positive: int, negative: int, mixed: int) -> dict[Valence, int]:
    return {POSITIVE: positive, NEGATIVE: negative, MIXED: mixed}


def bars(markup: str) -> list[dict[str, str]]:
    return [dict(node.attrib) for node in parse(markup).iter(f"{SVG}rect")]


def ripples_in(day: date | None, positive: int, negative: int, mixed: int) -> list[RippleNode]:
    valences = [POSITIVE] * positive + [NEGATIVE] * negative + [MIXED] * mixed
    return [RippleNode(0, None, "r", day, valence) for valence in valences]


COUNTS = [
    CapitalCount("Social <b>", counted(12, 3, 2)),
    CapitalCount("Human", counted(7, 1, 0)),
    CapitalCount("Built", counted(2, 5, 6)),
]


def test_no_count_chart_carries_a_style_attribute() -> None:
    charts = [
        capitals_chart_svg([CapitalCount("Social", counted(3, 2, 1))]),
        timeline_svg(timeline(ripples_in(date(2025, 1, 1), 3, 2, 1))),
    ]
    for chart in charts:
        assert all("style" not in node.attrib for node in parse(chart).iter())


def test_capital_counts_tally_each_capital_a_ripple_is_coded_with_in_the_capitals_order() -> None:
    ripples = [
        RippleNode(1, None, "a", None, POSITIVE, frozenset({"social", "human"})),
        RippleNode(2, None, "b", None, NEGATIVE, frozenset({"human"})),
        RippleNode(3, None, "c", None, MIXED),
    ]
    assert capital_counts(ripples) == [
        CapitalCount("Human", counted(1, 1, 0)),
        CapitalCount("Social", counted(1, 0, 0)),
    ]


def test_the_capitals_chart_puts_negative_left_of_the_line_and_positive_right_with_words() -> None:
    markup = capitals_chart_svg(COUNTS)
    root = parse(markup)
    assert "<b>" not in markup and root.get("role") == "img"
    solid = [bar for bar in bars(markup) if bar.get("fill") == "#0b5c4a" and float(bar["width"]) > 14]
    hatched = [
        bar for bar in bars(markup) if bar.get("fill", "").endswith("-hatch)") and float(bar["width"]) > 14
    ]
    assert solid and hatched
    assert all(float(bar["x"]) == 200 for bar in solid)
    assert all(abs(float(bar["x"]) + float(bar["width"]) - 200) < 0.11 for bar in hatched)
    words = [node.text for node in root.iter(f"{SVG}text")]
    assert "12 positive, 3 negative, 2 mixed" in words
    assert capitals_rows(COUNTS)[0] == ("Social <b>", "12", "3", "2")


def test_hidden_capitals_counts_of_one_to_four_are_neither_written_nor_drawn() -> None:
    hidden = capitals_chart_svg(COUNTS, hidden=True)
    zeroed = [
        CapitalCount(row.capital_name, {v: 0 if 0 < n < 5 else n for v, n in row.counts.items()})
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


MONTHS = timeline(
    ripples_in(date(2025, 1, 15), 4, 1, 0) + ripples_in(date(2025, 4, 1), 9, 2, 3) + ripples_in(None, 2, 0, 0)
)


def test_the_timeline_gives_every_month_and_the_same_figures_as_rows() -> None:
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
    assert "2 undated not shown." in (desc.text or "")


def test_a_hidden_timeline_gives_no_totals_and_draws_no_small_count() -> None:
    hidden = timeline_svg(MONTHS, hidden=True)
    desc = parse(hidden).find(f"{SVG}desc")
    assert desc is not None and "In all" not in (desc.text or "") and FEWER_THAN in (desc.text or "")
    assert "2 undated" not in (desc.text or "")
    zeroed = [Month(date(2025, month, 1), counted(9 if month == 4 else 0, 0, 0)) for month in range(1, 5)]
    assert bars(hidden) == bars(timeline_svg(Timeline(zeroed, counted(0, 0, 0))))
    assert timeline_rows(MONTHS, hidden=True)[0] == ("January 2025", FEWER_THAN, FEWER_THAN, "0")


def test_an_empty_timeline_and_capitals_chart_say_so() -> None:
    for chart, words in (
        (timeline_svg(timeline([])), "No dated ripples yet."),
        (capitals_chart_svg([]), "No ripples"),
    ):
        desc = parse(chart).find(f"{SVG}desc")
        assert desc is not None and (desc.text or "").startswith(words)
