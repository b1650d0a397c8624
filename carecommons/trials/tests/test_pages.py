"""Trial pages through the browser's eyes: forms keep what was typed and say what is wrong beside the
field; allocating twice allocates once; the lists' pages cost the same queries however many people."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.trials import services
from carecommons.trials.models import Allocation, PlanChange, Trial
from carecommons.trials.tests.factories import (
    allocated,
    go_live,
    make_trial,
    make_trial_programme,
    ready_participant,
    trial_cohort,
    wave_of,
)

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]


def beside(page: str, message: str, field: str) -> bool:
    """The message sits in the field's own block, before its input."""
    at, named = page.find(message), page.find(f'name="{field}"')
    start = page.rfind('<div class="form-field', 0, at)
    return 0 <= start < at < named and "has-error" in page[start:at] and 'name="' not in page[at:named]


def design_data(evaluator: User, **changes: Any) -> dict[str, Any]:
    programme = make_trial_programme()
    data = {
        "title": "Course against waiting list",
        "registration": "",
        "programme_arm": "Radical Self-Care course",
        "programme_ratio": 1,
        "comparison_arm": "Waiting list",
        "comparison_ratio": 1,
        "unit": "person",
        "method": "blocks",
        "block_multiples": "1, 2",
        "best_probability": 0.8,
        "factors": "Site: Hackney, Salford",
        "baseline_wave": wave_of(programme, "baseline").pk,
        "primary_outcome": f"phq9@{wave_of(programme, 'end').uuid}",
        "questions": "Aged 18 or over?",
        "received_min_sessions": 4,
        "statistician": evaluator.pk,
        "programme": str(programme.uuid),
    }
    return data | changes


def post_design(client: Client, data: dict[str, Any]) -> Any:
    return client.post(reverse("trials:trial_create", args=[data["programme"]]), data)


def test_an_evaluator_defines_a_trial_on_one_page(evaluator: User, client_for: Clients) -> None:
    response = post_design(client_for(evaluator), design_data(evaluator))
    trial = Trial.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "trials:trial_detail", args=[trial.uuid]
    )
    assert [f.levels for f in trial.factors.all()] == [["Hackney", "Salford"]]
    assert [(a.name, a.is_treatment) for a in trial.arms.all()] == [
        ("Radical Self-Care course", True),
        ("Waiting list", False),
    ]


def test_sending_the_trial_form_twice_defines_one_trial(evaluator: User, client_for: Clients) -> None:
    client = client_for(evaluator)
    data = {**design_data(evaluator), "submission": str(uuid.uuid4())}
    first, second = post_design(client, data), post_design(client, data)
    trial = Trial.objects.get()
    assert first["Location"] == second["Location"] == reverse("trials:trial_detail", args=[trial.uuid])


def test_a_bad_factors_line_is_shown_beside_the_field_with_what_was_typed(
    evaluator: User, client_for: Clients
) -> None:
    data = design_data(evaluator, factors="Site Hackney Salford", title="My typed title")
    response = post_design(client_for(evaluator), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Trial.objects.exists()
    assert beside(page, "Line 1: write the factor", "factors")
    assert "Site Hackney Salford</textarea>" in page and 'value="My typed title"' in page


def test_a_design_without_a_primary_outcome_is_refused_beside_that_field(
    evaluator: User, client_for: Clients
) -> None:
    data = design_data(evaluator, primary_outcome="", questions="Lives in Hackney?")
    page = post_design(client_for(evaluator), data).content.decode()
    assert not Trial.objects.exists()
    assert beside(page, "This field is required.", "primary_outcome")
    assert "Lives in Hackney?</textarea>" in page


def test_a_locked_plan_changed_without_a_reason_says_so_beside_the_reason(
    evaluator: User, client_for: Clients
) -> None:
    trial = make_trial(evaluator)
    services.lock_plan(trial=trial, by=evaluator)
    typed = "ANCOVA adjusted for site and cohort."
    data = {
        name: getattr(trial, name) for name in ("sap_objectives", "sap_sample_size", "sap_secondary_analysis")
    }
    data |= {"sap_primary_analysis": typed, "reason": ""}
    page = client_for(evaluator).post(reverse("trials:plan_edit", args=[trial.uuid]), data).content.decode()
    assert beside(page, "Say why the locked plan changes", "reason")
    assert f"{typed}</textarea>" in page and not PlanChange.objects.exists()
    response = client_for(evaluator).post(
        reverse("trials:plan_edit", args=[trial.uuid]), data | {"reason": "Cohorts differ in size."}
    )
    assert response.status_code == 302 and PlanChange.objects.get().reason == "Cohorts differ in size."


def test_allocating_twice_through_the_page_allocates_once(
    evaluator: User, convenor: User, client_for: Clients
) -> None:
    trial = make_trial(evaluator)
    participant = ready_participant(trial, convenor, trial_cohort(trial))
    url = reverse("trials:allocate", args=[trial.uuid, participant.uuid])
    client = client_for(convenor)
    assert client.post(url).status_code == 200  # the confirmation page; nothing allocated yet
    assert not Allocation.objects.exists()
    first = client.post(url, {"confirm": "yes"}, follow=True).content.decode()
    second = client.post(url, {"confirm": "yes"}, follow=True).content.decode()
    allocation = Allocation.objects.get()
    assert allocation.arm.name in first and allocation.arm.name in second


def test_screening_keeps_what_was_typed_and_asks_for_each_answer(
    evaluator: User, convenor: User, client_for: Clients
) -> None:
    trial = make_trial(evaluator)
    trial_cohort(trial)
    question = trial.eligibility_questions.first()
    assert question is not None
    page = (
        client_for(convenor)
        .post(reverse("trials:screen", args=[trial.uuid]), {"other": "Moving soon"})
        .content
    )
    assert beside(page.decode(), "This field is required.", "enrolment")
    assert 'value="Moving soon"' in page.decode() and not trial.participants.exists()


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["trials:participant_list", "trials:trial_detail"])
def test_the_trial_pages_cost_the_same_queries_however_many_people(
    name: str, evaluator: User, convenor: User, client_for: Clients
) -> None:
    trial = make_trial(evaluator)
    go_live(trial, evaluator)
    cohort = trial_cohort(trial)
    url = reverse(name, args=[trial.uuid])
    allocated(trial, convenor, cohort, name="First")
    counts = {user.email: queries(client_for(user), url) for user in (evaluator, convenor)}
    for number in range(5):
        allocated(trial, convenor, cohort, name=f"More{number}", site="Salford" if number % 2 else "Hackney")
    ready_participant(trial, convenor, cohort, name="Waiting")
    assert {user.email: queries(client_for(user), url) for user in (evaluator, convenor)} == counts
