"""The progress pages through the Django client: a person's own results, one response, a cohort's
change, and NHS Talking Therapies style outcomes."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.lib.small_numbers import FEWER_THAN
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.models import Invitation, Response, Wave
from carecommons.measures.reporting import charts, summaries
from carecommons.measures.running import services
from carecommons.measures.tests.factories import answer, consent_to_programme, invite, make_wave
from carecommons.people.models import ConsentPurpose, Person
from carecommons.people.services import create_person, current_wording, publish_wording, record_consent
from carecommons.programmes.models import Cohort
from carecommons.programmes.tests.factories import make_cohort, make_programme, person_of

Clients = Callable[[User], Client]
MINE = "/measures/mine/"
GAD7_SCALE = get_instrument("gad7").scale("total")
OUTCOMES = "/measures/outcomes/"


def spread_over(total: int, items: int, top: int) -> list[int]:
    """Answers to `items` items, each 0 to `top`, adding up to `total`."""
    answers = []
    for _ in range(items):
        answers.append(min(top, total))
        total -= answers[-1]
    assert total == 0
    return answers


def phq9(total: int) -> list[int]:
    return [*spread_over(total, 8, 3), 0, 0]  # item 9 stays 0: no safeguarding alert


def gad7(total: int) -> list[int]:
    return spread_over(total, 7, 3)


def ceas(every_item: int) -> list[int]:
    """Every item the same: engagement is 6 times it, action 4 times."""
    return [every_item] * 13


def consent_to_research(person: Person, given: bool = True) -> None:
    wording = current_wording(ConsentPurpose.RESEARCH) or publish_wording(
        purpose=ConsentPurpose.RESEARCH, text="Using my answers, without my name, to evaluate.", by=None
    )
    record_consent(
        person=person,
        purpose=ConsentPurpose.RESEARCH,
        given=given,
        method="online",
        wording=wording,
        by=None,
        decided_at=timezone.now() - timedelta(seconds=1),
    )


@dataclass
class Group:
    cohort: Cohort
    baseline: Wave
    end: Wave

    def invitation(self, person: Person, wave: Wave) -> Invitation:
        return invite(person, cohort=self.cohort, wave=wave)


def make_group(
    facilitator: User | None = None, instruments: Sequence[str] = ("phq9", "gad7"), name: str = "Cohort 1"
) -> Group:
    programme = make_programme(f"Programme for {name}", workshops=1)
    cohort = make_cohort(programme, facilitator=facilitator, name=name)
    return Group(
        cohort, make_wave(programme, "baseline", instruments), make_wave(programme, "end", instruments)
    )


def new_person(name: str, *, programme_consent: bool = True, research_consent: bool = False) -> Person:
    person = create_person(by=None, given_name=name, family_name="Tester")
    if programme_consent:
        consent_to_programme(person)
    if research_consent:
        consent_to_research(person)
    return person


def answer_both(group: Group, person: Person, start: tuple[int, int], end: tuple[int, int] | None) -> None:
    """PHQ-9 and GAD-7 totals at the baseline, and at the end unless `end` is None."""
    for wave, totals in ((group.baseline, start), (group.end, end)):
        if totals is not None:
            invitation = group.invitation(person, wave)
            answer(invitation, "phq9", phq9(totals[0]))
            answer(invitation, "gad7", gad7(totals[1]))


def paper(
    group: Group, person: Person, wave: Wave, instrument: str, answers: list[int], by: User
) -> Response:
    invitation = group.invitation(person, wave)
    return services.save_answers(
        invitation=invitation, instrument_id=instrument, answers=answers, send=True, by=by, mode="paper"
    ).response


def query_count(client: Client, url: str) -> int:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# --- Plain words and charts (pure) --------------------------------------------------------------


def point(kind: str, score: float | None, band: str | None = None, weeks: int = 0) -> summaries.Point:
    return summaries.Point(kind, weeks, kind, score, band)


def test_one_score_is_described_without_a_change() -> None:
    said = summaries.summarise(get_instrument("gad7"), GAD7_SCALE, [point("baseline", 9, "mild")])
    assert said.sentences == [
        "Your GAD-7 score was 9 at the start (mild).",
        "Lower means fewer symptoms of anxiety.",
    ]
    assert said.reliable is None


def test_an_unchanged_score_and_a_follow_up_are_described_plainly() -> None:
    points = [point("baseline", 9, "mild"), point("follow_up", 9, "mild", weeks=12)]
    said = summaries.summarise(get_instrument("gad7"), GAD7_SCALE, points)
    assert (
        said.sentences[0]
        == "Your GAD-7 score was 9 at the start (mild) and 9 at the 12-week follow-up (mild)."
    )


def test_scales_of_a_many_scale_instrument_are_named_and_blanks_explained() -> None:
    fscrs = get_instrument("fscrs")
    scale = fscrs.scale("reassured_self")
    said = summaries.summarise(fscrs, scale, [point("baseline", 10), point("end", 14)])
    assert said.sentences == [
        "Your reassured self score (FSCRS) went from 10 at the start to 14 at the end.",
        "Higher means more reassuring yourself when things go wrong.",
    ]
    blank = summaries.summarise(fscrs, scale, [point("baseline", None)])
    assert blank.sentences == [
        "Your reassured self score (FSCRS) could not be worked out: some answers were left blank."
    ]


def test_a_chart_escapes_names_and_marks_hidden_gaps() -> None:
    chart = charts.line_chart(
        "c",
        "A <title>",
        "A & desc",
        ["Baseline", "End"],
        [charts.Panel("", 0, 27, [charts.Line("<b>", [3, None], gap="hidden")])],
    )
    assert "<b>" not in chart and "&lt;b&gt;" in chart and "A &amp; desc" in chart
    assert 'role="img"' in chart and ">hidden</text>" in chart


# --- My progress ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_someone_who_has_answered_nothing_sees_a_kind_empty_page(
    participant: User, client_for: Clients
) -> None:
    page = client_for(participant).get(MINE)
    assert page.status_code == 200
    assert "You have not sent any questionnaires yet" in page.content.decode()


@pytest.mark.django_db
def test_a_person_sees_their_scores_over_time_in_plain_words(participant: User, client_for: Clients) -> None:
    group = make_group()
    answer_both(group, person_of(participant), (14, 9), (8, 7))
    html = client_for(participant).get(MINE).content.decode()
    assert "Your PHQ-9 score went from 14 at the start (moderate) to 8 at the end (mild)." in html
    assert "Lower means fewer symptoms of depression." in html
    assert "Your GAD-7 score went from 9 at the start (mild) to 7 at the end (mild)." in html
    # PHQ-9 fell by 6, its reliable-change threshold; GAD-7 by only 2. Said under the heading and in
    # the chart's description.
    assert html.count("bigger than day-to-day ups and downs") == 2
    assert "(mild). Lower means fewer symptoms of anxiety.</p>" in html
    assert "<title id=" in html and "<desc id=" in html
    assert "<caption>Your PHQ-9 scores, as a table</caption>" in html


@pytest.mark.django_db
def test_a_reliable_worsening_points_to_support(participant: User, client_for: Clients) -> None:
    group = make_group()
    answer_both(group, person_of(participant), (4, 3), (12, 3))
    html = client_for(participant).get(MINE).content.decode()
    assert "went from 4 at the start (none-minimal) to 12 at the end (moderate)" in html
    assert "bigger than day-to-day ups and downs" in html
    assert "/measures/support/" in html


@pytest.mark.django_db
def test_a_person_sees_only_their_own_answers_even_when_they_run_the_cohort(
    facilitator: User, client_for: Clients
) -> None:
    group = make_group(facilitator)
    other = new_person("Other")
    answer_both(group, other, (20, 15), (3, 2))
    html = client_for(facilitator).get(MINE).content.decode()
    assert "You have not sent any questionnaires yet" in html
    assert "20 at the start" not in html


@pytest.mark.django_db
def test_the_three_flows_of_compassion_are_charted_together(
    participant: User, convenor: User, client_for: Clients
) -> None:
    group = make_group(instruments=("phq9", "ceas_self", "ceas_from_others", "ceas_to_others"))
    person = person_of(participant)
    for wave, base in ((group.baseline, 3), (group.end, 6)):
        for offset, instrument in enumerate(("ceas_self", "ceas_from_others", "ceas_to_others")):
            paper(group, person, wave, instrument, ceas(base + offset), convenor)
    html = client_for(participant).get(MINE).content.decode()
    assert "Three flows of compassion" in html
    assert (
        "Your compassionate engagement score (CEAS self-compassion) went from 18 at the start to 36" in html
    )
    assert "Higher means more kind, helpful action for yourself." in html
    assert '<th scope="row">Compassion from others: compassionate action</th><td>16</td><td>28</td>' in html
    assert AuditEvent.objects.filter(action="measures.response_viewed").count() == 0


@pytest.mark.django_db
def test_reading_your_own_progress_is_not_audited_and_takes_few_queries(
    participant: User, client_for: Clients
) -> None:
    group = make_group()
    answer_both(group, person_of(participant), (14, 9), (8, 7))
    client = client_for(participant)
    small = query_count(client, MINE)
    mid = make_wave(group.cohort.programme, "mid")
    invitation = group.invitation(person_of(participant), mid)
    answer(invitation, "phq9", phq9(11))
    answer(invitation, "gad7", gad7(8))
    assert query_count(client, MINE) == small
    assert not AuditEvent.objects.filter(action="measures.response_viewed").exists()


# --- One response --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_reads_their_own_answers_with_the_wording_and_no_audit(
    participant: User, client_for: Clients
) -> None:
    group = make_group()
    invitation = group.invitation(person_of(participant), group.baseline)
    response = answer(invitation, "phq9", [1, 0, 0, 0, 0, 0, 0, 0, 0, 2])
    html = client_for(participant).get(f"/measures/responses/{response.uuid}/").content.decode()
    assert "Little interest or pleasure in doing things" in html
    assert "1: Several days" in html and "2: Very difficult" in html
    assert "(asked, not scored)" in html  # item 10
    assert "Answered online" in html and "none-minimal" in html
    assert not AuditEvent.objects.filter(action="measures.response_viewed").exists()


@pytest.mark.django_db
def test_a_facilitator_reading_someones_answers_is_audited(facilitator: User, client_for: Clients) -> None:
    group = make_group(facilitator)
    person = new_person("Shared")
    response = answer(group.invitation(person, group.baseline), "gad7", gad7(9))
    page = client_for(facilitator).get(f"/measures/responses/{response.uuid}/")
    assert page.status_code == 200 and "Shared Tester" in page.content.decode()
    event = AuditEvent.objects.get(action="measures.response_viewed")
    assert event.actor == facilitator and event.target_id == str(response.uuid)


@pytest.mark.django_db
def test_a_paper_form_without_shipped_wording_shows_item_numbers_and_who_entered_it(
    facilitator: User, client_for: Clients
) -> None:
    group = make_group(facilitator, instruments=("ceas_self",))
    person = new_person("Paper")
    response = paper(group, person, group.baseline, "ceas_self", ceas(5), facilitator)
    html = client_for(facilitator).get(f"/measures/responses/{response.uuid}/").content.decode()
    assert "Paper form entered by staff" in html and "Facilitator Persona" in html
    assert "licence does not let Care Commons reproduce it" in html
    assert '<th scope="row">3. <span class="muted">(asked, not scored)</span></th>' in html
    assert "Compassionate engagement" in html and ">30<" in html


@pytest.mark.django_db
def test_answers_are_hidden_from_the_wrong_people(
    facilitator: User,
    participant: User,
    evaluator: User,
    make_persona: Callable[[str], User],
    client_for: Clients,
) -> None:
    group = make_group(facilitator)
    withheld = new_person("Withheld", programme_consent=False)
    response = answer(group.invitation(withheld, group.baseline), "phq9", phq9(5))
    url = f"/measures/responses/{response.uuid}/"
    assert client_for(facilitator).get(url).status_code == 404  # no programme consent
    assert client_for(participant).get(url).status_code == 404
    assert client_for(evaluator).get(url).status_code == 404
    assert client_for(make_persona("convenor")).get(url).status_code == 200


@pytest.mark.django_db
def test_a_draft_is_visible_only_to_its_author(
    participant: User, convenor: User, client_for: Clients
) -> None:
    group = make_group()
    draft = answer(group.invitation(person_of(participant), group.baseline), "phq9", [1, 1], send=False)
    url = f"/measures/responses/{draft.uuid}/"
    own = client_for(participant).get(url)
    assert own.status_code == 200 and "saved but not sent yet" in own.content.decode()
    assert client_for(convenor).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="measures.response_viewed").exists()


# --- A cohort's change ---------------------------------------------------------------------------


def change_url(group: Group) -> str:
    return f"/measures/cohort/{group.cohort.uuid}/change/"


@pytest.mark.django_db
def test_a_cohort_of_few_people_shows_no_counts_under_five_and_no_means(
    facilitator: User, client_for: Clients
) -> None:
    group = make_group(facilitator)
    for n in range(3):
        answer_both(group, new_person(f"P{n}"), (14, 9), (8, 7))
    html = client_for(facilitator).get(change_url(group)).content.decode()
    assert FEWER_THAN in html and "hidden" in html
    assert "14.0" not in html and "<td>3</td>" not in html


@pytest.mark.django_db
def test_a_cohorts_change_counts_only_consenting_people_whoever_looks(
    facilitator: User, convenor: User, evaluator: User, client_for: Clients
) -> None:
    group = make_group(facilitator)
    starts = [20, 18, 16, 14, 12, 10]
    for n, start in enumerate(starts):
        answer_both(group, new_person(f"P{n}"), (start, 9), (start - 6 if n < 5 else start + 1, 9))
    answer_both(group, new_person("Withheld", programme_consent=False), (24, 21), (0, 0))
    pages = [client_for(user).get(change_url(group)) for user in (facilitator, convenor, evaluator)]
    figures = [page.context["figures"] for page in pages]
    assert figures[0] == figures[1] == figures[2]
    phq = next(item["figure"] for item in figures[0] if item["figure"].instrument.id == "phq9")
    assert [w.spread.n for w in phq.waves] == [6, 6]
    assert phq.waves[0].spread.shown_mean == "15.0"
    change = phq.changes[0].change
    assert change.spread.shown_n == "6" and change.spread.shown_mean == "-4.8"
    # 5 improved and 1 did not: with 6 shown, any hidden pair would give the 1 away, so all are hidden.
    assert [shown for _, shown in change.shown_reliable] == ["hidden", "hidden", "hidden"]
    html = pages[0].content.decode()
    assert "Mean score" in html and "<td>15.0</td>" in html


@pytest.mark.django_db
def test_a_cohorts_change_page_is_for_its_facilitators_convenors_and_evaluators_only(
    facilitator: User, participant: User, make_persona: Callable[[str], User], client_for: Clients
) -> None:
    group = make_group()
    assert client_for(facilitator).get(change_url(group)).status_code == 404
    assert client_for(participant).get(change_url(group)).status_code == 404
    assert client_for(make_persona("evaluator")).get(change_url(group)).status_code == 200


@pytest.mark.django_db
def test_a_cohorts_change_takes_the_same_queries_as_answers_grow(
    facilitator: User, client_for: Clients
) -> None:
    group = make_group(facilitator, instruments=("phq9", "gad7", "core10"))
    client = client_for(facilitator)
    answer_both(group, new_person("First"), (14, 9), (8, 7))
    small = query_count(client, change_url(group))
    for n in range(8):
        person = new_person(f"More{n}")
        answer_both(group, person, (12 + n, 9), (8, 7))
        answer(Invitation.objects.get(person=person, wave=group.baseline), "core10", [1] * 10)
    assert query_count(client, change_url(group)) == small


# --- Outcomes ------------------------------------------------------------------------------------


def outcome_people(group: Group) -> None:
    """Eleven people with research consent, worked by hand (PHQ-9, GAD-7 at the start and end)."""
    worked = [
        ((14, 9), (8, 5)),  # case; recovered, reliably improved: reliable recovery
        ((16, 10), (7, 6)),  # the same
        ((12, 12), (4, 7)),  # the same
        ((20, 15), (9, 7)),  # the same
        ((10, 8), (3, 2)),  # the same, exactly at both cut-offs at the start
        ((11, 5), (9, 5)),  # case; recovered without a reliable change
        ((18, 14), (15, 12)),  # case; no change to speak of
        ((5, 3), (12, 3)),  # not a case; reliably deteriorated
        ((20, 4), (12, 9)),  # case; PHQ-9 better by 8 but GAD-7 worse by 5: neither under "nhs"
    ]
    for n, (start, end) in enumerate(worked):
        answer_both(group, new_person(f"Worked{n}", research_consent=True), start, end)
    answer_both(group, new_person("Once", research_consent=True), (15, 12), None)
    no_gad = new_person("NoGad", research_consent=True)
    answer_both(group, no_gad, (15, 12), None)
    answer(group.invitation(no_gad, group.end), "phq9", phq9(4))
    answer_both(group, new_person("NoResearch"), (24, 20), (0, 0))


def figures_of(page: object) -> dict[str, str]:
    return {row.cell.label: row.count for row in page.context["shown"]}  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_outcomes_count_cases_recovery_and_reliable_change(convenor: User, client_for: Clients) -> None:
    group = make_group()
    outcome_people(group)
    page = client_for(convenor).get(OUTCOMES, {"programme": str(group.cohort.programme.uuid)})
    total = page.context["figures"].total
    assert (total.answered, total.one_wave, total.score_missing, total.paired) == (11, 1, 1, 9)
    assert (total.cases, total.recovered, total.reliably_recovered) == (8, 6, 5)
    assert (total.reliably_improved, total.reliably_deteriorated) == (5, 1)
    shown = {row.cell.label: (row.count, row.share) for row in page.context["shown"]}
    assert shown["recovered"] == ("6", "75%")
    assert shown["reliably_deteriorated"] == (FEWER_THAN, "–")
    html = page.content.decode()
    assert "The change rule in force is <strong>“nhs”</strong>" in html
    assert "could not be confirmed" in html and "consent to research and evaluation" in html


SVG = "{http://www.w3.org/2000/svg}"


def outcomes_svg(html: str) -> ElementTree.Element:
    found = re.search(r'<svg[^>]*aria-labelledby="outcomes-title outcomes-desc".*?</svg>', html, re.DOTALL)
    assert found is not None, "no outcomes chart on the page"
    return ElementTree.fromstring(found.group(0))  # noqa: S314 - our own output


def bars_of(chart: ElementTree.Element) -> dict[str, ElementTree.Element]:
    """Each figure's group in the chart, by the name its <title> starts with."""
    return {(group.findtext(f"{SVG}title") or "").split(":")[0]: group for group in chart.iter(f"{SVG}g")}


@pytest.mark.django_db
def test_the_outcomes_are_charted_as_bars_beside_the_table_and_hidden_figures_are_not_drawn(
    convenor: User, client_for: Clients
) -> None:
    group = make_group()
    outcome_people(group)
    html = (
        client_for(convenor).get(OUTCOMES, {"programme": str(group.cohort.programme.uuid)}).content.decode()
    )
    chart = outcomes_svg(html)
    assert chart.get("role") == "img"
    assert chart.findtext(f"{SVG}title") == "NHS Talking Therapies style outcomes, as percentages"
    bars = bars_of(chart)
    assert list(bars) == [
        "Cases at the start",
        "Recovered",
        "Reliably recovered",
        "Reliably improved",
        "Reliably deteriorated",
    ]
    drawn = {name: len(group.findall(f"{SVG}rect")) for name, group in bars.items()}
    # One reliable deterioration in nine is fewer than 5: the table says so and the chart draws nothing.
    assert drawn == {name: 0 if name == "Reliably deteriorated" else 1 for name in bars}
    hidden = bars["Reliably deteriorated"]
    assert [t.text for t in hidden.iter(f"{SVG}text")][-1] == "hidden to protect people"
    desc = chart.findtext(f"{SVG}desc") or ""
    assert "Recovered: 75% of cases at the start" in desc
    assert "Reliably deteriorated: hidden to protect people" in desc and "11%" not in html
    recovered = bars["Recovered"].find(f"{SVG}rect")
    assert recovered is not None
    assert float(recovered.get("width", 0)) == pytest.approx(0.75 * charts.BAR_RIGHT, abs=0.1)
    assert "<caption>NHS Talking Therapies style outcomes" in html  # the table stays


def test_a_bar_chart_draws_no_bar_for_a_share_it_may_not_show_and_escapes_its_words() -> None:
    chart = charts.bar_chart(
        "b",
        "Shares & <counts>",
        [
            charts.Bar("<i>Shown</i>", 0.5, "of everyone"),
            charts.Bar("None", 0.0),
            charts.Bar("Hidden", None, "of everyone", "hidden"),
        ],
    )
    assert "<i>" not in chart and "&lt;i&gt;Shown&lt;/i&gt;, of everyone" in chart
    root = ElementTree.fromstring(chart)  # noqa: S314 - our own output
    groups = list(root.iter(f"{SVG}g"))
    assert [len(group.findall(f"{SVG}rect")) for group in groups] == [1, 0, 0]
    assert [t.text for t in groups[1].iter(f"{SVG}text")][-1] == "0%"
    assert root.findtext(f"{SVG}desc") == "<i>Shown</i>: 50% of everyone; None: 0%; Hidden: hidden."


def core10(total: int) -> list[int]:
    """CORE-10 answers scoring `total`: the risk item (6) at 0, and the reverse-scored items 2 and 3
    answered 4, which scores 0."""
    rest = spread_over(total, 7, 4)
    return [rest[0], 4, 4, rest[1], rest[2], 0, *rest[3:]]


@pytest.mark.django_db
def test_the_talking_therapies_settings_choose_the_two_measures_the_outcomes_use(
    convenor: User, client_for: Clients, settings: object
) -> None:
    group = make_group(instruments=("phq9", "gad7", "core10"))
    person = new_person("Sam", research_consent=True)
    answer_both(group, person, (14, 9), (8, 5))  # a case who recovers on PHQ-9 and GAD-7, reliably
    for wave in (group.baseline, group.end):
        answer(group.invitation(person, wave), "core10", core10(18))  # a case throughout on CORE-10

    def figures() -> tuple[str, str, int, int, str]:
        page = client_for(convenor).get(OUTCOMES)
        got = page.context["figures"]
        return (
            got.pairing.depression.id,
            got.pairing.anxiety.id,
            got.total.recovered,
            got.total.reliably_improved,
            page.content.decode(),
        )

    *chosen, html = figures()
    assert chosen == ["phq9", "gad7", 1, 1]
    settings.TALKING_THERAPIES_ANXIETY = "core10"  # type: ignore[attr-defined]
    *chosen, html = figures()
    assert chosen == ["phq9", "core10", 0, 1]  # still a case on CORE-10 at the end: not recovered
    assert "the PHQ-9 or the CORE-10 at least once" in html
    settings.TALKING_THERAPIES_DEPRESSION, settings.TALKING_THERAPIES_ANXIETY = "core10", "gad7"  # type: ignore[attr-defined]
    *chosen, html = figures()
    assert chosen == ["core10", "gad7", 0, 1]  # GAD-7 fell by 4, a reliable change on its own
    assert "the CORE-10 or the GAD-7 at least once" in html


@pytest.mark.django_db
def test_the_either_rule_counts_opposite_changes_both_ways(
    convenor: User, client_for: Clients, settings: object
) -> None:
    settings.TALKING_THERAPIES_CHANGE_RULE = "either"  # type: ignore[attr-defined]
    group = make_group()
    outcome_people(group)
    page = client_for(convenor).get(OUTCOMES)
    total = page.context["figures"].total
    assert (total.reliably_improved, total.reliably_deteriorated) == (6, 2)
    assert "The change rule in force is <strong>“either”</strong>" in page.content.decode()


@pytest.mark.django_db
def test_prorated_scores_are_left_out_of_the_outcomes(convenor: User, client_for: Clients) -> None:
    group = make_group()
    outcome_people(group)
    Response.objects.filter(person__given_name="Worked0", wave=group.end, instrument="phq9").update(
        prorated=["total"]
    )
    total = client_for(convenor).get(OUTCOMES).context["figures"].total
    assert (total.paired, total.score_missing) == (8, 2)


@pytest.mark.django_db
def test_outcomes_break_down_by_cohort_and_filter_to_one(
    convenor: User, evaluator: User, client_for: Clients
) -> None:
    group = make_group()
    outcome_people(group)
    quiet = make_cohort(group.cohort.programme, name="Quiet cohort")
    programme = str(group.cohort.programme.uuid)
    page = client_for(evaluator).get(OUTCOMES, {"programme": programme})
    labels = [label for label, _ in page.context["breakdown"]]
    assert len(labels) == 2 and labels[1].startswith("Quiet cohort")
    html = page.content.decode()
    assert "By cohort" in html and "Quiet cohort" in html
    one = client_for(convenor).get(OUTCOMES, {"programme": programme, "cohort": str(quiet.uuid)})
    assert one.context["figures"].total.answered == 0 and one.context["breakdown"] == []
    assert f"/measures/cohort/{quiet.uuid}/change/" in one.content.decode()
    assert OUTCOMES in client_for(evaluator).get("/").content.decode()  # the main menu


@pytest.mark.django_db
def test_a_cohort_of_another_programme_is_refused_beside_the_field(
    convenor: User, client_for: Clients
) -> None:
    group, other = make_group(), make_group(name="Other")
    page = client_for(convenor).get(
        OUTCOMES, {"programme": str(group.cohort.programme.uuid), "cohort": str(other.cohort.uuid)}
    )
    assert page.status_code == 200 and page.context["figures"] is None
    assert "cohort" in page.context["form"].errors
    alone = client_for(convenor).get(OUTCOMES, {"cohort": str(other.cohort.uuid)})
    assert (
        "Choose the cohort’s programme" in alone.content.decode() or alone.context["form"].non_field_errors()
    )


@pytest.mark.django_db
def test_outcomes_are_for_convenors_and_evaluators_only(
    facilitator: User, participant: User, client_for: Clients
) -> None:
    assert client_for(facilitator).get(OUTCOMES).status_code == 404
    assert client_for(participant).get(OUTCOMES).status_code == 404


@pytest.mark.django_db
def test_the_outcomes_page_takes_the_same_queries_as_answers_grow(
    convenor: User, client_for: Clients
) -> None:
    group = make_group()
    client = client_for(convenor)
    url = f"{OUTCOMES}?programme={group.cohort.programme.uuid}"
    answer_both(group, new_person("First", research_consent=True), (14, 9), (8, 7))
    small = query_count(client, url)
    outcome_people(group)
    make_cohort(group.cohort.programme, name="Second cohort")
    assert query_count(client, url) == small


# --- Links in -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_home_page_links_to_your_results_once_you_have_sent_answers(
    participant: User, client_for: Clients
) -> None:
    client = client_for(participant)
    assert MINE not in client.get("/").content.decode()
    answer_both(make_group(), person_of(participant), (14, 9), None)
    home = client.get("/").content.decode()
    assert "Your questionnaire results" in home and MINE in home


@pytest.mark.django_db
def test_the_cohort_page_links_its_facilitators_to_the_cohorts_change(
    facilitator: User, client_for: Clients
) -> None:
    group = make_group(facilitator)
    page = client_for(facilitator).get(f"/programmes/cohorts/{group.cohort.uuid}/")
    assert page.status_code == 200 and change_url(group) in page.content.decode()
