"""The two designs beside individually randomised permuted blocks: minimisation, and whole cohorts
allocated (a cluster trial), from allocation through the pages to the report's mixed model."""

import random
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.trials import services
from carecommons.trials.data import trial_rows
from carecommons.trials.models import Allocation, AllocationUnit, Method, ReportStatus
from carecommons.trials.sequence import verification
from carecommons.trials.tests.factories import (
    answer_wave,
    applicant,
    give_research_consent,
    go_live,
    make_trial,
    ready_report,
    screen,
    trial_cohort,
)


def test_minimisation_allocates_through_the_engine_and_keeps_the_sites_balanced(
    evaluator: User, convenor: User
):
    # With the best-balancing arm always chosen (ties drawn from the secret), one factor stays within
    # one at every level whatever the secret; below 1 the bound would hold only most of the time.
    trial = go_live(make_trial(evaluator, method=Method.MINIMISATION, best_probability=1.0), evaluator)
    cohort = trial_cohort(trial)
    rng = random.Random(7)
    for number in range(16):
        person = applicant(cohort, f"Min{number}")
        site = ("Hackney", "Salford")[number % 2]
        participant = screen(trial, convenor, person, cohort, site=site)
        give_research_consent(person)
        answer_wave(person, cohort, trial.baseline_wave, rng.randint(4, 20))
        services.allocate(participant=participant, by=convenor)
    allocations = list(Allocation.objects.filter(trial=trial).select_related("arm"))
    assert sorted(a.slot for a in allocations) == list(range(16))
    assert {a.stratum for a in allocations} == {""}
    checks = verification(trial)
    assert len(checks) == 16 and all(check.matches for check in checks)
    by_site = Counter((a.levels[str(trial.factors.get().pk)], a.arm.name) for a in allocations)
    for site in ("Hackney", "Salford"):
        assert abs(by_site[(site, "Radical Self-Care course")] - by_site[(site, "Waiting list")]) <= 1


def make_cluster_trial(evaluator: User, convenor: User, sites: tuple[str, ...]):
    trial = go_live(make_trial(evaluator, unit=AllocationUnit.COHORT, sites=sites), evaluator)
    rng = random.Random(11)
    end = trial.outcomes.get(primary=True).wave
    later = list(dict.fromkeys(o.wave for o in trial.outcomes.select_related("wave") if o.wave != end))
    shifts = {}  # each group's own level: what the ICC measures
    for number in range(6):
        cohort = trial_cohort(trial, name=f"Group {number}")
        shift = shifts[cohort.pk] = rng.randint(-3, 3)
        for member in range(5):
            person = applicant(cohort, f"G{number}M{member}")
            screen(trial, convenor, person, cohort, site=sites[number % 2] if sites else "")
            give_research_consent(person)
            answer_wave(person, cohort, trial.baseline_wave, rng.randint(6, 18) + shift)
    return trial, rng, end, later, shifts


@pytest.fixture
def cluster_trial(evaluator: User, convenor: User):
    return make_cluster_trial(evaluator, convenor, ("Hackney", "Salford"))


def test_a_cluster_trial_allocates_whole_cohorts_once_and_not_people(
    cluster_trial, convenor: User, client_for
):
    trial = cluster_trial[0]
    one = trial.participants.first()
    with pytest.raises(ValidationError, match="whole cohorts are allocated"):
        services.allocate(participant=one, by=convenor)
    cohort = trial.programme.cohorts.get(name="Group 0")
    site = trial.factors.get()
    url = reverse("trials:cohort_allocate", args=[trial.uuid, cohort.uuid])
    response = client_for(convenor).post(url, {f"f{site.pk}": "Hackney"})
    assert response.status_code == 302
    again = client_for(convenor).post(url, {f"f{site.pk}": "Salford"})
    assert again.status_code == 302
    allocation = Allocation.objects.get(trial=trial, cohort=cohort)
    assert allocation.levels == {str(site.pk): "Hackney"}
    assert Allocation.objects.filter(trial=trial).count() == 1
    rows = trial_rows(trial)
    in_group = [u for u in rows.screened if u.cohort_id == cohort.pk]
    assert len(in_group) == 5 and all(u.arm == allocation.arm for u in in_group)


def test_a_cluster_trials_report_has_the_mixed_model_and_its_icc(evaluator: User, convenor: User):
    # Unstratified: stratified by site, a block of six could put every group of one site in one arm
    # and every group of the other in the other, so arm and site could not be told apart (the
    # report then says so instead of estimating; the secret is new each run, so that would be luck).
    trial, rng, end, later, shifts = make_cluster_trial(evaluator, convenor, ())
    for cohort in trial.programme.cohorts.order_by("name"):
        allocation = services.allocate_cohort(trial=trial, cohort=cohort, levels={}, by=convenor)
        effect = -4 if allocation.arm.is_treatment else 0
        for participant in trial.participants.filter(cohort=cohort).select_related("person"):
            for wave in (end, *later):
                answer_wave(
                    participant.person, cohort, wave, 12 + shifts[cohort.pk] + effect + rng.randint(-4, 4)
                )
    report = ready_report(trial, evaluator)
    assert report.status == ReportStatus.READY, report.error
    assert "Mixed model (95% CI), ICC" in report.html
    assert "a random intercept per cohort is also reported" in report.html
    assert report.html.count(", ICC ") >= 1
