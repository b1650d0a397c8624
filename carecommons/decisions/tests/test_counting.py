from fractions import Fraction

import pytest

from carecommons.decisions.ballots import Ballot, BallotError, Setup
from carecommons.decisions.counting import Round, count, instant_runoff
from carecommons.decisions.kinds import get_kind


def votes(*choices: str, reason: str = "r") -> list[Ballot]:
    return [Ballot(choices=(choice,), reason=reason) for choice in choices]


def test_consent_with_an_open_objection_fails() -> None:
    result = count(get_kind("consent"), votes("consent", "consent", "object"))
    assert (result.outcome, result.open_blocks, result.why) == ("fails", 1, "1 objection open.")


def test_consent_passes_once_its_objection_is_resolved() -> None:
    ballots = [*votes("consent", "consent"), Ballot(choices=("object",), reason="cost", resolved=True)]
    result = count(get_kind("consent"), ballots)
    assert (result.outcome, result.open_blocks, result.tallies) == ("passes", 0, {"consent": 2, "object": 1})


def test_a_single_block_stops_a_proposal_everyone_else_agrees_with() -> None:
    result = count(get_kind("proposal"), votes(*["agree"] * 9, "block"))
    assert (result.outcome, result.why) == ("fails", "1 block open.")
    assert result.share == Fraction(9, 10)


def test_a_proposal_without_a_vote_share_needs_more_than_half_of_those_who_took_a_side() -> None:
    proposal = get_kind("proposal")
    even = count(proposal, votes("agree", "agree", "disagree", "disagree", "abstain"))
    assert (even.outcome, even.share) == ("fails", Fraction(1, 2))
    ahead = count(proposal, votes("agree", "agree", "disagree", "abstain", "abstain"))
    assert (ahead.outcome, ahead.share) == ("passes", Fraction(2, 3))
    assert ahead.why == "67% of those who took a side agreed; it needs more than half."


def test_a_vote_share_is_met_at_exactly_its_threshold() -> None:
    ballots = votes("agree", "agree", "disagree")
    assert count(get_kind("proposal"), ballots, Setup(vote_share=Fraction(2, 3))).outcome == "passes"
    assert count(get_kind("proposal"), ballots, Setup(vote_share=Fraction(3, 4))).outcome == "fails"


def test_a_proposal_where_everyone_abstains_fails() -> None:
    result = count(get_kind("proposal"), votes("abstain", "abstain"))
    assert (result.outcome, result.share, result.why) == ("fails", None, "Nobody took a side.")


def test_a_decision_short_of_its_quorum_reports_no_quorum_and_still_tallies() -> None:
    setup = Setup(quorum=Fraction(1, 2), members=10)
    short = count(get_kind("proposal"), votes("agree", "agree", "agree", "agree"), setup)
    assert (short.outcome, short.tallies["agree"]) == ("no quorum", 4)
    assert short.why == "4 of 10 members voted; the quorum is 50%."
    assert short.quorum is not None and not short.quorum.met
    enough = count(get_kind("proposal"), votes(*["agree"] * 5), setup)
    assert enough.outcome == "passes" and enough.quorum is not None and enough.quorum.met


def test_more_ballots_than_members_is_refused() -> None:
    with pytest.raises(BallotError, match="the member count is wrong"):
        count(get_kind("proposal"), votes("agree", "agree"), Setup(quorum=Fraction(1, 2), members=1))


def test_gradients_give_the_distribution_and_a_veto_blocks() -> None:
    gradients = get_kind("gradients")
    result = count(gradients, votes("endorse", "endorse", "reservations", "more_discussion"))
    assert result.tallies == {
        "endorse": 2,
        "agree_with_a_point": 0,
        "reservations": 1,
        "abstain": 0,
        "more_discussion": 1,
        "will_support": 0,
        "serious_disagreement": 0,
        "veto": 0,
    }
    assert (result.outcome, result.share) == ("passes", Fraction(3, 4))
    assert count(gradients, votes("endorse", "endorse", "veto")).outcome == "fails"


def test_a_sense_check_is_noted_not_passed() -> None:
    result = count(get_kind("sense_check"), votes("looks_good", "concerned", "looks_good"))
    assert (result.outcome, result.tallies) == ("noted", {"looks_good": 2, "not_sure": 0, "concerned": 1})


def test_single_choice_picks_the_most_chosen_and_reports_an_even_top_as_a_tie() -> None:
    setup = Setup(options=("park", "library", "hall"))
    single = get_kind("single_choice")
    assert count(single, votes("park", "hall", "park"), setup).winner == "park"
    tied = count(single, votes("park", "hall"), setup)
    assert (tied.outcome, tied.winner, tied.leaders) == ("tied", None, ("park", "hall"))


def test_multiple_choice_counts_every_option_chosen() -> None:
    setup = Setup(options=("a", "b", "c"))
    ballots = [Ballot(choices=("a", "b")), Ballot(choices=("b",)), Ballot(choices=("c", "b", "a"))]
    result = count(get_kind("multiple_choice"), ballots, setup)
    assert (result.tallies, result.winner) == ({"a": 2, "b": 3, "c": 1}, "b")


def test_nobody_voting_gives_no_votes() -> None:
    result = count(get_kind("ranked_choice"), [], Setup(options=("a", "b")))
    assert (result.outcome, result.winner, len(result.rounds)) == ("no votes", None, 1)


def test_ranked_choice_shows_each_round_until_an_option_has_more_than_half() -> None:
    ballots = [
        *[Ballot(choices=("park", "housing"))] * 4,
        *[Ballot(choices=("housing", "park"))] * 3,
        *[Ballot(choices=("loneliness", "housing"))] * 2,
        Ballot(choices=("transport",)),
    ]
    setup = Setup(options=("park", "housing", "loneliness", "transport"))
    result = count(get_kind("ranked_choice"), ballots, setup)
    assert result.rounds == (
        Round({"park": 4, "housing": 3, "loneliness": 2, "transport": 1}, 10, 0, "transport"),
        Round({"park": 4, "housing": 3, "loneliness": 2}, 9, 1, "loneliness"),
        Round({"park": 4, "housing": 5}, 9, 1, None),
    )
    assert (result.winner, result.exhausted, result.outcome) == ("housing", 1, "chosen")
    assert result.why == "Chosen in round 3 with more than half."
    assert result.tallies == {"park": 4, "housing": 3, "loneliness": 2, "transport": 1}


def test_an_even_last_place_goes_out_by_fewest_in_the_earliest_round() -> None:
    ballots = [
        *[Ballot(choices=("a",))] * 5,
        *[Ballot(choices=("b",))] * 3,
        *[Ballot(choices=("c",))] * 2,
        Ballot(choices=("d", "c")),
    ]
    runoff = instant_runoff(("a", "c", "b", "d"), [ballot.choices for ballot in ballots])
    assert [round_.eliminated for round_ in runoff.rounds] == ["d", "c", None]
    assert runoff.rounds[1].counts == {"a": 5, "c": 3, "b": 3}
    assert (runoff.winner, runoff.rounds[-1].exhausted) == ("a", 3)


def test_options_even_in_every_round_go_out_listed_last_first() -> None:
    runoff = instant_runoff(("x", "y", "z"), [("x",), ("y",), ("z",)])
    assert [round_.eliminated for round_ in runoff.rounds] == ["z", "y", None]
    assert runoff.winner == "x"


def test_a_dot_vote_adds_up_every_ballots_dots() -> None:
    ballots = [Ballot(marks={"a": 5, "b": 3}), Ballot(marks={"b": 8}), Ballot(marks={"c": 1})]
    result = count(get_kind("dot_vote"), ballots, Setup(options=("a", "b", "c")))
    assert (result.tallies, result.winner) == ({"a": 5, "b": 11, "c": 1}, "b")


def test_counting_refuses_a_ballot_over_its_dot_budget_and_says_which() -> None:
    ballots = [Ballot(marks={"a": 2}), Ballot(marks={"a": 2, "b": 2})]
    with pytest.raises(BallotError, match=r"^Ballot 2: You have 3 dots; this ballot places 4\.$"):
        count(get_kind("dot_vote"), ballots, Setup(options=("a", "b"), dots=3))


def test_scores_give_each_options_mean_and_distribution() -> None:
    ballots = [Ballot(marks={"a": 5, "b": 1}), Ballot(marks={"a": 4, "b": 1}), Ballot(marks={"a": 0, "b": 5})]
    result = count(get_kind("score"), ballots, Setup(options=("a", "b")))
    assert result.means == {"a": Fraction(3), "b": Fraction(7, 3)}
    assert result.distribution["b"] == {0: 0, 1: 2, 2: 0, 3: 0, 4: 0, 5: 1}
    assert result.winner == "a"


def test_the_best_slot_has_most_yes_then_most_if_need_be() -> None:
    slots = ("mon", "tue", "wed")
    ballots = [
        Ballot(marks={"mon": 2, "tue": 2, "wed": 1}),
        Ballot(marks={"mon": 0, "tue": 1, "wed": 2}),
        Ballot(marks={"mon": 2, "tue": 0, "wed": 2}),
    ]
    result = count(get_kind("time_poll"), ballots, Setup(options=slots))
    assert result.tallies == {"mon": 2, "tue": 1, "wed": 2}
    assert (result.winner, result.leaders) == ("wed", ("wed",))
    assert result.distribution["wed"] == {2: 2, 1: 1, 0: 0}
    assert result.distribution["mon"] == {2: 2, 1: 0, 0: 1}


def test_even_slots_go_to_the_one_listed_first() -> None:
    ballots = [Ballot(marks={"mon": 1, "tue": 1})]
    result = count(get_kind("time_poll"), ballots, Setup(options=("mon", "tue")))
    assert (result.winner, result.leaders) == ("mon", ("mon", "tue"))


def test_questions_and_advice_count_the_answers_and_keep_the_words() -> None:
    ballots = [Ballot(reason="Ask the school first"), Ballot(reason="Saturdays")]
    for key in ("question", "advice"):
        result = count(get_kind(key), ballots)
        assert (result.outcome, result.why, result.reasons) == (
            "noted",
            "2 answers.",
            ("Ask the school first", "Saturdays"),
        )


def test_counting_refuses_a_setup_the_kind_does_not_allow() -> None:
    with pytest.raises(BallotError, match="List between 2 and 20 options"):
        count(get_kind("ranked_choice"), [], Setup(options=("only",)))
