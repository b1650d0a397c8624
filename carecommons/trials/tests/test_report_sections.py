"""Sections that apps above trials add to the evaluation report (trials/report_sections.py), written
where the report keeps ripple effects, in both versions, and the plain sentence when there is none.
Built from a trial without participants, so the analyses have nothing to run on and stay cheap."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from carecommons.accounts.models import User
from carecommons.programmes.models import Programme
from carecommons.trials import report
from carecommons.trials.models import ReportStatus, Trial
from carecommons.trials.report_sections import NOTHING_YET, Section, declared_sections
from carecommons.trials.tests.factories import go_live, make_trial, ready_report

pytestmark = pytest.mark.django_db
NO_RIPPLES = "not part of this Care Commons"


def field_notes(programme: Programme, shared: bool) -> SafeString:
    version = "shared" if shared else "full"
    return format_html("<p>Notes on {} <b>(the {} version)</b></p>", programme.name, version)


NOTES = Section("field-notes", "Field notes", field_notes)


def nothing(programme: Programme, shared: bool) -> None:
    return None


@pytest.fixture
def trial(evaluator: User) -> Trial:
    return go_live(make_trial(evaluator), evaluator)


def written(trial: Trial, *, hidden: bool, sections: list[Section] | None) -> str:
    content = report.compute(trial, blinded=True, progress=lambda done, step: None)
    return report.render(content, hidden=hidden, stylesheet_href="", sections=sections)


def after_limitations(html: str) -> str:
    return html.split('<section aria-labelledby="limitations">')[1].split("</section>", 1)[1]


def test_a_declared_section_is_written_after_the_limitations_in_each_version(trial: Trial):
    full = after_limitations(written(trial, hidden=False, sections=[NOTES]))
    shared = after_limitations(written(trial, hidden=True, sections=[NOTES]))
    assert '<h2 id="section-field-notes">Field notes</h2>' in full
    assert "<p>Notes on Radical Self-Care <b>(the full version)</b></p>" in full
    assert "<b>(the shared version)</b>" in shared
    assert NO_RIPPLES not in full


def test_the_report_says_so_plainly_when_no_app_adds_a_section(trial: Trial):
    html = after_limitations(written(trial, hidden=False, sections=[]))
    assert '<h2 id="section-ripples">Ripple effects</h2>' in html
    assert NO_RIPPLES in html


def test_a_section_with_nothing_to_report_keeps_its_heading_and_a_plain_sentence(trial: Trial):
    quiet = [Section("quiet", "Quiet", nothing), Section("quieter", "Quieter", nothing, empty="Not yet.")]
    html = after_limitations(written(trial, hidden=False, sections=quiet))
    assert f'<h2 id="section-quiet">Quiet</h2>\n  <p>{NOTHING_YET}</p>' in html
    assert '<h2 id="section-quieter">Quieter</h2>\n  <p>Not yet.</p>' in html


def test_the_built_report_holds_every_section_the_installed_apps_declare(trial: Trial, evaluator: User):
    built = ready_report(trial, evaluator)
    assert built.status == ReportStatus.READY, built.error
    for section in declared_sections():
        for html in (built.html, built.html_shared):
            assert f'<h2 id="section-{section.key}">{section.heading}</h2>' in after_limitations(html)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_a_section_reaches_the_pdf(trial: Trial, tmp_path: Path):
    path = tmp_path / "report.pdf"
    path.write_bytes(report.pdf_of(written(trial, hidden=True, sections=[NOTES])))
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Field notes Notes on Radical Self-Care (the shared version)" in flat
