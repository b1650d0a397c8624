"""Who sees what of a trial: the evaluation team blinded to arms until the plan is locked and never
shown names; convenors see names and arms; the statistician alone sees the secret; everyone else
gets a 404 on every trial page."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import Role, User
from carecommons.trials import services
from carecommons.trials.models import Trial
from carecommons.trials.tests.factories import allocated, go_live, make_trial, ready_report, trial_cohort
from conftest import make_user

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]


def live_trial(evaluator: User, convenor: User, people: int = 4) -> Trial:
    trial = make_trial(evaluator)
    go_live(trial, evaluator)
    cohort = trial_cohort(trial)
    for number in range(people):
        allocated(trial, convenor, cohort, name=f"Zuleika{number}")
    return trial


def page(client: Client, name: str, trial: Trial) -> str:
    response = client.get(reverse(name, args=[trial.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def consort_part(html: str) -> str:
    return html[html.index('id="consort-heading"') : html.index('id="report-heading"')]


def test_an_evaluator_sees_arms_as_a_and_b_until_the_plan_is_locked_then_by_name(
    evaluator: User, convenor: User, client_for: Clients
) -> None:
    trial = live_trial(evaluator, convenor)
    client = client_for(evaluator)
    people = page(client, "trials:participant_list", trial)
    consort = consort_part(page(client, "trials:trial_detail", trial))
    for html in (people, consort):
        assert "Arm A" in html or "Arm B" in html
        assert "Radical Self-Care course" not in html and "Waiting list" not in html
    services.lock_plan(trial=trial, by=evaluator)
    people = page(client, "trials:participant_list", trial)
    consort = consort_part(page(client, "trials:trial_detail", trial))
    for html in (people, consort):
        assert "Radical Self-Care course" in html or "Waiting list" in html
        assert "Arm A" not in html and "Arm B" not in html


def test_convenors_see_names_and_arms_and_evaluators_see_pseudonyms_only(
    evaluator: User, convenor: User, client_for: Clients
) -> None:
    trial = live_trial(evaluator, convenor)
    for_convenor = page(client_for(convenor), "trials:participant_list", trial)
    assert for_convenor.count("Zuleika") == 4
    assert "Radical Self-Care course" in for_convenor or "Waiting list" in for_convenor
    for_evaluator = page(client_for(evaluator), "trials:participant_list", trial)
    assert "Zuleika" not in for_evaluator and "Cohort 1" not in for_evaluator
    assert "research pseudonym" in for_evaluator


def test_the_statistician_alone_sees_the_secret_and_every_check_matches(
    evaluator: User, convenor: User, client_for: Clients
) -> None:
    trial = make_trial(evaluator)
    cohort = trial_cohort(trial)
    for number in range(3):
        allocated(trial, convenor, cohort, name=f"Tess{number}")
    go_live(trial, evaluator)
    for number in range(5):
        allocated(trial, convenor, cohort, name=f"Liv{number}", site="Salford" if number % 2 else "Hackney")
    html = page(client_for(evaluator), "trials:sequence", trial)
    trial.refresh_from_db()
    assert trial.secret in html
    assert html.count("<td>Matches</td>") == 8 and "Does not match" not in html
    colleague = make_user("colleague", [Role.EVALUATOR])
    url = reverse("trials:sequence", args=[trial.uuid])
    for other in (colleague, convenor):
        response = client_for(other).get(url)
        assert response.status_code == 404 and trial.secret not in response.content.decode()
    assert trial.secret not in page(client_for(colleague), "trials:trial_detail", trial)


def test_evaluators_read_the_full_report_and_convenors_the_shared_one(
    evaluator: User, convenor: User, client_for: Clients
) -> None:
    trial = make_trial(evaluator)
    report = ready_report(trial, evaluator)
    url = reverse("trials:report_html", args=[trial.uuid, report.uuid])
    assert report.html != report.html_shared
    assert client_for(evaluator).get(url).content.decode() == report.html
    assert client_for(convenor).get(url).content.decode() == report.html_shared


@pytest.mark.parametrize("persona", ["facilitator", "participant", "organiser", "treasurer", "outsider"])
def test_every_trial_page_is_a_404_for_anyone_outside_the_trial_team(
    persona: str, evaluator: User, convenor: User, make_persona: Callable[[str], User], client_for: Clients
) -> None:
    trial = live_trial(evaluator, convenor, people=1)
    participant = trial.participants.get()
    report = ready_report(trial, evaluator)
    client = client_for(make_persona(persona))
    urls = [
        reverse("trials:trial_list"),
        reverse("trials:choose_programme"),
        reverse("trials:trial_create", args=[trial.programme.uuid]),
        *(
            reverse(f"trials:{name}", args=[trial.uuid])
            for name in (
                "trial_detail",
                "trial_edit",
                "plan_edit",
                "plan_lock",
                "open_live",
                "close_recruitment",
                "clear_test_list",
                "participant_list",
                "screen",
                "sequence",
                "report_request",
            )
        ),
        *(
            reverse(f"trials:{name}", args=[trial.uuid, participant.uuid])
            for name in ("participant_detail", "allocate", "discontinue")
        ),
        *(
            reverse(f"trials:{name}", args=[trial.uuid, report.uuid])
            for name in ("report_detail", "report_html", "report_pdf")
        ),
    ]
    assert {url: client.get(url).status_code for url in urls} == {url: 404 for url in urls}
    assert (
        client.post(
            reverse("trials:allocate", args=[trial.uuid, participant.uuid]), {"confirm": "yes"}
        ).status_code
        == 404
    )


def test_evaluators_cannot_screen_allocate_or_open_a_persons_page(
    evaluator: User, convenor: User, client_for: Clients
) -> None:
    trial = live_trial(evaluator, convenor, people=1)
    participant = trial.participants.get()
    client = client_for(evaluator)
    assert client.get(reverse("trials:screen", args=[trial.uuid])).status_code == 404
    for name in ("participant_detail", "allocate", "discontinue"):
        assert client.get(reverse(f"trials:{name}", args=[trial.uuid, participant.uuid])).status_code == 404


def test_convenors_cannot_design_lock_or_open_the_lists(
    evaluator: User, convenor: User, client_for: Clients
) -> None:
    trial = make_trial(evaluator)
    client = client_for(convenor)
    assert client.get(reverse("trials:choose_programme")).status_code == 404
    assert client.get(reverse("trials:trial_create", args=[trial.programme.uuid])).status_code == 404
    for name in ("trial_edit", "plan_edit", "plan_lock", "open_live", "close_recruitment", "clear_test_list"):
        assert client.get(reverse(f"trials:{name}", args=[trial.uuid])).status_code == 404
    assert client.post(reverse("trials:plan_lock", args=[trial.uuid]), {"confirm": "yes"}).status_code == 404
    trial.refresh_from_db()
    assert not trial.sap_locked
