"""The ripple effects section of a trial's evaluation report: the programme's rounds, map and
capitals, the quotes whose givers let them go beyond their round and no others, and small counts
hidden in the shared version."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carecommons.accounts.models import User
from carecommons.programmes.models import Programme
from carecommons.ripples.evaluation_report import ripple_section
from carecommons.ripples.models import EvidenceShare, MappingRound
from carecommons.ripples.tests.factories import give, make_round, ripple
from carecommons.trials.models import ReportStatus
from carecommons.trials.tests.factories import go_live, make_trial, make_trial_programme, ready_report

pytestmark = pytest.mark.django_db
ROUND_ONLY = "Only for the people in the room"
BEYOND = "You may tell anyone: I run the lunch club now"


@pytest.fixture
def programme() -> Programme:
    return make_trial_programme()


@pytest.fixture
def mapped(programme: Programme, facilitator: User, participant: User) -> MappingRound:
    """One round in March 2025, three levels of ripples, a quote for the round and one beyond it."""
    held = make_round(facilitator, participant, programme=programme, held_on=date(2025, 3, 4))
    first = ripple(held, facilitator, "People kept meeting after the course", capitals=("social", "human"))
    second = ripple(held, facilitator, "They started a lunch club", parent=first, capitals=("social",))
    ripple(held, facilitator, "The council lent them a hall", parent=second, capitals=("built",))
    for n in range(5):
        ripple(held, facilitator, f"Neighbour {n} joined", parent=first, capitals=("social",))
    for quote, shared in ((ROUND_ONLY, EvidenceShare.ROUND), (BEYOND, EvidenceShare.BEYOND)):
        give(second, facilitator, participant, quote, shared)
    return held


def capitals_table(html: str) -> str:
    return html.split("<caption>Ripples per community capital</caption>")[1].split("</table>")[0]


def test_a_trials_report_shows_the_programmes_ripples_and_only_the_quotes_let_beyond_the_round(
    programme: Programme, mapped: MappingRound, evaluator: User
):
    built = ready_report(go_live(make_trial(evaluator, programme=programme), evaluator), evaluator)
    assert built.status == ReportStatus.READY, built.error
    for html in (built.html, built.html_shared):
        section = html.split('<section aria-labelledby="section-ripples">')[1].split("</section>")[0]
        assert "Spring map, 4 March 2025" in section
        assert "3 levels deep" in section
        assert "People kept meeting after the course" in section and "They started a lunch club" in section
        assert "The council lent them a hall" not in section  # the third level
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in section
        assert BEYOND in section
        assert ROUND_ONLY not in html
        assert "Participant" not in section  # quotes go without names
    assert "The map holds 8 ripples" in built.html
    assert '<th scope="row">Built</th><td>1</td>' in capitals_table(built.html)
    assert "The map holds 8 ripples" in built.html_shared
    assert '<th scope="row">Built</th><td>fewer than 5</td>' in capitals_table(built.html_shared)
    assert '<th scope="row">Social</th><td>7</td>' in capitals_table(built.html_shared)


def test_small_counts_are_hidden_in_the_shared_version_only(programme: Programme, facilitator: User):
    held = make_round(facilitator, programme=programme, held_on=date(2025, 3, 4))
    ripple(held, facilitator, "A bench was mended", capitals=("built",))
    full, shared = ripple_section(programme, False), ripple_section(programme, True)
    assert full is not None and shared is not None
    assert "The map holds 1 ripple," in full and "1 level deep" in full
    assert "The map holds fewer than 5 ripples" in shared
    assert "<td>1</td>" not in capitals_table(shared)
    assert "1 positive" not in shared and "fewer than 5 positive" in shared


def test_a_programme_without_rounds_has_nothing_to_report(programme: Programme, facilitator: User):
    make_round(facilitator, held_on=date(2025, 3, 4))  # another programme's
    assert ripple_section(programme, False) is None


def test_a_round_not_held_yet_is_not_among_the_rounds_held(programme: Programme, facilitator: User):
    make_round(facilitator, programme=programme, title="Summer map", held_on=date(2025, 3, 4))
    make_round(facilitator, programme=programme, title="Autumn map", held_on=date(2099, 9, 1))
    section = ripple_section(programme, False)
    assert section is not None
    assert "Summer map" in section and "Autumn map" not in section
    assert "No ripples have been mapped yet." in section


def test_the_section_reads_a_fixed_number_of_queries(
    programme: Programme, mapped: MappingRound, facilitator: User
):
    with CaptureQueriesContext(connection) as few:
        ripple_section(programme, False)
    for n in range(10):
        ripple(mapped, facilitator, f"Ripple {n}", capitals=("natural",))
    with CaptureQueriesContext(connection) as many:
        ripple_section(programme, False)
    assert len(many) == len(few) <= 4


def test_words_people_typed_reach_the_report_as_text_never_as_markup(
    programme: Programme, facilitator: User, participant: User
):
    held = make_round(
        facilitator, participant, programme=programme, held_on=date(2025, 3, 4), title="<i>Map</i>"
    )
    typed = ripple(held, facilitator, '<img src="http://example.org/x.png"> fair')
    give(typed, facilitator, participant, "<script>alert(1)</script>", EvidenceShare.BEYOND)
    section = ripple_section(programme, False)
    assert section is not None
    assert "<img" not in section and "<script" not in section and "<i>" not in section
    assert "&lt;img src=&quot;http://example.org/x.png&quot;&gt; fair" in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
