"""`carecommons analyse_trial FILE.csv --outcome COL --baseline COL --arm COL --treatment VALUE`:
the standard analyses of a two-arm trial run elsewhere, so an evaluator can check the numbers on
any CSV (issue 14 point 6). One row per randomised person. An empty outcome or baseline is
missing; a covariate column that is not numeric is categorical; `--cluster COL` names each
person's cluster and adds the mixed model and its ICC. Differences are the treatment arm minus the
other. Bad input exits non-zero with a message saying what is wrong. The figures come from
`trials.outcomes.analyse_outcome`, the same function the evaluation report uses."""

import csv
import json
import math
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from carecommons.trials.analysis import IMPUTATIONS, Covariate, Estimate, TrialData, TrialDataError
from carecommons.trials.outcomes import OutcomeResult, analyse_outcome


def number(value: str, column: str, line: int) -> float:
    text = value.strip()
    if not text:
        return math.nan
    try:
        found = float(text)
    except ValueError:
        raise CommandError(f"Line {line}: {column} must be a number or empty, not {text!r}.") from None
    if not math.isfinite(found):
        raise CommandError(f"Line {line}: {column} must be a finite number, not {text!r}.")
    return found


def read(path: Path, options: dict[str, Any]) -> tuple[TrialData, list[str] | None]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            columns = rows[0].keys() if rows else []
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
    cluster = [options["cluster"]] if options["cluster"] else []
    wanted = [options["outcome"], options["baseline"], options["arm"], *options["covariate"], *cluster]
    if missing := [name for name in wanted if name not in columns]:
        raise CommandError(f"No column named {', '.join(missing)} in {path}.")
    arms = [row[options["arm"]].strip() for row in rows]
    if options["treatment"] not in arms:
        raise CommandError(f"No row has {options['arm']} = {options['treatment']!r}.")
    outcome = np.array([number(r[options["outcome"]], options["outcome"], i + 2) for i, r in enumerate(rows)])
    baseline = np.array(
        [number(r[options["baseline"]], options["baseline"], i + 2) for i, r in enumerate(rows)]
    )
    covariates = []
    for name in options["covariate"]:
        raw = [row[name].strip() for row in rows]
        try:
            values: list[float] | list[str] = [float(v) for v in raw]
            covariates.append(Covariate(name=name, values=values, categorical=False))
        except ValueError:
            covariates.append(Covariate(name=name, values=raw, categorical=True))
    treated = np.array([arm == options["treatment"] for arm in arms])
    try:
        data = TrialData(outcome=outcome, baseline=baseline, treated=treated, covariates=covariates)
    except TrialDataError as error:
        raise CommandError(str(error)) from None
    return data, clusters(rows, options["cluster"]) if options["cluster"] else None


def clusters(rows: list[dict[str, str]], column: str) -> list[str]:
    labels = [row[column].strip() for row in rows]
    if empty := [i + 2 for i, label in enumerate(labels) if not label]:
        raise CommandError(f"Line {empty[0]}: {column} is empty; every person needs a cluster.")
    return labels


def as_dict(estimate: Estimate) -> dict[str, Any]:
    return {"estimate": estimate.estimate, "se": estimate.se, "ci95": list(estimate.ci95), "p": estimate.p}


def as_json(result: OutcomeResult, treatment: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "n_randomised": result.n_randomised,
        "n_complete": result.n_complete,
        "n_complete_by_arm": {
            treatment: result.n_complete_by_arm.treatment,
            "other": result.n_complete_by_arm.control,
        },
        "ancova": as_dict(result.ancova),
        "ancova_imputed": as_dict(result.ancova_imputed),
        "hedges_g": result.hedges_g.value,
        "hedges_g_ci95": list(result.hedges_g.ci95),
        "morris_dppc2": result.morris_dppc2.value,
        "morris_dppc2_ci95": list(result.morris_dppc2.ci95),
    }
    if result.mixed is not None:
        found |= {"mixed": as_dict(result.mixed), "icc": result.icc}
    return found


def as_text(result: OutcomeResult, treatment: str, imputations: int) -> str:
    a, mi, g, d = result.ancova, result.ancova_imputed, result.hedges_g, result.morris_dppc2
    lines = [
        f"Randomised: {result.n_randomised}; complete cases: {result.n_complete} "
        f"({result.n_complete_by_arm.treatment} in {treatment}, "
        f"{result.n_complete_by_arm.control} in the other arm)",
        f"ANCOVA, complete cases: {a.estimate:.3f} (95% CI {a.ci95[0]:.3f} to {a.ci95[1]:.3f}), "
        f"p = {a.p:.4f}",
        f"ANCOVA, imputed (m = {imputations}): {mi.estimate:.3f} (95% CI {mi.ci95[0]:.3f} to "
        f"{mi.ci95[1]:.3f}), p = {mi.p:.4f}",
    ]
    if result.mixed is not None and result.icc is not None:
        x = result.mixed
        lines.append(
            f"Mixed model, random intercept per cluster: {x.estimate:.3f} (95% CI {x.ci95[0]:.3f} to "
            f"{x.ci95[1]:.3f}), p = {x.p:.4f}; ICC {result.icc:.3f}"
        )
    lines += [
        f"Hedges' g: {g.value:.3f} (95% CI {g.ci95[0]:.3f} to {g.ci95[1]:.3f})",
        f"Morris d_ppc2: {d.value:.3f} (95% CI {d.ci95[0]:.3f} to {d.ci95[1]:.3f})",
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Analyse a two-arm trial from a CSV: ANCOVA (complete cases and imputed), a mixed model for "
        "cluster allocation, Hedges' g, Morris d_ppc2."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--outcome", required=True, help="the outcome column (follow-up score)")
        parser.add_argument("--baseline", required=True, help="the baseline column")
        parser.add_argument("--arm", required=True, help="the column naming each person's arm")
        parser.add_argument("--treatment", required=True, help="the arm column's value for the treatment arm")
        parser.add_argument("--covariate", action="append", default=[], help="another covariate; repeat")
        parser.add_argument("--cluster", help="the column naming each person's cluster (cohort or group)")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        data, labels = read(options["file"], options)
        try:
            result = analyse_outcome(data, clusters=labels)
        except TrialDataError as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_json(result, options["treatment"]), indent=2))
        else:
            self.stdout.write(as_text(result, options["treatment"], IMPUTATIONS))
