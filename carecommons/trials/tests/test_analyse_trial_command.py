"""`carecommons analyse_trial`: the numbers for a CSV of a trial run elsewhere, or a clear refusal."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import statsmodels.formula.api as smf
from django.core.management import CommandError, call_command

from carecommons.trials.tests.test_analysis import seeded
from carecommons.trials.tests.test_clustered import cohorts, statsmodels_fit

KEYS = {
    "n_randomised",
    "n_complete",
    "n_complete_by_arm",
    "ancova",
    "ancova_imputed",
    "hedges_g",
    "hedges_g_ci95",
    "morris_dppc2",
    "morris_dppc2_ci95",
}


def run(path: Path, *extra: str) -> str:
    out = StringIO()
    call_command(
        "analyse_trial", str(path), "--outcome", "outcome", "--baseline", "baseline", "--arm", "arm",
        "--treatment", "radsec", *extra, stdout=out,
    )  # fmt: skip
    return out.getvalue()


def test_json_has_every_figure_and_the_ancova_is_statsmodels(tmp_path: Path) -> None:
    frame = seeded(n=200, seed=3)
    path = tmp_path / "trial.csv"
    frame.to_csv(path, index=False, na_rep="")
    found = json.loads(run(path, "--covariate", "site", "--covariate", "age"))
    assert set(found) >= KEYS
    complete = frame.dropna(subset=["outcome"])
    assert found["n_randomised"] == 200 and found["n_complete"] == len(complete)
    assert found["n_complete_by_arm"]["radsec"] == int((complete.arm == "radsec").sum())
    fit = smf.ols(
        "outcome ~ baseline + treated + C(site) + age",
        data=complete.assign(treated=lambda f: (f.arm == "radsec") * 1.0),
    ).fit()
    assert found["ancova"]["estimate"] == pytest.approx(fit.params["treated"], abs=1e-6)
    assert found["ancova"]["p"] == pytest.approx(fit.pvalues["treated"], abs=1e-6)
    assert (
        found["ancova_imputed"]["ci95"][0]
        < found["ancova_imputed"]["estimate"]
        < found["ancova_imputed"]["ci95"][1]
    )
    assert found["hedges_g"] < 0 and found["morris_dppc2"] < 0  # the treatment lowers the score


def test_text_output_reads_as_sentences(tmp_path: Path) -> None:
    path = tmp_path / "trial.csv"
    seeded(n=120, seed=5).to_csv(path, index=False, na_rep="")
    text = run(path, "--format", "text")
    assert "ANCOVA, complete cases:" in text and "Hedges' g:" in text and "95% CI" in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns=["baseline"]), "No column named baseline"),
        (lambda f: f.assign(outcome=["lots", *f.outcome[1:]]), "Line 2: outcome must be a number"),
        (lambda f: f.assign(arm="radsec"), "only one arm"),
        (lambda f: f.assign(arm="waiting"), "No row has arm = 'radsec'"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(tmp_path: Path, change: object, message: str) -> None:
    path = tmp_path / "trial.csv"
    frame: pd.DataFrame = change(seeded(n=60, seed=9))  # type: ignore[operator]
    frame.to_csv(path, index=False, na_rep="")
    with pytest.raises(CommandError, match=message):
        run(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nowhere.csv")


def test_a_cluster_column_adds_the_mixed_model_and_icc_as_statsmodels_fits_them(tmp_path: Path) -> None:
    frame = cohorts(12)
    path = tmp_path / "cohorts.csv"
    frame.to_csv(path, index=False, na_rep="")
    found = json.loads(run(path, "--covariate", "site", "--cluster", "cohort"))
    assert set(found) >= KEYS | {"mixed", "icc"}
    fit: Any = statsmodels_fit(frame)
    assert found["mixed"]["estimate"] == pytest.approx(fit.fe_params["treated"], abs=1e-6)
    assert found["mixed"]["se"] == pytest.approx(fit.bse_fe["treated"], abs=1e-6)
    assert found["mixed"]["p"] == pytest.approx(fit.pvalues["treated"], abs=1e-6)
    assert found["mixed"]["ci95"] == pytest.approx(list(fit.conf_int().loc["treated"]), abs=1e-6)
    between = float(fit.cov_re.iloc[0, 0])
    assert found["icc"] == pytest.approx(between / (between + fit.scale), abs=1e-6)
    assert "Mixed model, random intercept per cluster:" in run(
        path, "--cluster", "cohort", "--format", "text"
    )


def test_without_a_cluster_column_there_is_no_mixed_model(tmp_path: Path) -> None:
    path = tmp_path / "trial.csv"
    seeded(n=80, seed=4).to_csv(path, index=False, na_rep="")
    assert not {"mixed", "icc"} & set(json.loads(run(path)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda f: f.astype({"cohort": object}).assign(cohort=["", *f.cohort[1:]]),
            "Line 2: cohort is empty",
        ),
        (lambda f: f.drop(columns=["cohort"]), "No column named cohort"),
        (lambda f: f.assign(cohort=1), "at least two clusters"),
    ],
)
def test_bad_clusters_are_refused_with_a_clear_message(tmp_path: Path, change: object, message: str) -> None:
    path = tmp_path / "cohorts.csv"
    frame: pd.DataFrame = change(cohorts(13))  # type: ignore[operator]
    frame.to_csv(path, index=False, na_rep="")
    with pytest.raises(CommandError, match=message):
        run(path, "--cluster", "cohort")
