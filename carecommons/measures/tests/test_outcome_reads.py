"""The outcomes page's fast read (docs/decisions/0036): the same figures as a recomputation from the
raw responses, and a fixed number of queries however many cohorts and answers there are."""

from collections import defaultdict

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carecommons.accounts.models import User
from carecommons.measures.access import responses_for_research
from carecommons.measures.engine.scoring import Answer
from carecommons.measures.forms import QuickSelect
from carecommons.measures.models import Response, Wave
from carecommons.measures.reporting import progress
from carecommons.measures.running import services
from carecommons.measures.tests.factories import make_wave
from carecommons.measures.tests.test_progress_views import (
    OUTCOMES,
    Clients,
    Group,
    answer_both,
    consent_to_research,
    make_group,
    new_person,
    outcome_people,
    paper,
    phq9,
)
from carecommons.programmes.models import Cohort, Programme
from carecommons.programmes.tests.factories import make_cohort


def recomputed(user: User, programme: Programme | None, cohort: Cohort | None) -> progress.OutcomeFigures:
    """The figures the plain way: every sent response of people whose research consent is current
    (responses_for_research, one consent check per response), its JSON decoded by Django."""
    paired_with = progress.pairing()
    kept = {paired_with.depression.id: 0, paired_with.anxiety.id: 1}
    scales = (paired_with.depression_scale, paired_with.anxiety_scale)
    responses = responses_for_research(user).filter(instrument__in=list(kept))
    if cohort is not None:
        responses, groups = responses.filter(cohort=cohort), [(cohort.pk, cohort.name)]
    elif programme is not None:
        responses = responses.filter(cohort__programme=programme)
        groups = [(c.pk, progress.cohort_label(c)) for c in programme.cohorts.order_by("starts_on", "name")]
    else:
        groups = list(Programme.objects.order_by("name").values_list("id", "name"))
    observations: dict[tuple[int, int], dict[int, list[float | None]]] = defaultdict(dict)
    group_of = {}
    for response in responses.select_related("cohort"):
        episode = (response.person_id, response.cohort_id)
        group_of[episode] = response.cohort_id if programme or cohort else response.cohort.programme_id
        index = kept[response.instrument]
        value = response.scores.get(scales[index].id)
        usable = None if value is None or scales[index].id in response.prorated else float(value)
        observations[episode].setdefault(response.wave_id, [None, None])[index] = usable
    order = {wave.pk: wave.order for wave in Wave.objects.all()}
    return progress.outcome_figures(paired_with, observations, group_of, order, groups)


def mixed_programme(convenor: User) -> tuple[Group, Cohort]:
    """Worked cases, plus what the fast read must not get wrong: a withdrawal, a score left out as
    prorated, an unscored paper form, a middle wave, and one person in two cohorts."""
    group = make_group()
    outcome_people(group)
    mid = make_wave(group.cohort.programme, "mid")
    withdrawn = new_person("Withdrawn", research_consent=True)
    answer_both(group, withdrawn, (20, 15), (2, 1))
    consent_to_research(withdrawn, given=False)
    prorated = new_person("Prorated", research_consent=True)
    answer_both(group, prorated, (16, 12), (3, 2))
    Response.objects.filter(person=prorated, wave=group.end, instrument="gad7").update(prorated=["total"])
    gap = new_person("Gap", research_consent=True)
    answer_both(group, gap, (16, 12), None)
    unscored: list[Answer] = [*phq9(3)[:8], None, 0]  # a paper form with an item left blank
    services.save_answers(
        invitation=group.invitation(gap, group.end),
        instrument_id="phq9",
        answers=unscored,
        send=True,
        by=convenor,
        mode="paper",
    )
    paper(group, gap, group.end, "gad7", [0] * 7, convenor)
    middle = new_person("Middle", research_consent=True)
    answer_both(group, middle, (18, 12), (5, 4))
    mid_invitation = group.invitation(middle, mid)
    paper(Group(group.cohort, mid, mid), middle, mid, "phq9", phq9(9), convenor)
    assert mid_invitation.responses.count() == 1
    second = make_cohort(group.cohort.programme, name="Second cohort")
    again = Group(second, group.baseline, group.end)
    answer_both(again, middle, (15, 11), (4, 3))  # a second episode for the same person
    answer_both(again, new_person("Newcomer", research_consent=True), (12, 10), (11, 9))
    return group, second


@pytest.mark.django_db
def test_outcome_figures_equal_a_recomputation_from_the_raw_responses(convenor: User) -> None:
    group, second = mixed_programme(convenor)
    other = make_group(name="Other")
    answer_both(other, new_person("Elsewhere", research_consent=True), (14, 9), (3, 2))
    programme = group.cohort.programme
    for scope in ((None, None), (programme, None), (programme, group.cohort), (programme, second)):
        fast = progress.load_outcomes(convenor, *scope)
        assert fast == recomputed(convenor, *scope), scope
    figures = progress.load_outcomes(convenor, programme, None)
    # Eleven of outcome_people, Prorated, Gap and Middle, and two episodes in the second cohort.
    assert figures.total.answered == 16 and len(figures.breakdown) == 2
    assert figures.total.score_missing == 3  # NoGad, Prorated, Gap


@pytest.mark.django_db
def test_a_withdrawal_leaves_the_outcomes_at_once(convenor: User) -> None:
    group = make_group()
    person = new_person("Leaving", research_consent=True)
    answer_both(group, person, (14, 9), (3, 2))
    programme = group.cohort.programme
    assert progress.load_outcomes(convenor, programme, None).total.paired == 1
    consent_to_research(person, given=False)
    assert progress.load_outcomes(convenor, programme, None).total.answered == 0


def own_queries(client: object, url: str) -> tuple[int, int]:
    """(all the page's queries, those beyond the same page showing no figures)."""
    counts = []
    for path in (url, f"{OUTCOMES}?programme=not-a-programme"):
        client.get(path)  # type: ignore[attr-defined]  # warm up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200  # type: ignore[attr-defined]
        counts.append(len(captured.captured_queries))
    return counts[0], counts[0] - counts[1]


@pytest.mark.django_db
def test_the_outcomes_page_reads_its_figures_in_four_queries_however_much_there_is(
    convenor: User, client_for: Clients
) -> None:
    group = make_group()
    client = client_for(convenor)
    url = f"{OUTCOMES}?programme={group.cohort.programme.uuid}"
    answer_both(group, new_person("First", research_consent=True), (14, 9), (8, 7))
    small = own_queries(client, url)
    mixed_programme(convenor)
    for n in range(3):
        make_cohort(group.cohort.programme, name=f"Quiet {n}")
    large = own_queries(client, url)
    assert large == small
    # The programme, its cohorts (for the list and the rows alike), its waves, who consents, the answers.
    assert large[1] == 5


def test_the_quick_select_writes_what_djangos_select_writes() -> None:
    choices = [("", "All its cohorts"), ("a1", "Cohort <one> & more"), ("b2", "Cohort two")]
    for value in ("", "b2", None):
        quick = QuickSelect(choices=choices).render("cohort", value, attrs={"id": "id_cohort"})
        plain = forms.Select(choices=choices).render("cohort", value, attrs={"id": "id_cohort"})
        assert quick == plain
    assert "Cohort &lt;one&gt; &amp; more" in quick
