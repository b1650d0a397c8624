"""The CONSORT flow: its checks, its small-number hiding across linked sums, and a diagram that
is an accessible image with every typed word escaped and exactly the figures of its table."""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from carecommons.lib.small_numbers import FEWER_THAN, HIDDEN_LARGE, is_small
from carecommons.trials.consort import (
    ArmFlow,
    Flow,
    FollowUp,
    Reason,
    Shown,
    ShownFlow,
    consort_rows,
    consort_svg,
    hide_small,
    problems,
)

SVG = "{http://www.w3.org/2000/svg}"
R = Reason


def arm(label: str, *, received: int = 56, not_received: tuple[int, ...] = (3, 1), lost: int = 6) -> ArmFlow:
    missing = [R("Could not attend the course times", count) for count in not_received]
    allocated = received + sum(not_received)
    return ArmFlow(
        label=label,
        allocated=allocated,
        received=received,
        not_received=missing,
        follow_ups=[
            FollowUp("End of course", [R("Did not reply", lost)], [R("Stopped attending", 4)]),
            FollowUp("12-week follow-up", [R("Did not reply", 9), R("Withdrew consent", 2)], []),
        ],
        analysed=allocated - 11,
        excluded_from_analysis=[R("No outcome at 12 weeks", 11)],
    )


def flow_of(*arms: ArmFlow) -> Flow:
    excluded = [R("Not meeting inclusion criteria", 18), R("Declined to take part", 9), R("Other reasons", 3)]
    randomised = sum(each.allocated for each in arms)
    return Flow(randomised + sum(r.count for r in excluded), excluded, randomised, list(arms))


FLOW = flow_of(arm("Radical Caring course"), arm("Waiting list", received=60, not_received=()))


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


def figures_in_svg(markup: str) -> Counter[str]:
    """Every "(n = …)" in the diagram's boxes, each box's rows read together as wrapped."""
    found: Counter[str] = Counter()
    for box in parse(markup).iter(f"{SVG}g"):
        if box.get("class") == "consort-box":
            words = " ".join(node.text or "" for node in box.iter(f"{SVG}text"))
            found.update(re.findall(r"\(n = ([^)]*)\)", words))
    return found


def figures_in_table(flow: Flow, *, hidden: bool) -> Counter[str]:
    return Counter(row.count for row in consort_rows(flow, hidden=hidden))


# --- Checks ---------------------------------------------------------------------------------------


def test_figures_that_add_up_have_no_problems() -> None:
    assert problems(FLOW) == []


@pytest.mark.parametrize(
    ("broken", "words"),
    [
        (replace(FLOW, assessed=FLOW.assessed + 1), "Assessed for eligibility is"),
        (
            replace(FLOW, randomised=FLOW.randomised - 1, assessed=FLOW.assessed - 1),
            "the arms' allocations add up",
        ),
        (replace(FLOW, arms=[replace(FLOW.arms[0], received=55), FLOW.arms[1]]), "did not receive (4)"),
        (
            replace(FLOW, arms=[replace(FLOW.arms[0], analysed=50), FLOW.arms[1]]),
            "excluded from analysis (11)",
        ),
        (replace(FLOW, arms=[FLOW.arms[0]]), "at least two arms"),
        (
            replace(FLOW, excluded=[R("Declined", -3), R("Other", 33)]),
            "below zero: excluded, “Declined” is -3",
        ),
    ],
)
def test_each_kind_of_mismatch_is_reported(broken: Flow, words: str) -> None:
    found = problems(broken)
    assert any(words in problem for problem in found), found


def test_more_lost_than_allocated_or_discontinued_than_received_is_reported() -> None:
    waiting = replace(
        FLOW.arms[1],
        follow_ups=[
            FollowUp("End of course", [R("Did not reply", 61)], [R("Stopped", 61)]),
            FollowUp("12-week follow-up", [], []),
        ],
    )
    found = " ".join(problems(replace(FLOW, arms=[FLOW.arms[0], waiting])))
    assert "Waiting list, End of course: lost to follow-up (61) is more than were allocated (60)" in found
    assert "discontinued (61) is more than received the intervention (60)" in found


def test_arms_with_different_follow_up_waves_are_reported() -> None:
    short = replace(FLOW.arms[1], follow_ups=FLOW.arms[1].follow_ups[:1])
    found = problems(replace(FLOW, arms=[FLOW.arms[0], short]))
    assert found == [
        "Every arm needs the same follow-up waves in the same order (Radical Caring course: End of course, "
        "12-week follow-up; Waiting list: End of course)."
    ]


def test_figures_that_do_not_add_up_are_never_drawn() -> None:
    broken = replace(FLOW, assessed=FLOW.assessed + 1)
    with pytest.raises(ValueError, match="do not add up"):
        consort_svg(broken, hidden=False)
    with pytest.raises(ValueError, match="do not add up"):
        consort_rows(broken, hidden=True)


# --- Hiding small counts --------------------------------------------------------------------------


def test_counts_of_one_to_four_read_fewer_than_five_and_zero_is_shown() -> None:
    shown = hide_small(FLOW)
    caring, waiting = shown.arms
    assert shown.excluded.reasons[2] == ("Other reasons", FEWER_THAN)
    assert caring.not_received == Shown(FEWER_THAN, (("Could not attend the course times", FEWER_THAN),) * 2)
    assert waiting.not_received == Shown("0")
    assert caring.follow_ups[0].discontinued.count == FEWER_THAN
    assert shown.assessed == Shown(str(FLOW.assessed)) and caring.analysed == Shown("49")


def test_the_next_smallest_part_is_hidden_so_a_total_gives_nothing_away() -> None:
    shown = hide_small(FLOW)
    assert shown.excluded == Shown(
        "30",
        (
            ("Not meeting inclusion criteria", "18"),
            ("Declined to take part", HIDDEN_LARGE),
            ("Other reasons", FEWER_THAN),
        ),
    )
    # 60 allocated = received + 4 who did not receive: received can no longer be subtracted.
    assert shown.arms[0].received == Shown(HIDDEN_LARGE)
    assert shown.arms[1].received == Shown("60")


def test_with_hiding_off_every_count_is_shown() -> None:
    assert Counter(row.count for row in consort_rows(FLOW, hidden=False)) == figures_in_table(
        FLOW, hidden=False
    )
    assert FEWER_THAN not in {row.count for row in consort_rows(FLOW, hidden=False)}


def test_four_reasons_under_a_total_of_four_are_pinned_by_their_labels_and_hide_nothing_more() -> None:
    """lib/small_numbers.py's known limit: four reasons of "fewer than 5" under a total of "fewer
    than 5" are each 1, however much else is hidden; so nothing else is hidden for them."""
    caring = arm("Radical Caring course", received=60, not_received=(1, 1, 1, 1))
    flow = flow_of(caring, arm("Waiting list", received=60, not_received=()))
    shown = hide_small(flow)
    assert shown.arms[0].not_received == Shown(
        FEWER_THAN, (("Could not attend the course times", FEWER_THAN),) * 4
    )
    assert shown.arms[0].received == Shown("60") and shown.arms[0].allocated == Shown("64")
    cells, sums = cells_and_sums(flow, shown)
    assert set(recoverable(cells, sums)) == set(unprotectable(cells, sums)) != set()


def cells_and_sums(flow: Flow, shown: ShownFlow) -> tuple[list[tuple[int, str]], list[tuple[int, list[int]]]]:
    """The test's own reading of which figures add up to which: (true count, as shown) per cell."""
    cells: list[tuple[int, str]] = []
    sums: list[tuple[int, list[int]]] = []

    def add(count: int, words: str) -> int:
        cells.append((count, words))
        return len(cells) - 1

    def breakdown(reasons: list[Reason] | tuple[Reason, ...], figure: Shown) -> int:
        parts = [add(reason.count, words) for reason, (_, words) in zip(reasons, figure.reasons, strict=True)]
        whole = add(sum(reason.count for reason in reasons), figure.count)
        sums.append((whole, parts))
        return whole

    randomised = add(flow.randomised, shown.randomised.count)
    sums.append(
        (
            add(flow.assessed, shown.assessed.count),
            [breakdown(list(flow.excluded), shown.excluded), randomised],
        )
    )
    allocated = []
    for plain, seen in zip(flow.arms, shown.arms, strict=True):
        whole = add(plain.allocated, seen.allocated.count)
        allocated.append(whole)
        sums.append(
            (
                whole,
                [
                    add(plain.received, seen.received.count),
                    breakdown(list(plain.not_received), seen.not_received),
                ],
            )
        )
        excluded = breakdown(list(plain.excluded_from_analysis), seen.excluded_from_analysis)
        sums.append((whole, [add(plain.analysed, seen.analysed.count), excluded]))
        for wave, shown_wave in zip(plain.follow_ups, seen.follow_ups, strict=True):
            breakdown(list(wave.lost), shown_wave.lost)
            breakdown(list(wave.discontinued), shown_wave.discontinued)
    sums.append((randomised, allocated))
    return cells, sums


def recoverable(cells: list[tuple[int, str]], sums: list[tuple[int, list[int]]]) -> list[int]:
    """Hidden cells a reader could pin down, by linear programming over every sum at once, each
    hidden cell bounded as its label says (1-4, or 5 and more)."""
    hidden = [i for i, (_, words) in enumerate(cells) if words in (FEWER_THAN, HIDDEN_LARGE)]
    where = {cell: j for j, cell in enumerate(hidden)}
    rows, right = [], []
    for whole, parts in sums:
        row, known = [0.0] * len(hidden), 0
        for cell, sign in [(whole, 1), *((part, -1) for part in parts)]:
            if cell in where:
                row[where[cell]] += sign
            else:
                known -= sign * cells[cell][0]
        if any(row):
            rows.append(row)
            right.append(known)
    bounds = [(1, 4) if cells[cell][1] == FEWER_THAN else (5, None) for cell in hidden]
    found = []
    for j, cell in enumerate(hidden):
        aim = [0.0] * len(hidden)
        aim[j] = 1.0
        lowest = linprog(aim, A_eq=rows or None, b_eq=right or None, bounds=bounds, method="highs")
        aim[j] = -1.0
        highest = linprog(aim, A_eq=rows or None, b_eq=right or None, bounds=bounds, method="highs")
        if lowest.status == 0 and highest.status == 0 and -highest.fun - lowest.fun < 0.5:
            found.append(cell)
    return found


reasons = st.lists(
    st.builds(Reason, st.sampled_from(["Moved", "Declined <b>", "Ill & away"]), st.integers(0, 12)),
    max_size=4,
)


@st.composite
def flows(draw: st.DrawFn) -> Flow:
    waves = draw(st.lists(st.sampled_from(["End", "12 weeks", "6 months"]), max_size=2, unique=True))
    arms = []
    for index in range(draw(st.integers(2, 4))):
        received, not_received = draw(st.integers(0, 70)), draw(reasons)
        allocated = received + sum(r.count for r in not_received)
        excluded = draw(reasons)
        follow_ups = [FollowUp(wave, draw(reasons), draw(reasons)) for wave in waves]
        analysed = allocated - sum(r.count for r in excluded)
        arms.append(
            ArmFlow(f"Arm {index}", allocated, received, not_received, follow_ups, analysed, excluded)
        )
    excluded = draw(reasons)
    randomised = sum(each.allocated for each in arms)
    flow = Flow(randomised + sum(r.count for r in excluded), excluded, randomised, arms)
    assume(not problems(flow))
    return flow


def unprotectable(cells: list[tuple[int, str]], sums: list[tuple[int, list[int]]]) -> list[int]:
    """Cells a reader could pin down even with every count above zero hidden."""
    everything = [
        (count, FEWER_THAN if is_small(count) else HIDDEN_LARGE if count else "0") for count, _ in cells
    ]
    return recoverable(everything, sums)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flows())
def test_no_hidden_count_can_be_recovered_as_a_total_minus_its_shown_parts(flow: Flow) -> None:
    cells, sums = cells_and_sums(flow, hide_small(flow))
    for count, words in cells:
        if is_small(count):
            assert words == FEWER_THAN
        elif words == HIDDEN_LARGE:
            assert count >= 5
        else:
            assert words == f"{count:,}"
    for whole, parts in sums:
        hidden = [cell for cell in (whole, *parts) if cells[cell][1] in (FEWER_THAN, HIDDEN_LARGE)]
        if len(hidden) == 1:  # allowed only where the labels give the count away whatever is hidden
            assert hidden[0] in unprotectable(cells, sums), (cells[whole], [cells[part] for part in parts])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flows())
def test_no_hidden_count_can_be_worked_out_from_all_the_sums_together(flow: Flow) -> None:
    cells, sums = cells_and_sums(flow, hide_small(flow))
    exposed = recoverable(cells, sums)
    assert not exposed or set(exposed) <= set(unprotectable(cells, sums))


# --- The diagram ----------------------------------------------------------------------------------


def test_the_diagram_is_an_image_named_by_its_title_and_description() -> None:
    root = parse(consort_svg(FLOW, hidden=True))
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 400 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "CONSORT flow diagram"
    assert desc is not None and desc.text and "30 excluded, 120 randomised" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_the_diagram_uses_no_style_attributes_or_scripts() -> None:
    for node in parse(consort_svg(FLOW, hidden=False)).iter():
        assert "style" not in node.attrib
        assert not node.tag.endswith(("script", "style", "foreignObject"))
        assert not any(name.startswith("on") for name in node.attrib)


def test_typed_words_are_escaped_and_read_back_unchanged() -> None:
    script = "<script>alert(1)</script>"
    flow = replace(
        FLOW,
        excluded=[R("Tom & Jerry", 18), R('"/><a href="x">', 12)],
        arms=[replace(FLOW.arms[0], label=script), FLOW.arms[1]],
    )
    markup = consort_svg(flow, hidden=True)
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "Tom &amp; Jerry" in markup
    assert '<a href="x">' not in markup
    words = " ".join(node.text or "" for node in parse(markup).iter(f"{SVG}text"))
    assert "Tom & Jerry (n = 18)" in words and "alert(1)</scri" in words


def test_the_table_holds_exactly_the_figures_of_the_diagram() -> None:
    for hidden in (True, False):
        assert figures_in_svg(consort_svg(FLOW, hidden=hidden)) == figures_in_table(FLOW, hidden=hidden)
    rows = consort_rows(FLOW, hidden=True)
    assert rows[0].stage == "Enrolment" and rows[0].label == "Assessed for eligibility"
    assert [row.stage for row in rows if row.label == "Lost to follow-up"] == [
        "Follow-up: End of course",
        "Follow-up: End of course",
        "Follow-up: 12-week follow-up",
        "Follow-up: 12-week follow-up",
    ]
    reasons = [row for row in rows if row.reason]
    assert ("Waiting list", "No outcome at 12 weeks", "11") in {(r.arm, r.label, r.count) for r in reasons}


def boxes(markup: str) -> list[tuple[float, float, float, float]]:
    return [
        (
            float(node.get("x", 0)),
            float(node.get("y", 0)),
            float(node.get("width", 0)),
            float(node.get("height", 0)),
        )
        for node in parse(markup).iter(f"{SVG}rect")
    ]


@pytest.mark.parametrize("count", [2, 3, 5])
def test_any_number_of_arms_gets_a_column_each_inside_the_view_box(count: int) -> None:
    flow = flow_of(*(arm(f"Arm number {i} with a long name") for i in range(count)))
    markup = consort_svg(flow, hidden=False)
    words = " ".join(node.text or "" for node in parse(markup).iter(f"{SVG}text"))
    assert words.count("Allocated to Arm number") == count
    assert figures_in_svg(markup) == figures_in_table(flow, hidden=False)
    root = parse(markup)
    scaled = root.find(f"{SVG}g[@transform]")
    scale = 1.0 if scaled is None else float(scaled.get("transform", "")[len("scale(") : -1])
    assert (scale == 1.0) == (count <= 3)
    width, height = 400 / scale, float(root.get("viewBox", "").split()[3]) / scale
    assert all(x >= 0 and x + w <= width + 0.01 and y + h <= height + 0.01 for x, y, w, h in boxes(markup))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flows(), st.booleans())
def test_any_flow_draws_the_figures_of_its_table(flow: Flow, hidden: bool) -> None:
    markup = consort_svg(flow, hidden=hidden)
    assert figures_in_svg(markup) == figures_in_table(flow, hidden=hidden)
