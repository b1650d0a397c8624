from hypothesis import given
from hypothesis import strategies as st

from carecommons.lib.search_terms import fold, prefix_upper_bound, query_words, terms_for

keys = st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)


def test_fold_strips_accents_case_and_punctuation() -> None:
    assert fold("Siân O’Brien-Smith") == "sianobriensmith"
    assert fold("ZOË") == "zoe"


def test_terms_cover_each_word_and_the_whole_value() -> None:
    assert terms_for("Mary-Jane", "ann.smith@example.org") >= {
        "mary",
        "jane",
        "maryjane",
        "ann",
        "smith",
        "example",
        "org",
        "annsmithexampleorg",
    }


def test_a_word_with_an_apostrophe_is_also_kept_whole() -> None:
    assert {"men", "mens", "shed", "hackneymensshed"} <= terms_for("Hackney Men's Shed")


@given(st.text(max_size=80))
def test_folded_text_is_only_lowercase_letters_and_digits(text: str) -> None:
    assert set(fold(text)) <= set("0123456789abcdefghijklmnopqrstuvwxyz")


@given(keys, keys)
def test_prefix_range_contains_exactly_the_keys_starting_with_the_prefix(prefix: str, key: str) -> None:
    upper = prefix_upper_bound(prefix)
    in_range = key >= prefix and (upper is None or key < upper)
    assert in_range == key.startswith(prefix)


@given(st.text(max_size=60))
def test_query_words_are_folded_and_longest_first(query: str) -> None:
    words = query_words(query)
    assert all(word == fold(word) and word for word in words)
    assert [len(w) for w in words] == sorted((len(w) for w in words), reverse=True)
