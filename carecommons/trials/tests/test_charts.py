"""The report's forest plot and trajectories: accessible images whose typed words are escaped,
whose figures are written out as text and tables, and which never rest on colour alone."""

import itertools
import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecommons.lib.small_numbers import FEWER_THAN
from carecommons.trials.charts import (
    CHAR_WIDTH,
    FONT_SIZE,
    ForestRow,
    Series,
    forest_plot_svg,
    forest_table,
    nice_ticks,
    trajectory_svg,
    trajectory_table,
    wrap,
)

SVG = "{http://www.w3.org/2000/svg}"
ROWS = [
    ForestRow("PHQ-9 at 12 weeks", -2.314, -4.1, -0.52, True, 0.0123),
    ForestRow("GAD-7 <script>alert(1)</script>", -1.2, -2.9, 0.4, False, 0.18, "Holm-adjusted"),
    ForestRow("Shame & guilt", None, None, None, False, None, "too few answers"),
    ForestRow("Self-reassurance", 1.4, 0.2, 2.7, False, 0.0004),
]
WAVES = ["Baseline", "End of course", "12-week <follow-up>"]
SERIES = [
    Series("Radical Caring & friends", [14.2, 9.1, 8.7], [13.0, 8.0, 7.4], [15.4, 10.2, 10.0], [60, 54, 51]),
    Series("Waiting <list>", [14.0, None, 12.1], [12.9, None, 10.2], [15.1, None, 14.0], [60, 0, 3]),
]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


def words_of(markup: str) -> list[str]:
    return [node.text or "" for node in parse(markup).iter(f"{SVG}text")]


def forest() -> str:
    return forest_plot_svg(ROWS, x_label="Adjusted mean difference, programme minus waiting list")


def trajectory(*, hidden: bool = False) -> str:
    return trajectory_svg("PHQ-9 <b>mean</b>", WAVES, SERIES, hidden=hidden)


def test_each_chart_is_an_image_named_by_its_title_and_description() -> None:
    for markup in (forest(), trajectory()):
        root = parse(markup)
        assert root.get("role") == "img" and root.get("width") == "100%"
        assert root.get("viewBox", "").startswith("0 0 400 ")
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_charts_use_no_style_attributes_or_scripts() -> None:
    for markup in (forest(), trajectory()):
        for node in parse(markup).iter():
            assert "style" not in node.attrib and "paint-order" not in node.attrib
            assert not node.tag.endswith(("script", "style", "foreignObject"))
            assert not any(name.startswith("on") for name in node.attrib)


def test_typed_words_are_escaped() -> None:
    assert "<script>" not in forest() and "&lt;script&gt;" in forest() and "Shame &amp; guilt" in forest()
    assert (
        "<b>" not in trajectory()
        and "&lt;b&gt;mean" in trajectory()
        and "Waiting &lt;list&gt;" in trajectory()
    )
    assert "<follow-up>" not in trajectory()


def test_the_primary_outcome_is_marked_in_words_and_by_shape() -> None:
    words = words_of(forest())
    assert "Primary outcome: PHQ-9 at 12 weeks" in words
    assert sum(word.startswith("Primary outcome") for word in words) == 1
    diamonds = [node for node in parse(forest()).iter(f"{SVG}polygon")]
    assert len(diamonds) == 1  # the primary's marker; every other estimate is a square


def test_each_rows_figures_are_written_beside_its_whisker() -> None:
    words = words_of(forest())
    assert "−2.31 (95% CI −4.10 to −0.52), p = 0.012" in words
    assert "1.40 (95% CI 0.20 to 2.70), p < 0.001" in words
    assert "not estimable" in words and "too few answers" in words
    assert "no difference" in words and {"−4", "−2", "0", "2"} <= set(words)


def test_the_line_of_no_difference_is_at_zero() -> None:
    root = parse(forest())
    zero_ticks = [node for node in root.iter(f"{SVG}text") if node.text == "0"]
    assert len(zero_ticks) == 1
    x = zero_ticks[0].get("x")
    dark = [
        node
        for node in root.iter(f"{SVG}line")
        if node.get("stroke-width") == "2" and node.get("x1") == node.get("x2")
    ]
    assert {f"{float(node.get('x1', '')):g}" for node in dark if node.get("stroke") == "#1b1f24"} >= {x}


def test_the_forest_table_and_description_hold_the_same_figures() -> None:
    table = forest_table(ROWS)
    assert table[0] == (
        "Primary outcome: PHQ-9 at 12 weeks",
        "−2.31 (95% CI −4.10 to −0.52)",
        "p = 0.012",
        "",
    )
    assert table[2] == ("Shame & guilt", "not estimable", "", "too few answers")
    desc = parse(forest()).find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    for outcome, estimate, p, _ in table:
        assert f"{outcome}: {estimate}" in desc.text and p in desc.text


def test_a_forest_with_nothing_estimable_still_draws_its_axis() -> None:
    markup = forest_plot_svg([ForestRow("Only", None, None, None, True, None)], x_label="points")
    assert "not estimable" in words_of(markup) and "0" in words_of(markup)


def test_arms_differ_by_marker_and_dash_as_well_as_colour() -> None:
    root = parse(trajectory())
    paths = list(root.iter(f"{SVG}path"))
    assert len({(path.get("stroke"), path.get("stroke-dasharray")) for path in paths}) == 2
    assert {path.get("stroke-dasharray") for path in paths} == {None, "7 4"}
    assert root.find(f".//{SVG}circle") is not None and root.find(f".//{SVG}rect") is not None
    assert "Radical Caring & friends" in words_of(trajectory()) and "Waiting <list>" in words_of(trajectory())


def test_a_missing_mean_leaves_a_gap_in_its_line() -> None:
    paths = [path.get("d", "") for path in parse(trajectory()).iter(f"{SVG}path")]
    assert sorted(d.count("M") for d in paths) == [1, 2]  # the waiting list restarts after its gap
    assert all("L" in d for d in paths if d.count("M") == 1)


def test_hiding_leaves_out_means_over_fewer_than_five_people() -> None:
    shown = trajectory_table(WAVES, SERIES, hidden=True)
    assert shown[-1] == ("Waiting <list>", "12-week <follow-up>", "", "", FEWER_THAN)
    assert trajectory_table(WAVES, SERIES)[-1] == (
        "Waiting <list>",
        "12-week <follow-up>",
        "12.10",
        "10.20 to 14.00",
        "3",
    )
    paths = [path.get("d", "") for path in parse(trajectory(hidden=True)).iter(f"{SVG}path")]
    assert sorted(d.count("L") for d in paths) == [0, 2]  # the waiting list is a lone point now
    desc = parse(trajectory(hidden=True)).find(f"{SVG}desc")
    assert desc is not None and desc.text and "12.10" not in desc.text and "n = fewer than 5" in desc.text


def test_the_trajectory_table_and_description_hold_the_same_figures() -> None:
    table = trajectory_table(WAVES, SERIES)
    assert table[0] == ("Radical Caring & friends", "Baseline", "14.20", "13.00 to 15.40", "60")
    assert table[4] == ("Waiting <list>", "End of course", "", "", "0")
    desc = parse(trajectory()).find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    for _, wave, mean, interval, count in table:
        if mean:
            assert f"{wave}: {mean}, 95% CI {interval} (n = {count})" in desc.text


def test_series_of_the_wrong_length_are_refused() -> None:
    with pytest.raises(ValueError):
        trajectory_svg("x", WAVES, [Series("a", [1.0], [0.0], [2.0], [9])])


@pytest.mark.parametrize("arms", [1, 2, 5, 7])
def test_any_number_of_arms_each_named_in_the_legend(arms: int) -> None:
    series = [
        Series(f"Arm {i}", [10.0 + i, 9.0], [9.0, 8.0], [11.0 + i, 10.0], [20, 20]) for i in range(arms)
    ]
    markup = trajectory_svg("Mean", ["Start", "End"], series)
    assert all(f"Arm {i}" in words_of(markup) for i in range(arms))


def test_charts_on_one_page_get_ids_of_their_own() -> None:
    ids = {parse(trajectory_svg(name, WAVES, SERIES)).get("aria-labelledby") for name in ("PHQ-9", "GAD-7")}
    assert len(ids) == 2


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), st.floats(20, 400))
def test_wrapped_words_keep_every_character_and_fit_their_width(words: str, width: float) -> None:
    rows = wrap(words, width)
    most = max(int(width / (FONT_SIZE * CHAR_WIDTH)), 1)
    assert all(len(row) <= most for row in rows)
    assert "".join(rows).replace(" ", "") == "".join(words.split())


@given(st.floats(-1000, 1000), st.floats(0, 1000))
def test_ticks_cover_the_range_in_round_steps(low: float, span: float) -> None:
    ticks = nice_ticks(low, low + span)
    steps = [b - a for a, b in itertools.pairwise(ticks)]
    assert ticks[0] <= low + 1e-6 * steps[0] and ticks[-1] >= low + span - 1e-6 * steps[0]
    assert 2 <= len(ticks) <= 7
    assert max(steps) - min(steps) < 1e-6 * steps[0]
    # A step of 100 read back as 99.99999999999 (a difference of rounded ticks) is still 100.
    assert f"{steps[0] / 10 ** math.floor(math.log10(steps[0]) + 1e-9):.6g}" in {"1", "2", "2.5", "5"}
