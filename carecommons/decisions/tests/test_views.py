from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.decisions import services
from carecommons.decisions.models import Ballot, Decision, Method, Participation
from carecommons.decisions.tests.factories import give_powers, group_with, make_member, open_one, user_of
from carecommons.groups.models import CommunityGroup, Power
from carecommons.groups.tests.factories import make_group
from carecommons.people.models import Person

pytestmark = pytest.mark.django_db

Trio = tuple[CommunityGroup, list[Person]]


@pytest.fixture
def trio() -> Trio:
    people = [make_member(name) for name in ("Amira", "Bilal", "Cara")]
    return group_with(people), people


def client_of(person: Person) -> Client:
    client = Client()
    client.force_login(user_of(person))
    return client


def page(decision: Decision, name: str = "decisions:decision_detail") -> str:
    return reverse(name, args=[decision.group.uuid, decision.uuid])


def test_a_member_proposes_a_ranked_choice_through_the_form_once(trio: Trio) -> None:
    group, (amira, *_) = trio
    url = reverse("decisions:decision_create", args=[group.uuid, "ranked_choice"])
    form = client_of(amira).get(url).content.decode()
    assert 'name="submission"' in form and 'name="anonymous"' in form
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "submission": "0b7c1f0e-8d1b-4a53-9d8e-2f3c8a1b9e77",
        "title": "Which issue first?",
        "closes_at": closes,
        "results": "after_vote",
        "option_1": "Housing",
        "option_2": "Transport",
        "option_3": "Loneliness",
    }
    client = client_of(amira)
    first = client.post(url, data)
    again = client.post(url, data)
    decision = Decision.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == page(decision)
    assert [o.label for o in decision.options.all()] == ["Housing", "Transport", "Loneliness"]


def test_consent_offers_no_anonymous_ballots(trio: Trio) -> None:
    group, (amira, *_) = trio
    form = client_of(amira).get(reverse("decisions:decision_create", args=[group.uuid, "consent"]))
    assert 'name="anonymous"' not in form.content.decode()


def test_results_stay_hidden_until_you_vote_then_show_every_round(trio: Trio) -> None:
    group, (amira, bilal, cara) = trio
    decision = open_one(group, amira, "ranked_choice", options=["Housing", "Transport", "Loneliness"])
    services.cast_vote(decision=decision, person=amira, by=user_of(amira), choices=["o3", "o1"])
    services.cast_vote(decision=decision, person=cara, by=user_of(cara), choices=["o2"])
    client = client_of(bilal)
    before = client.get(page(decision)).content.decode()
    assert "Results show once you have voted" in before and "Instant runoff, round by round" not in before
    response = client.post(page(decision), {"rank_o1": "1", "rank_o2": "2", "rank_o3": ""})
    assert response.status_code == 302
    after = client.get(page(decision)).content.decode()
    assert "Instant runoff, round by round" in after
    assert Ballot.objects.filter(decision=decision, person=bilal).get().marks.count() == 2


def test_a_ranking_with_the_same_number_twice_is_refused_beside_the_form(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira, "ranked_choice", options=["Housing", "Transport"])
    response = client_of(bilal).post(page(decision), {"rank_o1": "1", "rank_o2": "1"})
    assert response.status_code == 200
    assert "two options have the same number" in response.content.decode()
    assert not Ballot.objects.exists()


def test_results_chosen_for_after_close_stay_hidden_after_voting(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira, "dot_vote", options=["A bench", "A mural"], results="after_close")
    client = client_of(bilal)
    assert client.post(page(decision), {"dots_o1": "5", "dots_o2": "3"}).status_code == 302
    assert "Results show once the decision closes" in client.get(page(decision)).content.decode()


def test_an_anonymous_decision_never_shows_who_voted_how(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira, "proposal", anonymous=True)
    services.cast_vote(
        decision=decision, person=bilal, by=user_of(bilal), choices=["disagree"], reason="Too costly"
    )
    services.close_decision(decision=decision, by=None)
    body = client_of(amira).get(page(decision)).content.decode()
    assert "Too costly" in body and "Bilal" not in body


def test_a_facilitator_records_a_hand_vote_and_others_cannot(trio: Trio) -> None:
    group, (amira, bilal, cara) = trio
    give_powers(group, bilal, Power.RECORD_VOTES)
    decision = open_one(group, amira, "proposal")
    assert client_of(cara).get(page(decision, "decisions:vote_record")).status_code == 404
    response = client_of(bilal).post(
        page(decision, "decisions:vote_record"),
        {"person": str(cara.uuid), "method": "phone", "choice": "agree"},
    )
    assert response.status_code == 302
    participation = Participation.objects.get(person=cara)
    assert participation.method == Method.PHONE and participation.recorded_by == user_of(bilal)
    assert "recorded by Bilal" in client_of(amira).get(page(decision)).content.decode()


def test_closing_asks_first_then_counts_and_the_outcome_follows(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira, "proposal")
    client = client_of(amira)
    assert client_of(bilal).get(page(decision, "decisions:decision_close")).status_code == 404
    assert client.post(page(decision, "decisions:decision_close")).status_code == 200
    decision.refresh_from_db()
    assert decision.closed_at is None
    response = client.post(page(decision, "decisions:decision_close"), {"confirm": "yes"})
    assert response["Location"] == page(decision, "decisions:outcome_state")
    review = (timezone.localdate() + timedelta(days=60)).isoformat()
    client.post(response["Location"], {"statement": "We wait a month.", "review_on": review})
    body = client.get(page(decision)).content.decode()
    assert "We wait a month." in body and "To be reviewed on" in body


def test_a_closed_time_poll_gives_its_chosen_time_as_a_calendar_file(trio: Trio) -> None:
    group, (amira, *_) = trio
    start = timezone.now() + timedelta(days=8)
    decision = open_one(group, amira, "time_poll", slots=[(start, start + timedelta(hours=2))])
    assert client_of(amira).get(page(decision, "decisions:decision_ics")).status_code == 404
    services.cast_vote(decision=decision, person=amira, by=user_of(amira), marks={"o1": 2})
    services.close_decision(decision=decision, by=None)
    response = client_of(amira).get(page(decision, "decisions:decision_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:A time_poll for the group" in response.content


def test_the_decision_list_puts_open_ones_first_in_a_constant_number_of_queries(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    client = client_of(amira)
    url = reverse("decisions:decision_list", args=[group.uuid])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    closed = open_one(group, amira, "proposal")
    services.close_decision(decision=closed, by=None)
    services.state_outcome(decision=closed, by=user_of(amira), statement="Done", review_on=None)
    open_one(group, amira, "sense_check")
    few = queries()
    for kind in ("question", "proposal", "gradients"):
        d = open_one(group, bilal, kind)
        services.cast_vote(
            decision=d,
            person=bilal,
            by=user_of(bilal),
            choices=[] if kind == "question" else ["abstain"] if kind != "gradients" else ["endorse"],
            reason="Fine",
        )
    assert queries() == few
    body = client.get(url).content.decode()
    assert body.index("sense_check") < body.index("Done")


def test_an_option_may_answer_an_issue_and_a_theme_of_the_groups_care_lab(organiser: User) -> None:
    from carecommons.listening.tests.factories import make_lab, record_conversation
    from carecommons.listening.themes import add_issue, create_theme

    lab = make_lab(organiser=organiser)
    issue = add_issue(
        conversation=record_conversation(lab, by=organiser), by=organiser, title="Unpaid travel time"
    )
    theme = create_theme(lab=lab, by=organiser, name="Work")
    amira = make_member("Amira")
    group = make_group("Lab action group", members=[amira], lab=lab, today=timezone.localdate())
    url = reverse("decisions:decision_create", args=[group.uuid, "dot_vote"])
    client = client_of(amira)
    assert "Unpaid travel time" in client.get(url).content.decode()
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"title": "What first?", "closes_at": closes, "results": "after_vote", "option_1": "Travel pay"}
    data |= {"option_1_issue": str(issue.uuid), "option_2": "Rest breaks", "option_2_theme": str(theme.uuid)}
    client.post(url, data)
    first, second = Decision.objects.get().options.all()
    assert (first.issue, first.theme, second.issue, second.theme) == (issue, None, None, theme)
    assert (
        "answers the issue “Unpaid travel time”" in client.get(page(Decision.objects.get())).content.decode()
    )


def test_the_decider_records_advice_from_someone_outside_the_group(trio: Trio) -> None:
    group, (amira, bilal, _) = trio
    decision = open_one(group, amira, "advice")
    assert client_of(bilal).get(page(decision, "decisions:vote_record")).status_code == 404
    url = page(decision, "decisions:vote_record")
    response = client_of(amira).post(url, {"source": "Housing officer", "text": "Check the lease first"})
    assert response.status_code == 302
    assert "Housing officer: Check the lease first" in client_of(bilal).get(page(decision)).content.decode()


def test_a_ranked_choice_with_one_option_is_refused_and_keeps_what_was_typed(trio: Trio) -> None:
    group, (amira, *_) = trio
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client_of(amira).post(
        reverse("decisions:decision_create", args=[group.uuid, "ranked_choice"]),
        {"title": "Only one", "closes_at": closes, "results": "after_vote", "option_1": "Housing"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "List between 2 and 20 options." in body and 'value="Housing"' in body
    assert not Decision.objects.exists()


def test_the_propose_form_grows_to_every_row_the_kind_allows_without_javascript(trio: Trio) -> None:
    group, (amira, *_) = trio
    client = client_of(amira)
    url = reverse("decisions:decision_create", args=[group.uuid, "ranked_choice"])
    first = client.get(url).content.decode()
    assert 'name="option_8"' in first and 'name="option_9"' not in first
    assert "?rows=20" in first
    grown = client.get(f"{url}?rows=20").content.decode()
    assert 'name="option_20"' in grown and 'name="option_21"' not in grown and "?rows=20" not in grown
    assert 'name="option_21"' not in client.get(f"{url}?rows=999").content.decode()
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    twelve = {f"option_{i}": f"Place {i}" for i in range(1, 13)}
    data = {"submission": "5e1d7c1a-3b8e-4f0e-9a51-0c6d2b7e4f10", "title": "Where do we meet?"}
    client.post(f"{url}?rows=20", {**data, "closes_at": closes, "results": "after_vote", **twelve})
    assert Decision.objects.get().options.count() == 12
