import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.dashboards.tests.scenario import A, P, X, add_place, cohort_with_registers, withdraw
from carecommons.programmes import services
from carecommons.programmes.tests.factories import enrol, make_programme, make_session

NORTH = [
    [A, A, A, P, X, A],
    [A, A, X, A, X, ""],
    [A, P, X, A, X, ""],
]


@pytest.fixture
def programme(db):
    return make_programme("Radical Self-Care", workshops=4)


@pytest.fixture
def north(programme):
    cohort, people = cohort_with_registers(
        programme,
        NORTH,
        name="North",
        organisations=["Org One", "Org One", "Org One", "Org Two", "Org Three", None],
    )
    withdraw(cohort, people[5])  # came once, then left
    add_place(cohort, "Declined", "declined")
    add_place(cohort, "Applied", "applied")
    add_place(cohort, "Withdrew early", "withdrawn")
    step_4 = programme.curriculum.get(position=4)
    make_session(cohort, starts_at=timezone.now() + timedelta(days=7), template=step_4)
    cancelled = make_session(cohort, starts_at=timezone.now() - timedelta(days=2), title="Extra")
    services.record_attendance(session=cancelled, person=people[4], status=A, by=None)
    services.cancel_session(session=cancelled, by=None)
    return cohort


@pytest.fixture
def south(programme, facilitator):
    cohort, _ = cohort_with_registers(programme, [[A, X]], name="South", facilitator=facilitator)
    return cohort


def url(programme, cohort=None, name="programme_dashboard"):
    path = reverse(f"dashboards:{name}", args=[programme.uuid])
    return f"{path}?cohort={cohort.uuid}" if cohort else path


def test_convenor_sees_the_funnel_attendance_and_retention_of_every_cohort(
    convenor, client_for, programme, north, south
) -> None:
    response = client_for(convenor).get(url(programme))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.funnel.stages() == [("Applied", 11), ("Accepted", 8), ("Started", 6), ("Finished", 3)]
    assert figures.sessions_held == 4
    step_1 = figures.attendance[0]
    assert (step_1.held, step_1.marks.attended, step_1.marks.apologies, step_1.marks.absent) == (2, 5, 1, 2)
    assert [(p.people, p.of) for p in figures.retention] == [(5, 8), (3, 6), (2, 6), (0, 0)]
    assert figures.retention[3].rate is None


def test_a_cancelled_session_and_a_future_one_are_left_out(convenor, client_for, programme, north) -> None:
    figures = client_for(convenor).get(url(programme)).context["figures"]
    assert figures.sessions_held == 3
    assert figures.marks.total == 16
    assert [row.label for row in figures.attendance] == [
        "1. Workshop 1",
        "2. Workshop 2",
        "3. Workshop 3",
        "4. Workshop 4",
    ]


def test_small_organisation_counts_read_fewer_than_5(convenor, client_for, programme, north) -> None:
    response = client_for(convenor).get(url(programme))
    cells = {cell.label: cell.shown for cell in response.context["figures"].organisations.cells}
    assert cells == {
        "Org One": "fewer than 5",
        "Org Two": "fewer than 5",
        "No organisation recorded": "fewer than 5",
    }
    assert "Org Three" not in response.content.decode()  # its only member never attended


def test_facilitator_sees_only_the_cohorts_they_run(facilitator, client_for, programme, north, south) -> None:
    response = client_for(facilitator).get(url(programme))
    assert response.status_code == 200
    assert [c.name for c in response.context["scope"].cohorts] == ["South"]
    assert response.context["figures"].funnel.stages() == [
        ("Applied", 2),
        ("Accepted", 2),
        ("Started", 1),
        ("Finished", 1),
    ]
    assert "North" not in response.content.decode()


def test_a_cohort_half_way_through_shows_nobody_finished(convenor, client_for, programme) -> None:
    cohort, _ = cohort_with_registers(programme, [[A, A], [A, A]], name="Running", ended=False)
    response = client_for(convenor).get(url(programme, cohort))
    assert response.context["figures"].funnel.stages() == [
        ("Applied", 2),
        ("Accepted", 2),
        ("Started", 2),
        ("Finished", 0),
    ]
    assert [row.progress.finished for row in response.context["people"]] == [False, False]


def test_facilitator_gets_404_for_another_cohort_or_a_programme_they_do_not_run(
    facilitator, client_for, programme, north, south
) -> None:
    client = client_for(facilitator)
    assert client.get(url(programme, north)).status_code == 404
    assert client.get(url(programme, south)).status_code == 200
    other = make_programme("Care Lab", workshops=2)
    assert client.get(url(other)).status_code == 404


def test_a_participant_of_a_cohort_cannot_see_its_dashboard(
    participant, client_for, programme, south
) -> None:
    enrol(south, participant)
    assert client_for(participant).get(url(programme)).status_code == 404
    assert client_for(participant).get(url(programme, south)).status_code == 404


def test_a_malformed_or_unknown_cohort_is_a_404(convenor, client_for, programme, north) -> None:
    client = client_for(convenor)
    base = reverse("dashboards:programme_dashboard", args=[programme.uuid])
    assert client.get(f"{base}?cohort=not-a-uuid").status_code == 404
    other_cohort, _ = cohort_with_registers(make_programme("Other"), [[A]], name="Elsewhere")
    assert client.get(url(programme, other_cohort)).status_code == 404


def test_choosing_a_cohort_lists_its_sessions_and_people(convenor, client_for, programme, north) -> None:
    response = client_for(convenor).get(url(programme, north))
    figures, people = response.context["figures"], response.context["people"]
    assert [row.marks.attended for row in figures.attendance] == [4, 3, 2]
    rows = {row.name: (row.progress.attended, row.progress.held, row.progress.finished) for row in people}
    assert rows["North 1 Member"] == (3, 3, True)
    assert rows["North 2 Member"] == (2, 3, False)
    assert rows["North 4 Member"] == (2, 3, True)  # came to the last session
    assert rows["North 6 Member"] == (1, 3, False)  # withdrawn, still listed
    assert "Declined Applicant" not in rows


def test_the_page_works_as_plain_html_with_accessible_charts(convenor, client_for, programme, north) -> None:
    html = client_for(convenor).get(url(programme)).content.decode()
    assert html.count('role="img"') == 3
    assert "<script>" not in html and " style=" not in html
    assert "<table" in html and "Sign-up funnel" in html


def test_an_empty_programme_has_a_dashboard_too(convenor, client_for, programme) -> None:
    response = client_for(convenor).get(url(programme))
    assert response.status_code == 200
    assert "Nobody has applied yet." in response.content.decode()


def test_csv_export_holds_the_same_figures_and_is_audited(convenor, client_for, programme, north) -> None:
    response = client_for(convenor).get(url(programme, north, name="programme_dashboard_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "item", "measure", "value"]
    assert ["funnel", "Started", "places", "5"] in rows
    assert ["organisations", "Org One", "places that started", "fewer than 5"] in rows
    assert ["people", "North 1 Member", "finished", "yes"] in rows
    event = AuditEvent.objects.get(action="dashboard.exported")
    assert event.actor == convenor and event.target_id == str(programme.uuid)
    assert event.detail["cohort"] == str(north.uuid)


def test_csv_cells_cannot_start_a_formula(convenor, client_for) -> None:
    programme = make_programme("=HYPERLINK(1)", workshops=1)
    cohort_with_registers(programme, [[A]], name="=cmd", organisations=["@Org"])
    response = client_for(convenor).get(url(programme, name="programme_dashboard_csv"))
    assert ["organisations", "'@Org", "places that started", "fewer than 5"] in list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    )


def dashboard_queries(client, path: str) -> int:
    client.get(path)  # warm up: caches filled by a first request are not the page's cost
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def grow(programme, cohorts: int, people: int, steps: int) -> None:
    for n in range(cohorts):
        registers = [[(A, P, X)[(i + k) % 3] for i in range(people)] for k in range(steps)]
        cohort_with_registers(programme, registers, name=f"Cohort {n}", organisations=["Org One"] * people)


def test_dashboard_query_count_does_not_grow_with_cohorts_or_attendance(convenor, client_for) -> None:
    programme = make_programme(workshops=4)
    client = client_for(convenor)
    grow(programme, cohorts=2, people=5, steps=2)  # 2 cohorts, 20 attendances
    small = dashboard_queries(client, url(programme))
    grow(programme, cohorts=4, people=15, steps=3)  # 6 cohorts, 200 attendances
    assert dashboard_queries(client, url(programme)) == small


def test_a_cohorts_query_count_does_not_grow_with_its_people(convenor, client_for) -> None:
    programme = make_programme(workshops=4)
    client = client_for(convenor)
    few, _ = cohort_with_registers(programme, [[A] * 3, [A, P, X]], name="Few")
    small = dashboard_queries(client, url(programme, few))
    many, _ = cohort_with_registers(programme, [[A] * 60] * 4, name="Many")
    assert dashboard_queries(client, url(programme, many)) == small


def test_a_held_session_outside_the_curriculum_gets_its_own_bar(convenor, client_for, programme) -> None:
    cohort, people = cohort_with_registers(programme, [[A, A]], name="Extra")
    extra = make_session(cohort, starts_at=timezone.now() - timedelta(hours=3), title="Celebration")
    services.record_attendance(session=extra, person=people[0], status=A, by=None)
    figures = client_for(convenor).get(url(programme)).context["figures"]
    last = figures.attendance[-1]
    assert (last.label, last.held, last.marks.attended) == ("Sessions outside the curriculum", 1, 1)
    assert figures.retention[0].people == 2  # the extra session does not count towards any step
