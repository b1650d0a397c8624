"""A generated trial is complete, in the past, told through the real services, and shows the effect
it was given."""

import random
from statistics import mean

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from carecommons.measures.models import Response
from carecommons.trials import flow
from carecommons.trials.data import trial_rows
from carecommons.trials.generate import generate_trial, items, phq9_answers
from carecommons.trials.models import PlanChange, TrialStatus
from carecommons.trials.sequence import verification

pytestmark = pytest.mark.django_db


@given(total=st.integers(0, 24), count=st.integers(8, 8), seed=st.integers(0, 10_000))
@settings(max_examples=50, deadline=None)
def test_item_answers_add_up_to_the_total_and_stay_within_0_to_3(total: int, count: int, seed: int) -> None:
    answers = items(random.Random(seed), total, count)
    assert sum(answers) == total and all(0 <= a <= 3 for a in answers)
    phq9 = phq9_answers(random.Random(seed), total)
    assert sum(phq9[:9]) == total and phq9[8] == 0


def test_a_generated_trial_is_complete_locked_in_time_and_shows_its_effect() -> None:
    trial = generate_trial(people=80, sites=("Hackney", "Salford"), seed=3)
    now = timezone.now()
    assert (
        trial.status == TrialStatus.CLOSED and trial.live_from is not None and trial.sap_locked_at is not None
    )
    allocations = list(trial.allocations.all())
    assert trial.sap_locked_at < trial.live_from < min(a.allocated_at for a in allocations)
    answered = Response.objects.filter(wave__programme=trial.programme).values_list("submitted_at", flat=True)
    assert max(moment for moment in answered if moment is not None) < now
    [change] = PlanChange.objects.filter(trial=trial)
    assert trial.sap_locked_at < change.changed_at < now and change.reason
    assert all(check.matches for check in verification(trial)) and len(allocations) > 60
    shown = flow.flow_for(trial, blinded=False)
    assert flow.problems(shown) == []
    rows = trial_rows(trial)
    baseline, end = rows.waves[0], next(w for w in rows.waves if w.kind == "end")
    falls, answered_at_end = {}, 0
    for arm in rows.arms:
        units = [u for u in rows.randomised if u.arm == arm]
        changes = [
            rows.score(u.person_id, end, "phq9") - rows.score(u.person_id, baseline, "phq9")  # type: ignore[operator]
            for u in units
            if rows.score(u.person_id, end, "phq9") is not None
        ]
        answered_at_end += len(changes)
        falls[arm.is_treatment] = mean(changes)
    # The generated trial's secret comes from its seed, so this story is the same every run.
    assert 0.6 < answered_at_end / len(rows.randomised) < 0.95
    assert falls[True] - falls[False] < -0.5
    assert trial.participants.exclude(discontinued_because="").exists()
