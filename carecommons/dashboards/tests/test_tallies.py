"""The kept tallies always give the figures a recount from the raw rows gives, whatever wrote them."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.dashboards.access import get_scope_for_user
from carecommons.dashboards.models import CohortTally
from carecommons.dashboards.queries import load_figures, recompute_figures
from carecommons.dashboards.tallies import rebuild
from carecommons.dashboards.tests.scenario import A, P, X, add_place, cohort_with_registers
from carecommons.people.erasure import erase_person
from carecommons.people.models import Organisation
from carecommons.people.services import update_organisation
from carecommons.programmes import services
from carecommons.programmes.models import Attendance, Enrolment, Programme, Session
from carecommons.programmes.tests.factories import make_programme, make_session
from carecommons.signups import services as signups


def assert_kept_equal_recount(user: User, programme: Programme, now=None) -> int:
    """Every view the user has of the programme (all cohorts, then each one); returns how many."""
    now = now or timezone.now()
    whole = get_scope_for_user(user, programme.uuid, None)
    scopes = [whole, *(get_scope_for_user(user, programme.uuid, str(c.uuid)) for c in whole.cohorts)]
    for scope in scopes:
        kept, recount = load_figures(scope, now=now), recompute_figures(scope, now=now)
        if scope.cohort is None:
            recount = replace(recount, progress={})  # people are listed only for a chosen cohort
        assert kept == recount, scope.cohort
    return len(scopes)


@pytest.fixture
def programme(db) -> Programme:
    return make_programme("Radical Self-Care", workshops=4)


def test_tallies_follow_a_varied_sequence_of_service_calls(convenor, facilitator, programme) -> None:
    north, people = cohort_with_registers(
        programme,
        [[A, A, P, X], [A, X, A, ""]],
        name="North",
        organisations=["Org One", "Org One", "Org Two"],
    )
    south, others = cohort_with_registers(
        programme, [[A, X, A]], name="South", facilitator=facilitator, ended=False
    )
    assert assert_kept_equal_recount(convenor, programme) == 3
    first = Session.objects.filter(cohort=north).order_by("starts_at").first()
    assert first is not None
    steps = list(programme.curriculum.order_by("position"))

    def check() -> None:
        assert_kept_equal_recount(convenor, programme)
        assert_kept_equal_recount(facilitator, programme)

    services.record_attendance(session=first, person=people[3], status=A, by=None)  # a changed mark
    check()
    signups.withdraw(enrolment=Enrolment.objects.get(cohort=north, person=people[1]), by=None)
    check()
    services.cancel_session(session=first, by=None)
    check()
    third = make_session(north, starts_at=timezone.now() - timedelta(hours=2), template=steps[2])
    services.record_attendance(session=third, person=people[0], status=A, by=None)
    check()
    tomorrow = timezone.now() + timedelta(days=1)
    services.update_session(session=third, by=None, starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=2))
    check()  # moved into the future: no longer held
    newcomer = add_place(south, "Late", "accepted")
    session = Session.objects.filter(cohort=south).first()
    assert session is not None
    services.record_attendance(session=session, person=newcomer, status=A, by=None)
    check()
    services.update_cohort(cohort=south, by=None, ends_on=timezone.localdate() - timedelta(days=1))
    check()  # ended: people can finish
    erase_person(person=others[0], by=None, reason="They asked on 3 May.")
    check()
    organisation = Organisation.objects.get(name="Org One")
    update_organisation(organisation=organisation, by=None, name="Org Renamed")
    check()
    steps[1].delete()  # a curriculum step removed: its sessions fall outside the curriculum
    check()


def test_writes_that_bypass_the_services_make_a_tally_stale(convenor, programme) -> None:
    cohort, people = cohort_with_registers(programme, [[A, A, X]], name="North")
    assert_kept_equal_recount(convenor, programme)
    tally = CohortTally.objects.get(cohort=cohort)
    assert tally.computed_version == tally.version
    Attendance.objects.filter(session__cohort=cohort).update(status=P)
    tally.refresh_from_db()
    assert tally.computed_version != tally.version
    assert_kept_equal_recount(convenor, programme)
    Enrolment.objects.filter(cohort=cohort, person=people[0]).delete()
    assert_kept_equal_recount(convenor, programme)


def test_time_passing_brings_a_session_into_the_figures_and_ends_a_cohort(convenor, programme) -> None:
    cohort, people = cohort_with_registers(programme, [[A, A], [A, X]], name="North", ended=False)
    soon = make_session(
        cohort, starts_at=timezone.now() + timedelta(days=3), template=programme.curriculum.get(position=3)
    )
    services.record_attendance(session=soon, person=people[0], status=A, by=None)  # marked early
    now = timezone.now()
    assert_kept_equal_recount(convenor, programme, now)
    tally = CohortTally.objects.get(cohort=cohort)
    assert tally.valid_until == soon.starts_at
    later = now + timedelta(days=4)
    whole = get_scope_for_user(convenor, programme.uuid, None)
    assert load_figures(whole, now=later).sessions_held == 3
    assert_kept_equal_recount(convenor, programme, later)
    assert_kept_equal_recount(convenor, programme, now + timedelta(weeks=11))  # the cohort has ended
    assert_kept_equal_recount(convenor, programme, now)  # asking about the past still counts it right


def test_rebuild_counts_every_cohort_as_the_recount_does(convenor, programme) -> None:
    cohort_with_registers(programme, [[A, P, X]], name="North")
    cohort_with_registers(programme, [[A, A]], name="South")
    CohortTally.objects.all().delete()
    assert rebuild(now=timezone.now()) == 2
    assert all(t.computed_version == t.version for t in CohortTally.objects.all())
    assert_kept_equal_recount(convenor, programme)
