"""The trial's primary analysis, ANCOVA on complete cases, at 1,000,000 and 10,000,000 people,
against statsmodels' formula API on the same data in the same run (issue 14: ≤ 1 s and ≤ 5 s).

The rows are made in memory with a seeded NumPy generator (no database): half the people in each
arm, a two-level stratum (the site) as integer codes, a baseline score, an outcome that depends on
all three, and 2 % of outcomes missing. Our side is `trials.analysis.ancova` on a `TrialData`
(median of three runs; the first pays for fresh memory). The anchor is
`statsmodels.formula.api.ols("outcome ~ baseline + treated + C(site)", data).fit()`, timed once at
each size, on a DataFrame of the same arrays (about 30 s and 2 GB at ten million rows). Before
reporting, the arm's estimate and standard error must agree with statsmodels' to 1e-6, or the run
fails.
"""

import statistics
import sys
import time

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
import support

sys.path.insert(0, str(support.ROOT))

from carecommons.trials.analysis import Covariate, Estimate, TrialData, ancova

SIZES = {"1m": 1_000_000, "10m": 10_000_000}
RUNS = 3
SEED = 20261201
MISSING_SHARE = 0.02


def make_trial(people: int, seed: int) -> TrialData:
    rng = np.random.default_rng(seed)
    treated = rng.permutation(np.arange(people) % 2 == 0)
    site = rng.integers(0, 2, people).astype(np.int8)
    baseline = rng.normal(14, 5, people)
    outcome = 2 + 0.6 * baseline - 3.0 * treated + 1.0 * site + rng.normal(0, 3.5, people)
    outcome[rng.random(people) < MISSING_SHARE] = np.nan
    return TrialData(
        outcome=outcome,
        baseline=baseline,
        treated=treated,
        covariates=[Covariate(name="site", values=site, categorical=True)],
    )


def ours(data: TrialData) -> tuple[Estimate, float]:
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        found = ancova(data)
        seconds.append(time.perf_counter() - started)
    support.log(f"ours: {', '.join(f'{s:.3f}' for s in seconds)} s")
    return found, statistics.median(seconds)


def statsmodels_side(data: TrialData) -> tuple[float, float, float]:
    frame = pd.DataFrame(
        {
            "outcome": data.outcome,
            "baseline": data.baseline,
            "treated": data.treated.astype(float),
            "site": np.asarray(data.covariates[0].values),
        }
    )
    started = time.perf_counter()
    fit = smf.ols("outcome ~ baseline + treated + C(site)", data=frame).fit()
    seconds = time.perf_counter() - started
    support.log(f"statsmodels: {seconds:.1f} s")
    return float(fit.params["treated"]), float(fit.bse["treated"]), seconds


def main() -> list[str]:
    lines = []
    for label, people in SIZES.items():
        data = make_trial(people, SEED)
        support.log(f"{people:,} people, {int(np.isnan(data.outcome).sum()):,} outcomes missing")
        found, seconds = ours(data)
        estimate, se, anchor = statsmodels_side(data)
        if abs(found.estimate - estimate) > 1e-6 or abs(found.se - se) > 1e-6:
            raise SystemExit(
                f"ANCOVA disagrees with statsmodels at {people:,}: "
                f"{found.estimate!r} ± {found.se!r} against {estimate!r} ± {se!r}"
            )
        lines.append(support.line(f"trial_ancova_{label}", seconds, "s", anchor))
    return lines


if __name__ == "__main__":
    for line in main():
        print(line, flush=True)
