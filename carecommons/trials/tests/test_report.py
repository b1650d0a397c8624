"""The evaluation report, built through the page and the task as an evaluator would, read back as
HTML and as a PDF (pdftotext from Debian's poppler-utils)."""

import http.server
import random
import re
import shutil
import subprocess
import threading
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.measures.tests.factories import answer, invite
from carecommons.programmes.models import Cohort
from carecommons.trials import flow, services
from carecommons.trials.models import ReportStatus, Trial, TrialReport
from carecommons.trials.tests.factories import (
    applicant,
    give_research_consent,
    go_live,
    make_trial,
    screen,
    trial_cohort,
)

ClientFor = Callable[[User], Client]


def run_trial(trial: Trial, convenor: User, cohort: Cohort, *, people: int, seed: int = 3) -> None:
    """People screened, consented, answering at baseline, allocated, and most answering later."""
    rng = random.Random(seed)
    later = [o.wave for o in trial.outcomes.select_related("wave")]
    for i in range(people):
        person = applicant(cohort, f"Person{i}")
        participant = screen(trial, convenor, person, cohort, site=("Hackney", "Salford")[i % 2])
        give_research_consent(person)
        first = invite(person, cohort=cohort, wave=trial.baseline_wave)
        answer(first, "phq9", [rng.randint(0, 3) for _ in range(10)])
        answer(first, "gad7", [rng.randint(0, 3) for _ in range(7)])
        services.allocate(participant=participant, by=convenor)
        for wave in dict.fromkeys(later):
            if rng.random() < 0.8:
                invitation = invite(person, cohort=cohort, wave=wave)
                answer(invitation, "phq9", [rng.randint(0, 3) for _ in range(10)])
                answer(invitation, "gad7", [rng.randint(0, 3) for _ in range(7)])
    excluded = applicant(cohort, "Excluded")
    screen(trial, convenor, excluded, cohort, eligible=False)


@pytest.fixture
def trial(evaluator: User, convenor: User) -> Trial:
    trial = go_live(make_trial(evaluator), evaluator)
    run_trial(trial, convenor, trial_cohort(trial), people=24)
    return trial


def build(client: Client, trial: Trial) -> TrialReport:
    response = client.post(reverse("trials:report_request", args=[trial.uuid]))
    report = TrialReport.objects.filter(trial=trial).latest("created_at")
    assert response.status_code == 302
    assert response["Location"] == reverse("trials:report_detail", args=[trial.uuid, report.uuid])
    return report


def test_an_evaluator_builds_a_report_the_worker_finishes(
    trial: Trial, evaluator: User, client_for: ClientFor
):
    report = build(client_for(evaluator), trial)
    assert report.status == ReportStatus.READY, report.error
    assert report.progress == 100
    assert report.pdf[:5] == b"%PDF-"
    page = client_for(evaluator).get(reverse("trials:report_detail", args=[trial.uuid, report.uuid]))
    assert "Download the report (PDF)" in page.content.decode()


def test_a_report_before_the_lock_names_no_arm_and_after_it_names_both(
    trial: Trial, evaluator: User, client_for: ClientFor
):
    blinded = build(client_for(evaluator), trial)
    assert blinded.blinded
    for html in (blinded.html, blinded.html_shared):
        assert "Arm A" in html and "Arm B" in html
        assert "Waiting list" not in html and "Radical Self-Care course" not in html
    services.lock_plan(trial=trial, by=evaluator)
    named = build(client_for(evaluator), trial)
    assert not named.blinded
    assert "Waiting list" in named.html and "Radical Self-Care course" in named.html
    assert "Arm A" not in named.html


def consort_numbers(html: str) -> list[str]:
    table = html.split('<section aria-labelledby="flow">')[1].split("</table>")[0]
    return re.findall(r"<td>([^<]*)</td></tr>", table)


def test_the_report_holds_the_consort_figures_of_the_data(
    trial: Trial, evaluator: User, client_for: ClientFor
):
    report = build(client_for(evaluator), trial)
    counted = flow.flow_for(trial, blinded=True)
    expected = [row.count for row in flow.rows(counted, hidden=False)]
    assert consort_numbers(report.html) == expected
    assert counted.assessed == 25 and counted.randomised == 24


def test_the_shared_report_hides_small_counts(trial: Trial, evaluator: User, client_for: ClientFor):
    report = build(client_for(evaluator), trial)
    shown = consort_numbers(report.html_shared)
    assert "1" in consort_numbers(report.html)  # one person excluded
    assert "1" not in shown and "fewer than 5" in shown


def test_convenors_read_the_shared_report_and_others_get_not_found(
    trial: Trial, evaluator: User, convenor: User, facilitator: User, client_for: ClientFor
):
    report = build(client_for(evaluator), trial)
    url = reverse("trials:report_html", args=[trial.uuid, report.uuid])
    assert client_for(convenor).get(url).content.decode() == report.html_shared
    assert client_for(evaluator).get(url).content.decode() == report.html
    assert client_for(facilitator).get(url).status_code == 404
    assert client_for(convenor).post(reverse("trials:report_request", args=[trial.uuid])).status_code == 404
    reads = AuditEvent.objects.filter(action="trial.report_read", target_id=str(report.uuid))
    assert reads.count() == 2


def test_asking_twice_while_a_report_waits_queues_one(trial: Trial, evaluator: User):
    first = TrialReport.objects.create(trial=trial, requested_by=evaluator)
    again = services.request_report(trial=trial, by=evaluator)
    assert again == first
    assert TrialReport.objects.filter(trial=trial).count() == 1


def test_a_report_that_cannot_be_built_says_why(evaluator: User, convenor: User, client_for: ClientFor):
    trial = go_live(make_trial(evaluator), evaluator)
    report = build(client_for(evaluator), trial)
    assert report.status == ReportStatus.READY
    assert "not yet enough answers in both arms" in report.html


@pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdfinfo")), reason="needs poppler-utils")
def test_the_pdf_opens_is_tagged_and_holds_the_consort_figures(
    trial: Trial, evaluator: User, client_for: ClientFor, tmp_path
):
    report = build(client_for(evaluator), trial)
    response = client_for(evaluator).get(reverse("trials:report_pdf", args=[trial.uuid, report.uuid]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Assessed for eligibility (n = 25)" in flat
    assert "Randomised (n = 24)" in flat
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), "the PDF is not tagged for accessibility"


def test_the_page_shows_progress_while_the_worker_builds_and_the_links_after(
    trial: Trial, evaluator: User, client_for: ClientFor, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(evaluator)
    report = build(client, trial)
    assert report.status == ReportStatus.QUEUED
    url = reverse("trials:report_detail", args=[trial.uuid, report.uuid])
    page = client.get(url).content.decode()
    assert "Waiting for the worker" in page and ">Refresh</a>" in page and 'hx-trigger="every 2s"' in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="report-progress"') and "<html" not in fragment
    services.run_report(report.pk)
    done = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "Download the report (PDF)" in done


def test_the_pdf_maker_fetches_nothing_even_when_the_html_asks():
    from carecommons.trials.report import pdf_of

    asked: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        address = f"http://127.0.0.1:{server.server_port}"
        html = f'<html lang="en"><title>t</title><body><img src="{address}/x.png" alt="x"></body></html>'
        pdf = pdf_of(html)
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF-")
    assert asked == []
