from fractions import Fraction

import pytest

from carecommons.decisions.ballots import Ballot, Setup, setup_errors
from carecommons.decisions.counting import validate_ballot
from carecommons.decisions.kinds import get_kind

OPTIONS = Setup(options=("a", "b", "c"))


def test_a_proposal_ballot_chooses_exactly_one_of_its_options() -> None:
    proposal = get_kind("proposal")
    assert validate_ballot(proposal, Ballot(choices=("agree",))) == []
    assert validate_ballot(proposal, Ballot()) == ["Choose one option."]
    assert validate_ballot(proposal, Ballot(choices=("agree", "disagree"))) == ["Choose one option."]
    assert validate_ballot(proposal, Ballot(choices=("maybe",))) == ["“maybe” is not one of the options."]


def test_a_block_and_an_objection_need_a_reason() -> None:
    assert validate_ballot(get_kind("proposal"), Ballot(choices=("block",))) == [
        "Give a reason: Why? Others will read your reason."
    ]
    assert validate_ballot(get_kind("consent"), Ballot(choices=("object",), reason="  ")) != []
    assert validate_ballot(get_kind("consent"), Ballot(choices=("object",), reason="It costs too much")) == []


def test_only_an_objection_can_be_marked_resolved() -> None:
    consent = get_kind("consent")
    assert validate_ballot(consent, Ballot(choices=("object",), reason="r", resolved=True)) == []
    assert validate_ballot(consent, Ballot(choices=("consent",), resolved=True)) == [
        "Only an objection can be marked resolved."
    ]
    assert validate_ballot(get_kind("proposal"), Ballot(choices=("block",), reason="r", resolved=True)) != []


def test_a_ranking_names_each_option_once_and_at_least_one() -> None:
    ranked = get_kind("ranked_choice")
    assert validate_ballot(ranked, Ballot(choices=("b", "a")), OPTIONS) == []
    assert validate_ballot(ranked, Ballot(choices=("b", "b")), OPTIONS) == ["Choose each option only once."]
    assert validate_ballot(ranked, Ballot(), OPTIONS) == ["Rank between 1 and 3 options."]


def test_a_multiple_choice_ballot_keeps_within_the_decisions_limit() -> None:
    multiple = get_kind("multiple_choice")
    two_at_most = Setup(options=("a", "b", "c"), most_choices=2)
    assert validate_ballot(multiple, Ballot(choices=("a", "b", "c")), OPTIONS) == []
    assert validate_ballot(multiple, Ballot(choices=("a", "b", "c")), two_at_most) == [
        "Choose between 1 and 2 options."
    ]


def test_a_dot_vote_ballot_keeps_within_its_dot_budget() -> None:
    dots = get_kind("dot_vote")
    assert validate_ballot(dots, Ballot(marks={"a": 5, "b": 3}), OPTIONS) == []
    assert validate_ballot(dots, Ballot(marks={"a": 5, "b": 4}), OPTIONS) == [
        "You have 8 dots; this ballot places 9."
    ]
    three = Setup(options=("a", "b", "c"), dots=3)
    assert validate_ballot(dots, Ballot(marks={"a": 4}), three) == ["You have 3 dots; this ballot places 4."]
    assert validate_ballot(dots, Ballot(marks={"a": -1, "b": 2}), OPTIONS) == [
        "Place whole dots, none below 0."
    ]
    assert validate_ballot(dots, Ballot(marks={"a": 0}), OPTIONS) == ["Place at least one dot."]


def test_a_score_ballot_scores_every_option_from_0_to_5() -> None:
    score = get_kind("score")
    assert validate_ballot(score, Ballot(marks={"a": 0, "b": 5, "c": 3}), OPTIONS) == []
    assert validate_ballot(score, Ballot(marks={"a": 0, "b": 5}), OPTIONS) == [
        "Give every option a mark: “c” has none."
    ]
    assert validate_ballot(score, Ballot(marks={"a": 0, "b": 6, "c": 1}), OPTIONS) != []


def test_a_time_poll_ballot_answers_every_slot() -> None:
    slots = Setup(options=("2026-03-02T18:00", "2026-03-03T18:00"))
    poll = get_kind("time_poll")
    assert validate_ballot(poll, Ballot(marks={"2026-03-02T18:00": 2, "2026-03-03T18:00": 1}), slots) == []
    assert validate_ballot(poll, Ballot(marks={"2026-03-02T18:00": 2}), slots) != []


def test_a_question_takes_words_and_no_choices() -> None:
    question = get_kind("question")
    assert validate_ballot(question, Ballot(reason="Saturdays suit the parents")) == []
    assert validate_ballot(question, Ballot()) == ["Give a reason: Say what you think, and why."]
    assert validate_ballot(question, Ballot(marks={"a": 1}, reason="r")) != []


@pytest.mark.parametrize(
    ("kind", "setup", "error"),
    [
        ("ranked_choice", Setup(options=("a",)), "List between 2 and 20 options."),
        ("ranked_choice", Setup(options=("a", "a")), "Give each option once, and give it a name."),
        ("proposal", Setup(options=("a", "b")), "Proposal has its own options."),
        (
            "single_choice",
            Setup(options=("a", "b"), dots=3),
            "Only a dot vote has dots, and at least one each.",
        ),
        ("time_poll", Setup(options=("a",), quorum=Fraction(1, 2)), "A quorum is a share between 0 and 1"),
        ("proposal", Setup(vote_share=Fraction(3, 2)), "A vote share is a share between 0 and 1"),
        ("consent", Setup(vote_share=Fraction(1, 2)), "A vote share is a share between 0 and 1"),
    ],
)
def test_a_decision_cannot_set_what_its_kind_does_not_allow(kind: str, setup: Setup, error: str) -> None:
    assert any(message.startswith(error) for message in setup_errors(get_kind(kind), setup))
