import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecommons.assets.postcodes import FULL, PostcodeError, clean_postcode, normalise, outward_code

REAL = ["LS6 1AB", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "SW1A 2AA", "GIR 0AA"]


@pytest.mark.parametrize("postcode", REAL)
def test_real_postcodes_pass_however_they_are_typed(postcode: str) -> None:
    assert clean_postcode(postcode) == postcode
    assert clean_postcode(f"  {postcode.lower().replace(' ', '')} ") == postcode


@pytest.mark.parametrize("outward", ["LS6", "ls6", "EC1A", "M1", "B33", "SW1A", "GIR"])
def test_the_first_half_alone_is_accepted(outward: str) -> None:
    assert clean_postcode(outward) == outward.upper()


@pytest.mark.parametrize(
    "typed",
    ["LS6 1CB", "QS6 1AB", "LS6 1A", "1LS 6AB", "LS", "LS6 1ABC", "SW1A 1AAA", "N0RTH", "LS6-1AB", "12345"],
)
def test_shapes_that_are_not_postcodes_are_refused_in_plain_words(typed: str) -> None:
    with pytest.raises(PostcodeError, match="full UK postcode, like LS6 1AB"):
        clean_postcode(typed)


def test_nothing_typed_is_no_postcode() -> None:
    assert clean_postcode("   ") == ""


def test_outward_code_is_the_first_half() -> None:
    assert outward_code("LS6 1AB") == "LS6"
    assert outward_code("LS6") == "LS6"


inward = st.from_regex(r"\A[0-9][ABD-HJLNP-UW-Z]{2}\Z")
outward = st.from_regex(r"\A[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]([0-9ABEHMNPRV-Y])?|[0-9][A-HJKPS-UW])\Z")


@given(outward, inward, st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_well_formed_postcode_normalises_to_one_spaced_form_and_its_half_passes(
    out: str, inn: str, gap: str, lower: bool
) -> None:
    typed = f"{out}{gap}{inn}"
    cleaned = clean_postcode(typed.lower() if lower else typed)
    assert cleaned == f"{out} {inn}"
    assert FULL.match(cleaned)
    assert clean_postcode(outward_code(cleaned)) == out


@given(st.text(max_size=12))
def test_normalising_is_idempotent_and_cleaning_never_crashes(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)
    try:
        cleaned = clean_postcode(text)
    except PostcodeError:
        return
    assert cleaned == normalise(text)
