"""The offline theme suggestion: unit tests on small texts, then properties that hold for any texts."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecommons.listening.suggest import (
    STOP_WORDS,
    Model,
    Note,
    ThemeText,
    build,
    fold,
    suggest,
    terms_of,
    tokenise,
)

PROPERTY = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])

WORKING = ThemeText(1, "Working conditions", "Pay, hours, rotas and contracts")
LONELY = ThemeText(2, "Feeling alone", "Loneliness and isolation")
NOTES = [
    Note("Unpaid overtime every week on the rota.", frozenset({1})),
    Note("The rota changes at short notice and there is no overtime pay.", frozenset({1})),
    Note("I feel so alone since my husband died.", frozenset({2})),
    Note("Nobody visits; I am isolated at home all winter.", frozenset({2})),
]


def model() -> Model:
    return build([WORKING, LONELY], NOTES)


def test_folding_brings_forms_of_a_word_together() -> None:
    assert {fold(w) for w in ["rota", "rotas"]} == {"rota"}
    assert len({fold(w) for w in ["care", "caring", "cared", "cares"]}) == 1
    assert len({fold(w) for w in ["worry", "worries", "worried"]}) == 1
    assert fold("stopped") == fold("stop")
    assert fold("bus") == "bus"


def test_common_and_short_words_are_left_out_and_possessives_folded() -> None:
    written = [as_written for _, as_written in tokenise("Unpaid overtime, and the rota's gaps. I'm ok")]
    assert written == ["unpaid", "overtime", "rota", "gaps"]


def test_accents_are_folded_and_short_words_dropped() -> None:
    assert [w for _, w in tokenise("Café ok")] == ["cafe"]


def test_a_note_about_overtime_is_suggested_working_conditions_and_says_why() -> None:
    [best] = suggest("They keep changing my rota and I do overtime unpaid", model())
    assert best.theme_id == 1
    assert best.score >= 0.15
    assert set(best.terms[:2]) == {"overtime", "rota"}
    assert best.explanation.startswith("Shares ‘rota’, ‘overtime’")
    assert "with 2 notes tagged Working conditions (score " in best.explanation


def test_a_theme_without_issues_is_suggested_from_its_name_and_description() -> None:
    transport = ThemeText(3, "Transport", "Buses, lifts and getting to appointments")
    [best] = suggest("No buses after six so I miss appointments", build([WORKING, LONELY, transport], NOTES))
    assert best.theme_id == 3
    assert "with the name and description of Transport" in best.explanation


def test_the_explanation_never_shows_words_from_other_notes() -> None:
    [best] = suggest("Overtime again", model())
    assert best.terms == ("overtime",)
    assert "unpaid" not in best.explanation and "rota" not in best.explanation


def test_weak_matches_are_not_suggested() -> None:
    note = "The garden centre, the library, the allotment, overtime, the choir and the swimming pool"
    assert suggest(note, model(), min_score=0.5) == []
    assert [s.theme_id for s in suggest(note, model(), min_score=0.0)] == [1]


def test_at_most_k_themes_and_the_excluded_are_skipped() -> None:
    themes = [ThemeText(i, f"Theme {name}", f"overtime {name}") for i, name in enumerate("abcde", 1)]
    shown = suggest("overtime", build(themes), min_score=0.0)
    assert len(shown) == 3
    assert 1 not in [s.theme_id for s in suggest("overtime", build(themes), min_score=0.0, exclude=[1])]


def test_ties_are_broken_by_theme_name() -> None:
    themes = [ThemeText(1, "Zebra crossings", "overtime"), ThemeText(2, "Apple trees", "overtime")]
    shown = suggest("overtime", build(themes), min_score=0.0)
    assert [s.name for s in shown] == ["Apple trees", "Zebra crossings"]
    assert shown[0].score == shown[1].score


def test_no_themes_means_no_suggestions() -> None:
    assert suggest("overtime", build([])) == []


# --- Properties ---------------------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyz"
word = st.text(alphabet=LETTERS, min_size=3, max_size=9).filter(lambda w: w not in STOP_WORDS)
any_text = st.text(max_size=200)
prose = st.lists(st.one_of(word, st.sampled_from(["the", "and", ",", ".", "I", "don't"])), max_size=25).map(
    " ".join
)


Case = tuple[list[ThemeText], list[Note], str]


@st.composite
def themes_and_note(draw: st.DrawFn) -> Case:
    count = draw(st.integers(0, 5))
    themes = [
        ThemeText(draw(st.integers(1, 10_000)) * 10 + i, draw(prose), draw(prose)) for i in range(count)
    ]
    ids = [theme.theme_id for theme in themes] + [-1]  # -1: a theme that is not (or no longer) there
    notes = draw(
        st.lists(
            st.builds(Note, st.one_of(prose, any_text), st.frozensets(st.sampled_from(ids), max_size=3)),
            max_size=8,
        )
    )
    return themes, notes, draw(st.one_of(prose, any_text))


@PROPERTY
@given(themes_and_note(), st.randoms(use_true_random=False))
def test_suggestions_do_not_depend_on_the_order_of_themes_or_notes(
    case: Case, shuffler: random.Random
) -> None:
    themes, notes, note = case
    first = suggest(note, build(themes, notes), min_score=0.0)
    assert (
        suggest(
            note,
            build(shuffler.sample(themes, len(themes)), shuffler.sample(notes, len(notes))),
            min_score=0.0,
        )
        == first
    )
    assert suggest(note, build(themes, notes), min_score=0.0) == first


@PROPERTY
@given(themes_and_note())
def test_explanation_terms_are_the_notes_own_words(case: Case) -> None:
    themes, notes, note = case
    written = {as_written for _, as_written in tokenise(note)}
    for suggestion in suggest(note, build(themes, notes), min_score=0.0):
        assert suggestion.terms
        assert set(suggestion.terms) <= written
        assert len(suggestion.terms) <= 5


@PROPERTY
@given(themes_and_note())
def test_suggestions_are_few_ordered_and_above_the_threshold(case: Case) -> None:
    themes, notes, note = case
    shown = suggest(note, build(themes, notes))
    assert len(shown) <= 3
    assert all(0.15 <= s.score <= 1 + 1e-9 for s in shown)
    # equal scores (to 12 places, where float sums differ by order) are ordered by name instead
    scores = [round(s.score, 12) for s in shown]
    assert scores == sorted(scores, reverse=True)
    assert len({s.theme_id for s in shown}) == len(shown)


@PROPERTY
@given(
    st.lists(themes_and_note(), max_size=1), st.sampled_from(["", "   ", "the and of", "...", "I'm, it's"])
)
def test_a_note_with_no_words_gets_no_suggestion(cases: list[tuple[list[ThemeText], str]], note: str) -> None:
    themes = cases[0][0] if cases else [WORKING]
    assert terms_of(note) == []
    assert suggest(note, build(themes), min_score=0.0) == []


@st.composite
def two_vocabularies(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    words = draw(st.lists(word, min_size=4, max_size=16, unique_by=fold))
    cut = draw(st.integers(2, len(words) - 2))
    return words[:cut], words[cut:]


@PROPERTY
@given(two_vocabularies(), st.data())
def test_a_note_sharing_words_with_one_themes_issues_is_suggested_that_theme(
    vocabularies: tuple[list[str], list[str]], data: st.DataObject
) -> None:
    ours, theirs = vocabularies

    def notes(vocabulary: list[str]) -> list[str]:
        return data.draw(
            st.lists(st.lists(st.sampled_from(vocabulary), min_size=1).map(" ".join), min_size=1)
        )

    our_notes = notes(ours)
    themes = [ThemeText(1, ours[0]), ThemeText(2, theirs[0])]
    tagged = [Note(text, frozenset({1})) for text in our_notes]
    tagged += [Note(text, frozenset({2})) for text in notes(theirs)]
    used = sorted({w for text in [ours[0], *our_notes] for w in text.split()})
    note = " ".join(data.draw(st.lists(st.sampled_from(used), min_size=1)))
    shown = suggest(note, build(themes, tagged), min_score=0.0)
    assert [s.theme_id for s in shown] == [1]


def test_a_note_with_two_themes_counts_towards_both_and_unknown_themes_are_ignored() -> None:
    built = build([WORKING, LONELY], [Note("Overtime and nobody visits", frozenset({1, 2, 99}))])
    assert [(c.theme_id, c.notes) for c in built.centroids] == [(1, 1), (2, 1)]
