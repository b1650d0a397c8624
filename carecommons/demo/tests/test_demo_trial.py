from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.trials.models import Trial, TrialStatus

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_completed_trial_the_evaluator_can_check(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    out = StringIO()
    call_command("demo", stdout=out)
    trial = Trial.objects.get(programme__name="Growing Cultures of Radical Caring")
    assert f"/trials/{trial.uuid}/" in out.getvalue()
    assert trial.status == TrialStatus.CLOSED and trial.sap_locked and trial.plan_changes.count() == 1
    assert trial.participants.count() == 120
    assert sorted(trial.factors.get().levels) == ["Hackney", "Salford"]
    evaluator = User.objects.get(email="evaluator@example.org")
    assert trial.statistician == evaluator
    client = Client()
    client.force_login(evaluator)
    page = client.get(reverse("trials:sequence", args=[trial.uuid])).content.decode()
    assert "Matches" in page and "Does not match" not in page
    assert "Permuted blocks of random sizes, stratified by Site" in page
    detail = client.get(reverse("trials:trial_detail", args=[trial.uuid])).content.decode()
    assert "These figures do not add up" not in detail and "Waiting list" in detail
    report = trial.reports.get()
    assert report.status == "ready" and not report.blinded, report.error
    assert "Radical Self-Care course" in report.html and "Deviations from the plan" in report.html
