from carecommons.lib.words import plural


def test_one_of_something_takes_the_singular() -> None:
    assert plural(1, "row") == "1 row"


def test_none_or_many_take_the_plural_with_an_s_by_default() -> None:
    assert plural(0, "row") == "0 rows"
    assert plural(2, "row") == "2 rows"


def test_an_irregular_plural_or_a_verb_is_given_in_full() -> None:
    assert plural(3, "person", "people") == "3 people"
    assert plural(1, "row has", "rows have") == "1 row has"
    assert plural(5, "row has", "rows have") == "5 rows have"


def test_large_counts_are_grouped_in_thousands() -> None:
    assert plural(1200, "issue") == "1,200 issues"
