"""Two people allocated at the same moment in the same stratum. The trial row is locked while a slot
is taken, so they take two slots one after the other. Real concurrency needs PostgreSQL's row locks;
SQLite runs one writer at a time, so there this test would prove nothing and is skipped."""

from functools import partial

from carecommons.accounts.models import Role
from carecommons.trials import services
from carecommons.trials.models import Allocation, TrialParticipant
from carecommons.trials.tests.factories import go_live, make_trial, ready_participant, trial_cohort
from conftest import make_user
from tests.concurrency import ROW_LOCKS, at_once

pytestmark = ROW_LOCKS


def test_two_allocations_at_the_same_moment_never_take_the_same_slot() -> None:
    statistician = make_user("statistician", [Role.EVALUATOR])
    convenor = make_user("screener", [Role.CONVENOR])
    trial = make_trial(statistician)
    go_live(trial, statistician)
    cohort = trial_cohort(trial)
    people = [ready_participant(trial, convenor, cohort, name=f"Same{n}") for n in range(4)]
    outcomes = at_once(
        [
            partial(services.allocate, participant=TrialParticipant.objects.get(pk=p.pk), by=convenor)
            for p in people
        ]
    )
    assert outcomes == ["done"] * 4
    slots = sorted(Allocation.objects.filter(trial=trial).values_list("stratum", "slot"))
    assert slots == [("Site=Hackney", n) for n in range(4)]
