import dataclasses
from pathlib import Path

import pytest

from carecommons.decisions.kinds import KINDS_DIR, KindError, get_kind, load_kind, load_kinds, parse_kind

ISSUE_KINDS = {
    "advice",
    "consent",
    "proposal",
    "sense_check",
    "gradients",
    "single_choice",
    "multiple_choice",
    "ranked_choice",
    "dot_vote",
    "score",
    "time_poll",
    "question",
}


def declaration(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "schema": 1,
        "key": "proposal",
        "shape": "one",
        "counting": "tally",
        "options_from": "kind",
        "reason": "optional",
        "blocks": ["block"],
        "agree": ["agree"],
        "passes": "majority",
        "quorum": True,
        "vote_share": True,
        "words": {"name": "Proposal", "summary": "s", "prompt": "p", "reason_prompt": "r"},
        "options": [{"key": "agree", "label": "Agree"}, {"key": "block", "label": "Block"}],
    }
    return {**data, **changes}


def test_every_kind_the_issue_names_is_declared_and_nothing_else() -> None:
    assert set(load_kinds()) == ISSUE_KINDS


def test_the_proposal_offers_agree_abstain_disagree_and_block_and_a_block_blocks() -> None:
    proposal = get_kind("proposal")
    assert [option.key for option in proposal.options] == ["agree", "abstain", "disagree", "block"]
    assert proposal.blocks == ("block",)
    assert not proposal.blocks_until_resolved
    assert proposal.quorum and proposal.vote_share


def test_consent_objections_block_only_until_resolved() -> None:
    consent = get_kind("consent")
    assert consent.blocks == ("object",) and consent.blocks_until_resolved
    assert consent.reason_required_for == ("object",)
    assert not consent.vote_share


def test_gradients_of_agreement_has_eight_points_from_endorsement_to_veto() -> None:
    gradients = get_kind("gradients")
    assert len(gradients.options) == 8
    assert gradients.options[0].label == "Wholehearted endorsement"
    assert gradients.options[-1].key == "veto" and gradients.blocks == ("veto",)


def test_score_runs_from_0_to_5_and_a_time_poll_asks_yes_if_need_be_or_no() -> None:
    assert get_kind("score").scale_values == (0, 1, 2, 3, 4, 5)
    assert [point.label for point in get_kind("time_poll").scale] == ["Yes", "If need be", "No"]


def test_a_dot_vote_gives_eight_dots_unless_the_decision_says_otherwise() -> None:
    assert get_kind("dot_vote").dots == 8


def test_choice_kinds_take_their_options_from_the_decision() -> None:
    from_decision = {key for key, kind in load_kinds().items() if kind.options_from == "decision"}
    assert from_decision == {
        "single_choice",
        "multiple_choice",
        "ranked_choice",
        "dot_vote",
        "score",
        "time_poll",
    }


def test_only_kinds_that_agree_or_disagree_offer_a_vote_share() -> None:
    assert {key for key, kind in load_kinds().items() if kind.vote_share} == {"proposal", "gradients"}


def test_questions_and_advice_take_words_and_require_them() -> None:
    for key in ("question", "advice"):
        kind = get_kind(key)
        assert kind.shape == "words" and kind.reason == "required" and not kind.options


def test_every_kind_has_words_to_show() -> None:
    for kind in load_kinds().values():
        assert all(
            getattr(kind.words, name).strip() for name in ("name", "summary", "prompt", "reason_prompt")
        )


def test_a_kind_cannot_be_changed_once_loaded() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        get_kind("proposal").quorum = False  # type: ignore[misc]


def test_a_misspelt_field_fails_naming_the_kind_and_the_field() -> None:
    with pytest.raises(KindError, match=r"^proposal: unknown field\(s\) blocks_untill_resolved$"):
        parse_kind(declaration(blocks_untill_resolved=True), where="proposal")


def test_a_block_naming_an_unknown_option_fails_naming_the_field() -> None:
    with pytest.raises(KindError, match=r"proposal: 'blocks' names unknown option\(s\) veto"):
        parse_kind(declaration(blocks=["veto"]), where="proposal")


def test_a_missing_field_fails_naming_it() -> None:
    data = declaration()
    del data["quorum"]
    with pytest.raises(KindError, match=r"proposal: missing 'quorum'"):
        parse_kind(data, where="proposal")


def test_a_way_of_counting_that_cannot_read_the_ballots_shape_fails() -> None:
    with pytest.raises(KindError, match=r"'counting' instant_runoff cannot count ballots of shape one"):
        parse_kind(declaration(counting="instant_runoff"), where="proposal")


def test_a_word_out_of_place_in_an_option_fails_naming_where() -> None:
    options = [{"key": "agree", "label": "Agree"}, {"key": "block", "lable": "Block"}]
    with pytest.raises(KindError, match=r"proposal: options\[1\]: missing 'label'"):
        parse_kind(declaration(options=options), where="proposal")


def test_a_number_where_text_belongs_fails() -> None:
    with pytest.raises(KindError, match=r"proposal: 'shape' must be non-empty text"):
        parse_kind(declaration(shape=3), where="proposal")


def test_a_file_whose_key_differs_from_its_name_fails(tmp_path: Path) -> None:
    text = (KINDS_DIR / "consent.toml").read_text(encoding="utf-8")
    path = tmp_path / "consent_two.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KindError, match=r"consent_two: 'key' consent must match the file name"):
        load_kind(path)


def test_a_file_that_is_not_toml_fails_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("key = \n", encoding="utf-8")
    with pytest.raises(KindError, match=r"broken.toml: not valid TOML"):
        load_kind(path)


def test_an_unknown_kind_is_refused_with_the_known_ones_named() -> None:
    with pytest.raises(KeyError, match="known kinds: advice, consent"):
        get_kind("lottery")
