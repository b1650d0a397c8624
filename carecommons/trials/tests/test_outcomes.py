"""One outcome's figures together, and a trial's outcomes with Holm-adjusted secondaries."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from carecommons.trials.analysis import TrialDataError, ancova, ancova_imputed, hedges_g, morris_dppc2
from carecommons.trials.clustered import mixed_model
from carecommons.trials.outcomes import analyse_outcome, analyse_outcomes
from carecommons.trials.tests.test_analysis import seeded, trial
from carecommons.trials.tests.test_clustered import cohorts
from carecommons.trials.tests.test_clustered import trial as cluster_trial


def test_an_outcome_gathers_the_same_figures_as_each_analysis_alone() -> None:
    frame = seeded(seed=21)
    data = trial(frame, "site")
    found = analyse_outcome(data, m=5, seed=3)
    complete = frame.dropna(subset=["outcome", "baseline"])
    t, c = complete[complete.arm == "radsec"], complete[complete.arm == "waiting"]
    assert found.n_randomised == len(frame) and found.n_complete == len(complete)
    assert (found.n_complete_by_arm.treatment, found.n_complete_by_arm.control) == (len(t), len(c))
    assert found.ancova == ancova(data)
    assert found.ancova_imputed == ancova_imputed(data, m=5, seed=3)
    assert found.hedges_g == hedges_g(t.outcome.to_numpy(), c.outcome.to_numpy())
    assert found.morris_dppc2 == morris_dppc2(
        t.baseline.to_numpy(), t.outcome.to_numpy(), c.baseline.to_numpy(), c.outcome.to_numpy()
    )
    assert found.mixed is None and found.icc is None and found.primary and found.holm is None


def test_summaries_by_arm_use_everyone_with_that_score() -> None:
    frame = seeded(seed=22)
    found = analyse_outcome(trial(frame), m=2)
    radsec = frame[frame.arm == "radsec"]
    assert found.outcome.treatment.n == radsec.outcome.notna().sum()
    assert found.outcome.treatment.mean == pytest.approx(radsec.outcome.mean(), abs=1e-12)
    assert found.outcome.treatment.sd == pytest.approx(radsec.outcome.std(), abs=1e-12)
    assert found.baseline.control.n == (frame.arm == "waiting").sum()


def test_clusters_add_the_mixed_model_and_its_icc() -> None:
    frame = cohorts(6)
    data = cluster_trial(frame)
    found = analyse_outcome(data, clusters=frame["cohort"].to_numpy(), m=2)
    expected = mixed_model(data, frame["cohort"].to_numpy())
    assert found.mixed == expected.arm and found.icc == expected.icc and found.mixed_model == expected


def outcome_frames(seed: int) -> dict[str, pd.DataFrame]:
    """Four outcomes on the same people: the programme helps the first two, not the others."""
    base = seeded(seed=seed)
    rng = np.random.default_rng(seed)
    frames = {}
    for name, effect in [("phq9", -3.0), ("gad7", -1.5), ("shame", -0.3), ("ceas", 0.0)]:
        outcome = (
            2
            + 0.6 * base.baseline
            + np.where(base.arm == "radsec", effect, 0)
            + rng.normal(0, 3.5, len(base))
        )
        outcome[rng.random(len(base)) < 0.1] = np.nan
        frames[name] = base.assign(outcome=outcome)
    return frames


def test_secondary_outcomes_get_holm_adjusted_p_values_and_the_primary_does_not() -> None:
    frames = outcome_frames(31)
    data = {name: trial(frame, "site") for name, frame in frames.items()}
    found = analyse_outcomes(("phq9", data.pop("phq9")), data, m=3)
    assert list(found) == ["phq9", "gad7", "shame", "ceas"]
    assert found["phq9"].primary and found["phq9"].holm is None
    secondaries = [found[name] for name in ("gad7", "shame", "ceas")]
    assert not any(r.primary for r in secondaries)
    for family in ("ancova", "ancova_imputed"):
        raw = [getattr(r, family).p for r in secondaries]
        adjusted = [getattr(r.holm, family) for r in secondaries]
        assert adjusted == pytest.approx(list(multipletests(raw, method="holm")[1]), abs=1e-6)
    assert all(r.holm is not None and r.holm.mixed is None for r in secondaries)


def test_with_clusters_the_mixed_model_p_values_are_adjusted_too() -> None:
    frame = cohorts(7)
    rng = np.random.default_rng(7)
    second = frame.assign(outcome=frame.outcome + rng.normal(0, 2, len(frame)))
    found = analyse_outcomes(
        ("primary", cluster_trial(frame)),
        {
            "second": cluster_trial(second),
            "third": cluster_trial(second.assign(outcome=second.outcome[::-1].values)),
        },
        clusters=frame["cohort"].to_numpy(),
        m=2,
    )
    raw = [found[name].mixed.p for name in ("second", "third")]  # type: ignore[union-attr]
    adjusted = [found[name].holm.mixed for name in ("second", "third")]  # type: ignore[union-attr]
    assert adjusted == pytest.approx(list(multipletests(raw, method="holm")[1]), abs=1e-6)


def test_the_primary_cannot_also_be_a_secondary() -> None:
    data = trial(seeded(seed=2))
    with pytest.raises(TrialDataError, match="both the primary and a secondary"):
        analyse_outcomes(("phq9", data), {"phq9": data}, m=2)
