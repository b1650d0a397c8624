"""Expected statuses for the trials' URLs (see tests/matrix.py for what each field means).

Evaluators design trials, write and lock the plan, open and close the lists and build reports;
convenors screen and allocate; both read a trial, its people (evaluators by pseudonym) and its
reports. The randomisation secret is for the trial's statistician alone: the target trial names
the evaluator persona once it exists, so another evaluator would get a 404 (trials/tests). Everyone
else gets a 404."""

from typing import Any

from carecommons.accounts.models import Role, User
from carecommons.trials.models import Trial
from carecommons.trials.tests.factories import (
    applicant,
    make_trial,
    ready_participant,
    ready_report,
    screen,
    trial_cohort,
)
from conftest import make_user
from tests.matrix import ANON, CONVENOR_ONLY, Case, unique_name

BOTH = {"evaluator": 200}
EVALUATORS = {"evaluator": 200}


def staff() -> tuple[User, User]:
    """The trial's statistician (the evaluator persona when it exists) and a convenor outside the cast."""
    statistician = User.objects.filter(email="evaluator@example.org").first() or make_user(
        unique_name("statistician").replace(" ", "-"), [Role.EVALUATOR]
    )
    convenor = make_user(unique_name("screener").replace(" ", "-"), [Role.CONVENOR])
    return statistician, convenor


def target(**changes: Any) -> tuple[Trial, User]:
    statistician, convenor = staff()
    return make_trial(statistician, **changes), convenor


def programme_args() -> dict[str, Any]:
    return {"programme_id": target()[0].programme.uuid}


def trial_args() -> dict[str, Any]:
    return {"trial_id": target()[0].uuid}


def participant_args() -> dict[str, Any]:
    trial, convenor = target()
    participant = ready_participant(trial, convenor, trial_cohort(trial))
    return {"trial_id": trial.uuid, "participant_id": participant.uuid}


def cohort_args() -> dict[str, Any]:
    trial, convenor = target(unit="cohort")
    cohort = trial_cohort(trial)
    screen(trial, convenor, applicant(cohort), cohort)
    return {"trial_id": trial.uuid, "cohort_id": cohort.uuid}


def report_args() -> dict[str, Any]:
    trial = target()[0]
    return {"trial_id": trial.uuid, "report_id": ready_report(trial, trial.statistician).uuid}


MATRIX: dict[str, Case] = {
    "trials:trial_list": Case(CONVENOR_ONLY, overrides=BOTH),
    "trials:choose_programme": Case(ANON, overrides=EVALUATORS),
    "trials:trial_create": Case(ANON, args=programme_args, overrides=EVALUATORS),
    "trials:trial_detail": Case(CONVENOR_ONLY, args=trial_args, overrides=BOTH),
    "trials:trial_edit": Case(ANON, args=trial_args, overrides=EVALUATORS),
    "trials:plan_edit": Case(ANON, args=trial_args, overrides=EVALUATORS),
    "trials:plan_lock": Case(ANON, args=trial_args, overrides=EVALUATORS),
    "trials:open_live": Case(ANON, args=trial_args, overrides=EVALUATORS),
    "trials:close_recruitment": Case(ANON, args=trial_args, overrides=EVALUATORS),
    "trials:clear_test_list": Case(ANON, args=trial_args, overrides=EVALUATORS),
    "trials:participant_list": Case(CONVENOR_ONLY, args=trial_args, overrides=BOTH),
    "trials:screen": Case(CONVENOR_ONLY, args=trial_args),
    "trials:participant_detail": Case(CONVENOR_ONLY, args=participant_args),
    "trials:allocate": Case(CONVENOR_ONLY, args=participant_args),
    "trials:discontinue": Case(CONVENOR_ONLY, args=participant_args),
    "trials:cohort_allocate": Case(CONVENOR_ONLY, args=cohort_args),
    "trials:sequence": Case(ANON, args=trial_args, overrides=EVALUATORS),
    "trials:report_request": Case(ANON, args=trial_args, overrides={"evaluator": 302}),
    "trials:report_detail": Case(CONVENOR_ONLY, args=report_args, overrides=BOTH),
    "trials:report_html": Case(CONVENOR_ONLY, args=report_args, overrides=BOTH),
    "trials:report_pdf": Case(CONVENOR_ONLY, args=report_args, overrides=BOTH),
}
