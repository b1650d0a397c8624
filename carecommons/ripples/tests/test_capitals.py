"""The capitals vocabulary: the seven of the Community Capitals Framework, in its order, each with a
short plain description; valence and intent as plain strings."""

from carecommons.ripples.capitals import BY_ID, CAPITAL_IDS, CAPITALS, Intent, Valence, unknown_capitals


def test_the_seven_capitals_are_those_of_emery_and_flora_in_their_order() -> None:
    assert CAPITAL_IDS == ("natural", "cultural", "human", "social", "political", "financial", "built")
    assert [capital.name.lower() for capital in CAPITALS] == list(CAPITAL_IDS)


def test_each_capital_is_described_in_one_short_sentence() -> None:
    for capital in CAPITALS:
        assert "\n" not in capital.description
        assert 20 < len(capital.description) <= 120
        assert capital.description.endswith(".")
    assert len({capital.description for capital in CAPITALS}) == 7


def test_unknown_capital_ids_are_named_sorted() -> None:
    assert unknown_capitals(frozenset({"social", "spiritual", "emotional"})) == ["emotional", "spiritual"]
    assert unknown_capitals(frozenset(BY_ID)) == []


def test_valence_and_intent_are_stored_as_plain_strings_with_labels() -> None:
    assert [valence.value for valence in Valence] == ["positive", "negative", "mixed"]
    assert [intent.value for intent in Intent] == ["intended", "unintended", "not_known"]
    assert Valence("negative") is Valence.NEGATIVE
    assert isinstance(Intent.UNINTENDED, str) and f"{Intent.UNINTENDED}" == "unintended"
    assert Intent.NOT_KNOWN.label == "Not known"
    assert Valence.MIXED.label == "Mixed"
