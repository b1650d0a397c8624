"""`carecommons analyse_trial FILE.csv --outcome COL --baseline COL --arm COL --treatment VALUE`:
the standard analyses of a two-arm trial run elsewhere, so an evaluator can check the numbers on
any CSV (issue 14 point 6). One row per randomised person. An empty outcome or baseline is
missing; a covariate column that is not numeric is categorical. Differences are the treatment arm
minus the other. Bad input exits non-zero with a message saying what is wrong."""

import csv
import json
import math
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from carecommons.trials.analysis import (
    Covariate,
    Estimate,
    TrialData,
    TrialDataError,
    ancova,
    ancova_imputed,
    complete_rows,
    hedges_g,
    morris_dppc2,
)


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


def read(path: Path, options: dict[str, Any]) -> tuple[TrialData, int]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            columns = rows[0].keys() if rows else []
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
    wanted = [options["outcome"], options["baseline"], options["arm"], *options["covariate"]]
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
        return TrialData(outcome=outcome, baseline=baseline, treated=treated, covariates=covariates), len(
            rows
        )
    except TrialDataError as error:
        raise CommandError(str(error)) from None


def as_dict(estimate: Estimate) -> dict[str, Any]:
    return {"estimate": estimate.estimate, "se": estimate.se, "ci95": list(estimate.ci95), "p": estimate.p}


class Command(BaseCommand):
    help = (
        "Analyse a two-arm trial from a CSV: ANCOVA (complete cases and imputed), Hedges' g, Morris d_ppc2."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--outcome", required=True, help="the outcome column (follow-up score)")
        parser.add_argument("--baseline", required=True, help="the baseline column")
        parser.add_argument("--arm", required=True, help="the column naming each person's arm")
        parser.add_argument("--treatment", required=True, help="the arm column's value for the treatment arm")
        parser.add_argument("--covariate", action="append", default=[], help="another covariate; repeat")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        data, randomised = read(options["file"], options)
        rows = complete_rows(data)
        treated, control = rows & data.treated, rows & ~data.treated
        try:
            result: dict[str, Any] = {
                "n_randomised": randomised,
                "n_complete": int(rows.sum()),
                "n_complete_by_arm": {
                    options["treatment"]: int(treated.sum()),
                    "other": int(control.sum()),
                },
                "ancova": as_dict(ancova(data)),
                "ancova_imputed": as_dict(ancova_imputed(data)),
            }
            g = hedges_g(data.outcome[treated], data.outcome[control])
            d = morris_dppc2(
                data.baseline[treated], data.outcome[treated], data.baseline[control], data.outcome[control]
            )
        except TrialDataError as error:
            raise CommandError(str(error)) from None
        result |= {
            "hedges_g": g.value,
            "hedges_g_ci95": list(g.ci95),
            "morris_dppc2": d.value,
            "morris_dppc2_ci95": list(d.ci95),
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2))
            return
        a, mi = result["ancova"], result["ancova_imputed"]
        self.stdout.write(
            "\n".join(
                [
                    f"Randomised: {randomised}; complete cases: {result['n_complete']} "
                    f"({treated.sum()} in {options['treatment']}, {control.sum()} in the other arm)",
                    f"ANCOVA, complete cases: {a['estimate']:.3f} (95% CI {a['ci95'][0]:.3f} to "
                    f"{a['ci95'][1]:.3f}), p = {a['p']:.4f}",
                    f"ANCOVA, imputed (m = 20): {mi['estimate']:.3f} (95% CI {mi['ci95'][0]:.3f} to "
                    f"{mi['ci95'][1]:.3f}), p = {mi['p']:.4f}",
                    f"Hedges' g: {g.value:.3f} (95% CI {g.ci95[0]:.3f} to {g.ci95[1]:.3f})",
                    f"Morris d_ppc2: {d.value:.3f} (95% CI {d.ci95[0]:.3f} to {d.ci95[1]:.3f})",
                ]
            )
        )
