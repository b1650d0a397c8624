from hypothesis import given
from hypothesis import strategies as st

from carecommons.dashboards import figures as f
from carecommons.lib.small_numbers import FEWER_THAN, HIDDEN_LARGE
from carecommons.programmes.models import AttendanceStatus, EnrolmentStatus

statuses = st.sampled_from(EnrolmentStatus.values)


@st.composite
def places(draw: st.DrawFn) -> f.Progress:
    held = draw(st.integers(min_value=0, max_value=12))
    attended = draw(st.integers(min_value=0, max_value=held))
    return f.Progress(
        status=draw(statuses),
        marked=attended > 0 or draw(st.booleans()),
        attended=attended,
        held=held,
        attended_last=attended > 0 and draw(st.booleans()),
        ended=draw(st.booleans()),
    )


def place(
    status: str = "accepted", attended: int = 0, held: int = 8, last: bool = False, ended: bool = True
) -> f.Progress:
    return f.Progress(
        status=status, marked=attended > 0, attended=attended, held=held, attended_last=last, ended=ended
    )


def test_status_names_match_the_models() -> None:
    assert {f.ATTENDED, f.APOLOGIES, f.ABSENT} == set(AttendanceStatus.values)
    assert {f.ACCEPTED, f.WITHDRAWN} <= set(EnrolmentStatus.values)


def test_attended_rate_is_the_share_of_marks_that_were_attended() -> None:
    assert f.Marks(attended=3, apologies=1, absent=0).rate == 0.75
    assert f.Marks().rate is None


def test_finished_means_the_last_session_or_three_quarters_of_those_held() -> None:
    assert place(attended=6, held=8).finished
    assert not place(attended=5, held=8).finished
    assert place(attended=1, held=8, last=True).finished
    assert not place(status="declined", attended=8, held=8).finished


def test_nobody_has_finished_a_cohort_that_has_not_ended() -> None:
    assert not place(attended=4, held=4, last=True, ended=False).finished
    assert place(attended=4, held=4, last=True, ended=False).started
    assert place(attended=4, held=4, last=True, ended=True).finished


def test_a_withdrawn_place_counts_as_accepted_only_if_it_was_on_a_register() -> None:
    assert place(status="withdrawn", attended=2).accepted
    assert f.Progress("withdrawn", marked=True, attended=0, held=3, attended_last=False, ended=True).accepted
    assert not place(status="withdrawn").accepted


def test_the_funnel_counts_every_enrolment_as_applied() -> None:
    funnel = f.funnel([place(), place(attended=8, held=8), place("declined"), place("waitlisted")])
    assert funnel == f.Funnel(applied=4, accepted=2, started=1, finished=1)


@given(st.lists(places(), max_size=40))
def test_the_funnel_never_widens(progress: list[f.Progress]) -> None:
    funnel = f.funnel(progress)
    assert funnel.applied >= funnel.accepted >= funnel.started >= funnel.finished >= 0
    assert funnel.applied == len(progress)


@given(st.lists(places(), max_size=40))
def test_rates_lie_between_0_and_1(progress: list[f.Progress]) -> None:
    for p in progress:
        assert p.rate is None or 0 <= p.rate <= 1


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_attended_rates_lie_between_0_and_1(attended: int, apologies: int, absent: int) -> None:
    rate = f.Marks(attended, apologies, absent).rate
    assert rate is None or 0 <= rate <= 1


def test_retention_counts_only_cohorts_that_have_held_the_step() -> None:
    points = f.retention(
        [(1, "Welcome"), (2, "Flows"), (3, "Ending")],
        {"north": 10, "south": 4},
        [("north", 1), ("north", 2), ("south", 1)],
        [("north", 1, 9), ("south", 1, 4), ("north", 2, 7)],
    )
    assert [(p.people, p.of) for p in points] == [(13, 14), (7, 10), (0, 0)]
    assert points[2].rate is None


@given(
    st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 30), min_size=1),
    st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(1, 4), st.integers(0, 40))),
)
def test_retention_rates_lie_between_0_and_1(accepted: dict[str, int], attenders: list) -> None:
    held = [(cohort, position) for cohort, position, _ in attenders]
    for point in f.retention([(1, "a"), (2, "b"), (3, "c"), (4, "d")], accepted, held, attenders):
        assert point.rate is None or 0 <= point.rate <= 1


def test_organisations_count_started_places_and_hide_small_numbers() -> None:
    rows = [(place(attended=1), "Riverside Hub")] * 6 + [
        (place(attended=1), "Small Group"),
        (place(attended=0), "Never Came"),
        (place(attended=2), None),
    ]
    organisations = f.organisations_represented(rows)
    assert organisations.people == 8 and organisations.named == 2
    # Two places of 1 each would be given away by the total (8 - 6 = 2), so 6 is hidden as well.
    assert [(c.label, c.shown) for c in organisations.cells] == [
        (f.NO_ORGANISATION, FEWER_THAN),
        ("Riverside Hub", HIDDEN_LARGE),
        ("Small Group", FEWER_THAN),
    ]


def test_shown_organisations_come_largest_first_and_hidden_ones_by_name() -> None:
    rows = [
        (place(attended=1), name) for name, n in (("B", 9), ("A", 7), ("Z", 3), ("C", 2)) for _ in range(n)
    ]
    cells = f.organisations_represented(rows).cells
    assert [(c.label, c.shown) for c in cells] == [
        ("B", "9"),
        ("A", "7"),
        ("C", FEWER_THAN),
        ("Z", FEWER_THAN),
    ]


@given(st.lists(st.tuples(places(), st.sampled_from(["A", "B", "C", None])), max_size=40))
def test_the_organisation_breakdown_adds_up_to_the_places_that_started(rows: list) -> None:
    organisations = f.organisations_represented(rows)
    assert organisations.people == f.funnel(p for p, _ in rows).started
