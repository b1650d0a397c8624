"""Property tests of the randomisation engine: for any secret and any design, the blocks balance,
the sequence is the secret's alone, and minimisation stays deterministic and within its rules."""

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from carecommons.trials.randomisation import (
    ListName,
    Stream,
    blind_labels,
    block_arm,
    block_sequence,
    block_sizes,
    minimisation_scores,
    minimised_arm,
    sequence_arms,
)

PROPERTY = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
secrets_ = st.binary(min_size=16, max_size=32)
list_names: st.SearchStrategy[ListName] = st.sampled_from(["test", "live"])


@dataclass(frozen=True)
class Design:
    arms: tuple[str, ...]
    ratio: tuple[int, ...]
    multiples: tuple[int, ...]


@st.composite
def designs(draw: st.DrawFn) -> Design:
    arms = draw(
        st.lists(
            st.sampled_from(["intervention", "control", "waiting list", "booster"]),
            min_size=2,
            max_size=3,
            unique=True,
        )
    )
    ratio = tuple(draw(st.integers(1, 3)) for _ in arms)
    multiples = tuple(sorted(draw(st.sets(st.integers(1, 4), min_size=1))))
    return Design(tuple(arms), ratio, multiples)


def sequence(
    secret: bytes, design: Design, count: int, *, list_name: ListName = "live", stratum: str = "s"
) -> list[str]:
    blocks = block_sequence(
        secret,
        list_name=list_name,
        stratum=stratum,
        count=count,
        arms=design.arms,
        ratio=design.ratio,
        block_multiples=design.multiples,
    )
    return sequence_arms(blocks)


@PROPERTY
@given(secrets_, designs(), st.integers(0, 300), st.text(max_size=20))
def test_every_complete_block_holds_the_arms_exactly_in_the_ratio(
    secret: bytes, design: Design, count: int, stratum: str
) -> None:
    blocks = block_sequence(
        secret,
        list_name="live",
        stratum=stratum,
        count=count,
        arms=design.arms,
        ratio=design.ratio,
        block_multiples=design.multiples,
    )
    for block in blocks:
        assert block.size in block_sizes(design.ratio, design.multiples)
        if block.complete:
            multiple = block.size // sum(design.ratio)
            tally = Counter(block.arms)
            assert [tally[arm] for arm in design.arms] == [share * multiple for share in design.ratio]


@PROPERTY
@given(secrets_, designs(), st.integers(1, 300))
def test_at_any_point_of_a_stratum_the_imbalance_is_at_most_half_the_largest_block(
    secret: bytes, design: Design, count: int
) -> None:
    """Counts divided by the ratio differ by at most the largest multiple (half the largest block
    or less, since every block holds at least two units); each arm's count is within
    largest block × p(1 - p) of its expected share p."""
    largest_block = max(block_sizes(design.ratio, design.multiples))
    total = sum(design.ratio)
    counts = dict.fromkeys(design.arms, 0)
    for slot, arm in enumerate(sequence(secret, design, count), start=1):
        counts[arm] += 1
        scaled = [Fraction(counts[a], share) for a, share in zip(design.arms, design.ratio, strict=True)]
        assert max(scaled) - min(scaled) <= max(design.multiples) <= Fraction(largest_block, 2)
        for a, share in zip(design.arms, design.ratio, strict=True):
            p = Fraction(share, total)
            assert abs(counts[a] - slot * p) <= largest_block * p * (1 - p)


@PROPERTY
@given(secrets_, secrets_, designs(), list_names)
def test_the_same_secret_gives_the_same_sequence_and_another_secret_another(
    secret: bytes, other: bytes, design: Design, list_name: ListName
) -> None:
    assume(secret != other)
    first = sequence(secret, design, 128, list_name=list_name)
    assert sequence(secret, design, 128, list_name=list_name) == first
    assert sequence(other, design, 128, list_name=list_name) != first


@PROPERTY
@given(secrets_, designs(), st.integers(0, 200))
def test_block_arm_and_block_sequence_agree_at_any_slot(secret: bytes, design: Design, slot: int) -> None:
    arm = block_arm(
        secret,
        list_name="test",
        stratum="site=Hackney",
        slot=slot,
        arms=design.arms,
        ratio=design.ratio,
        block_multiples=design.multiples,
    )
    assert arm == sequence(secret, design, slot + 1, list_name="test", stratum="site=Hackney")[slot]


@PROPERTY
@given(secrets_, designs())
def test_the_live_list_does_not_repeat_the_test_list_nor_one_stratum_another(
    secret: bytes, design: Design
) -> None:
    live = sequence(secret, design, 128, list_name="live", stratum="site=Hackney")
    assert sequence(secret, design, 128, list_name="test", stratum="site=Hackney") != live
    assert sequence(secret, design, 128, list_name="live", stratum="site=Salford") != live


@PROPERTY
@given(secrets_, st.text(max_size=10), st.integers(1, 1000))
def test_integer_draws_stay_within_their_range(secret: bytes, purpose: str, n: int) -> None:
    draws = Stream(secret, list_name="live", stratum="", purpose=purpose)
    assert all(0 <= draws.below(n) < n for _ in range(20))


unit_levels = st.fixed_dictionaries(
    {"site": st.sampled_from(["Hackney", "Salford"]), "gender": st.sampled_from(["woman", "man", "other"])}
)
arm_names = st.sampled_from(["intervention", "control"])


@PROPERTY
@given(
    secrets_,
    list_names,
    st.integers(0, 10_000),
    unit_levels,
    st.lists(st.tuples(arm_names, unit_levels), max_size=30),
    st.floats(0, 1),
)
def test_minimisation_is_deterministic_and_gives_a_best_arm_when_it_must(
    secret: bytes,
    list_name: ListName,
    slot: int,
    factors: dict[str, str],
    history: list[tuple[str, dict[str, str]]],
    best_probability: float,
) -> None:
    arms = ("intervention", "control")

    def allocate(probability: float) -> str:
        return minimised_arm(
            secret,
            list_name=list_name,
            slot=slot,
            arms=arms,
            factors=factors,
            history=history,
            best_probability=probability,
        )

    arm = allocate(best_probability)
    assert arm in arms
    assert allocate(best_probability) == arm
    if history:
        scores = minimisation_scores(arms=arms, factors=factors, history=history)
        assert scores[allocate(1.0)] == min(scores.values())
        if len(set(scores.values())) == 2:
            assert scores[allocate(0.0)] == max(scores.values())


@PROPERTY
@given(secrets_, st.lists(st.sampled_from(["Hackney", "Salford", "Leeds"]), min_size=1, max_size=40))
def test_minimisation_without_its_random_element_keeps_every_level_of_one_factor_within_one(
    secret: bytes, sites: list[str]
) -> None:
    arms = ("intervention", "control")
    history: list[tuple[str, dict[str, str]]] = []
    for slot, site in enumerate(sites):
        factors = {"site": site}
        arm = minimised_arm(
            secret,
            list_name="live",
            slot=slot,
            arms=arms,
            factors=factors,
            history=history,
            best_probability=1.0,
        )
        history.append((arm, factors))
        tally = Counter((levels["site"], allocated) for allocated, levels in history)
        assert all(abs(tally[level, arms[0]] - tally[level, arms[1]]) <= 1 for level in set(sites))


@PROPERTY
@given(secrets_, st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=26, unique=True))
def test_blind_labels_give_each_arm_its_own_letter_from_a(secret: bytes, arms: list[str]) -> None:
    labels = blind_labels(secret, arms)
    assert list(labels) == arms
    assert sorted(labels.values()) == [chr(ord("A") + index) for index in range(len(arms))]
    assert blind_labels(secret, arms) == labels
