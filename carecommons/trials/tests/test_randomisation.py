"""The randomisation engine: its stream, its designs, and what someone without the secret can learn.

The statistical tests use fixed secrets (`secret(i)`), so each runs the same way every time; their
bounds are worked out from the design (exact chances by enumerating it, standard errors from the
data), not picked to pass.
"""

import hashlib
import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from fractions import Fraction

import pytest

from carecommons.trials.randomisation import (
    Block,
    ListName,
    Stream,
    blind_labels,
    block_arm,
    block_sequence,
    block_sizes,
    describe_blocks,
    describe_minimisation,
    minimisation_scores,
    minimised_arm,
    new_secret,
    reduce_uniform,
    sequence_arms,
)

ARMS = ("intervention", "control")
SIGMAS = 5


def secret(number: int) -> bytes:
    return hashlib.sha256(f"test secret {number}".encode()).digest()


def test_a_new_secret_is_32_bytes_and_never_the_same_twice() -> None:
    secrets = {new_secret() for _ in range(100)}
    assert len(secrets) == 100
    assert {len(each) for each in secrets} == {32}


def test_the_rejection_step_gives_every_value_equally_often_where_a_remainder_would_not() -> None:
    space = 256
    drawn = Counter(reduce_uniform(value, 3, space) for value in range(space))
    assert drawn.pop(None) == space % 3
    assert set(drawn.values()) == {space // 3}
    assert reduce_uniform(255, 3, space) is None
    assert reduce_uniform(254, 3, space) == 254 % 3


def test_a_stream_is_the_same_for_the_same_secret_list_stratum_and_purpose_and_differs_otherwise() -> None:
    def first_bytes(
        secret_: bytes, list_name: ListName = "live", stratum: str = "site=Hackney", purpose: str = "x"
    ) -> bytes:
        return Stream(secret_, list_name=list_name, stratum=stratum, purpose=purpose).read(64)

    reference = first_bytes(secret(1))
    assert first_bytes(secret(1)) == reference
    variants = [
        first_bytes(secret(2)),
        first_bytes(secret(1), list_name="test"),
        first_bytes(secret(1), stratum="site=Salford"),
        first_bytes(secret(1), purpose="y"),
        first_bytes(secret(1), stratum="site=Hackne", purpose="yx"),
    ]
    assert len({reference, *variants}) == 6


def test_reading_a_stream_in_pieces_gives_the_same_bytes_as_reading_it_at_once() -> None:
    def new() -> Stream:
        return Stream(secret(1), list_name="live", stratum="", purpose="pieces")

    pieces = new()
    assert b"".join(pieces.read(size) for size in (1, 7, 30, 2, 60)) == new().read(100)


def test_integer_draws_cover_their_range_evenly() -> None:
    draws = Stream(secret(1), list_name="live", stratum="", purpose="even")
    n, count = 6, 60_000
    tally = Counter(draws.below(n) for _ in range(count))
    assert set(tally) == set(range(n))
    chi_square = sum((observed - count / n) ** 2 / (count / n) for observed in tally.values())
    assert chi_square < 20.5  # the 0.999 quantile of chi-square with 5 degrees of freedom


def test_a_stream_refuses_a_short_secret_and_an_unknown_list() -> None:
    with pytest.raises(ValueError, match="secret"):
        Stream(b"short", list_name="live", stratum="", purpose="")
    with pytest.raises(ValueError, match="list_name"):
        Stream(secret(1), list_name="practice", stratum="", purpose="")  # type: ignore[arg-type]


def test_block_arm_gives_the_arm_of_block_sequence_at_every_slot() -> None:
    arms = sequence_arms(
        block_sequence(secret(3), list_name="live", stratum="site=Hackney", count=120, arms=ARMS)
    )
    assert arms == [
        block_arm(secret(3), list_name="live", stratum="site=Hackney", slot=slot, arms=ARMS)
        for slot in range(120)
    ]


def test_block_sequence_reaches_100000_slots_in_contiguous_blocks_of_the_allowed_sizes() -> None:
    blocks = block_sequence(secret(4), list_name="live", stratum="s", count=100_000, arms=ARMS, ratio=(2, 1))
    assert sum(len(block.arms) for block in blocks) == 100_000
    assert [block.start for block in blocks] == [0, *(b.start + b.size for b in blocks[:-1])]
    assert [block.index for block in blocks] == list(range(len(blocks)))
    assert {block.size for block in blocks} == set(block_sizes((2, 1))) == {3, 6, 9}
    assert all(block.complete for block in blocks[:-1])


def test_every_block_size_is_drawn_about_equally_often() -> None:
    blocks = block_sequence(secret(5), list_name="live", stratum="s", count=60_000, arms=ARMS)
    tally = Counter(block.size for block in blocks)
    expected = len(blocks) / 3
    chi_square = sum((observed - expected) ** 2 / expected for observed in tally.values())
    assert chi_square < 13.8  # the 0.999 quantile of chi-square with 2 degrees of freedom


def test_a_cut_block_holds_only_the_slots_before_the_count() -> None:
    blocks = block_sequence(
        secret(6), list_name="live", stratum="s", count=7, arms=ARMS, block_multiples=(2,)
    )
    assert [(block.start, block.size, len(block.arms)) for block in blocks] == [(0, 4, 4), (4, 4, 3)]
    assert not blocks[-1].complete
    assert block_sequence(secret(6), list_name="live", stratum="s", count=0, arms=ARMS) == []


def test_designs_that_make_no_sense_are_refused() -> None:
    with pytest.raises(ValueError, match="two arms"):
        block_arm(secret(1), list_name="live", stratum="s", slot=0, arms=("only",))
    with pytest.raises(ValueError, match="two arms"):
        block_arm(secret(1), list_name="live", stratum="s", slot=0, arms=("same", "same"))
    with pytest.raises(ValueError, match="ratio"):
        block_arm(secret(1), list_name="live", stratum="s", slot=0, arms=ARMS, ratio=(1, 0))
    with pytest.raises(ValueError, match="ratio"):
        block_arm(secret(1), list_name="live", stratum="s", slot=0, arms=ARMS, ratio=(1, 1, 1))
    with pytest.raises(ValueError, match="multiples"):
        block_arm(secret(1), list_name="live", stratum="s", slot=0, arms=ARMS, block_multiples=())
    with pytest.raises(ValueError, match="slot"):
        block_arm(secret(1), list_name="live", stratum="s", slot=-1, arms=ARMS)


# What someone without the secret can learn from the earlier allocations.


def next_arm_chances(
    prefix: Sequence[str], arms: Sequence[str], ratio: Sequence[int], multiples: Sequence[int]
) -> tuple[Fraction, dict[str, Fraction]]:
    """The chance of the prefix and of each next arm under the design itself (sizes equally likely,
    permutations uniform), by summing over every way the prefix can fall into blocks. Written apart
    from the engine, to hold it to."""
    boundary = (0,) * len(arms)
    states: dict[tuple[int, ...], Fraction] = {boundary: Fraction(1)}

    def opened(states: dict[tuple[int, ...], Fraction]) -> dict[tuple[int, ...], Fraction]:
        result: dict[tuple[int, ...], Fraction] = defaultdict(Fraction)
        for remaining, chance in states.items():
            if remaining == boundary:
                for multiple in multiples:
                    result[tuple(share * multiple for share in ratio)] += chance / len(multiples)
            else:
                result[remaining] += chance
        return result

    def taken(states: dict[tuple[int, ...], Fraction], arm: int) -> dict[tuple[int, ...], Fraction]:
        result: dict[tuple[int, ...], Fraction] = defaultdict(Fraction)
        for remaining, chance in opened(states).items():
            if remaining[arm]:
                after = tuple(left - (index == arm) for index, left in enumerate(remaining))
                result[after] += chance * Fraction(remaining[arm], sum(remaining))
        return result

    for arm in prefix:
        states = taken(states, arms.index(arm))
    total = sum(states.values(), Fraction(0))
    return total, {
        arm: sum(taken(states, index).values(), Fraction(0)) / total for index, arm in enumerate(arms)
    }


def test_without_the_secret_the_next_arm_can_be_either_unless_the_earlier_ones_force_it() -> None:
    """Over 6,000 secrets, every prefix of up to 7 allocations is followed by each arm the design
    allows, and by no other; a prefix at the largest imbalance the blocks allow forces the next
    arm. Each arm with an expected count of 20 or more after a prefix must be seen (missing it by
    chance has probability below e^-20), and the frequencies are those of the design within five
    standard errors."""
    length, runs, multiples = 8, 6_000, (1, 2, 3)
    followers: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for number in range(runs):
        arms = sequence_arms(
            block_sequence(secret(number), list_name="live", stratum="s", count=length, arms=ARMS)
        )
        for cut in range(length):
            followers[tuple(arms[:cut])][arms[cut]] += 1
    checked_both = forced = 0
    for prefix, seen in followers.items():
        chance_of_prefix, chances = next_arm_chances(prefix, ARMS, (1, 1), multiples)
        possible = {arm for arm, chance in chances.items() if chance}
        assert set(seen) <= possible, prefix
        imbalance = abs(prefix.count(ARMS[0]) - prefix.count(ARMS[1]))
        if imbalance == max(multiples):
            assert len(possible) == 1, prefix
        if len(possible) == 1:
            forced += 1
            continue
        if all(runs * chance_of_prefix * chances[arm] >= 20 for arm in possible):
            assert set(seen) == possible, prefix
            checked_both += 1
        observed = sum(seen.values())
        for arm in possible:
            expected = float(chances[arm])
            error = math.sqrt(expected * (1 - expected) / observed)
            assert abs(seen[arm] / observed - expected) <= SIGMAS * error + 1e-12, (prefix, arm)
    assert checked_both >= 60
    assert forced >= 5


def convergence_expected(multiple: int) -> Fraction:
    """Expected right guesses in one 1:1 block of 2 × multiple when guessing the arm with fewer so
    far (either, with chance 1/2, on a tie): the guess is right with the share of that arm left."""
    memo: dict[tuple[int, int], Fraction] = {}

    def right(first: int, second: int) -> Fraction:
        if first + second == 0:
            return Fraction(0)
        if (first, second) not in memo:
            guess = Fraction(1, 2) if first == second else Fraction(max(first, second), first + second)
            after_first = right(first - 1, second) if first else Fraction(0)
            after_second = right(first, second - 1) if second else Fraction(0)
            memo[first, second] = (
                guess
                + Fraction(first, first + second) * after_first
                + Fraction(second, first + second) * after_second
            )
        return memo[first, second]

    return right(multiple, multiple)


def convergence_rate(multiples: Sequence[int]) -> Fraction:
    """The long-run share of right guesses: expected right per block over expected block size."""
    return sum((convergence_expected(m) for m in multiples), Fraction(0)) / sum(2 * m for m in multiples)


def guessed(multiples: Sequence[int], secrets_: Sequence[bytes], count: int) -> tuple[float, float]:
    """The share of right Blackwell-Hodges guesses over the complete blocks, and its standard error
    (blocks are independent; the delta method for a ratio of sums)."""
    right_per_block: list[int] = []
    sizes: list[int] = []
    for each in secrets_:
        blocks = block_sequence(
            each, list_name="live", stratum="s", count=count, arms=ARMS, block_multiples=multiples
        )
        for block in (block for block in blocks if block.complete):
            counts = dict.fromkeys(ARMS, 0)  # earlier blocks are balanced, so these are the stratum's
            right = 0
            for arm in block.arms:
                guess = ARMS[0] if counts[ARMS[0]] <= counts[ARMS[1]] else ARMS[1]
                right += guess == arm
                counts[arm] += 1
            right_per_block.append(right)
            sizes.append(block.size)
    rate = sum(right_per_block) / sum(sizes)
    mean_size = sum(sizes) / len(sizes)
    residuals = [right - rate * size for right, size in zip(right_per_block, sizes, strict=True)]
    variance = sum(residual**2 for residual in residuals) / (len(residuals) - 1)
    return rate, math.sqrt(variance / len(residuals)) / mean_size


def test_the_convergence_guess_is_right_clearly_less_often_with_random_sizes_than_with_blocks_of_2() -> None:
    """Blackwell and Hodges (1957): with fixed blocks of 2 the guess is right 3/4 of the time; with
    sizes 2, 4 or 6 the exact long-run rate is (3/2 + 17/6 + 41/10) / 12 = 253/360 (about 0.703).
    The engine's rates agree with both within five standard errors, and the upper end for random
    sizes lies below the lower end for blocks of 2."""
    assert convergence_rate((1,)) == Fraction(3, 4)
    exact_random = convergence_rate((1, 2, 3))
    assert exact_random == Fraction(253, 360)
    fixed, fixed_error = guessed((1,), [secret(10)], 100_000)
    varied, varied_error = guessed((1, 2, 3), [secret(11), secret(12)], 100_000)
    assert abs(fixed - 0.75) <= SIGMAS * fixed_error
    assert abs(varied - float(exact_random)) <= SIGMAS * varied_error
    assert varied + SIGMAS * varied_error < fixed - SIGMAS * fixed_error


def agreement_bound(count: int, largest_block: int) -> float:
    """Five standard errors of the share of slots where two independent 1:1 sequences agree: each
    agreement has variance 1/4 and covaries (by at most 1/4) only with slots in the same block of
    both, at most largest_block - 1 of them."""
    return SIGMAS * math.sqrt(largest_block / (4 * count))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("live", "site=Hackney"), ("test", "site=Hackney")),
        (("live", "site=Hackney"), ("live", "site=Salford")),
    ],
)
def test_the_test_and_live_lists_and_different_strata_are_independent(
    first: tuple[ListName, str], second: tuple[ListName, str]
) -> None:
    count = 100_000

    def arms(list_name: ListName, stratum: str) -> list[str]:
        return sequence_arms(
            block_sequence(secret(20), list_name=list_name, stratum=stratum, count=count, arms=ARMS)
        )

    one, other = arms(*first), arms(*second)
    assert one[:100] != other[:100]
    agreement = sum(a == b for a, b in zip(one, other, strict=True)) / count
    assert abs(agreement - 0.5) <= agreement_bound(count, 6)


# Minimisation.

HISTORY = [
    ("intervention", {"site": "Hackney", "gender": "woman"}),
    ("intervention", {"site": "Hackney", "gender": "man"}),
    ("control", {"site": "Salford", "gender": "woman"}),
]
NEWCOMER = {"site": "Hackney", "gender": "woman"}


def test_minimisation_scores_are_the_ranges_at_the_newcomers_levels_worked_by_hand() -> None:
    # At Hackney 2 and 0; among women 1 and 1. To intervention: ranges 3 and 1; to control: 1 and 1.
    assert minimisation_scores(arms=ARMS, factors=NEWCOMER, history=HISTORY) == {
        "intervention": 4,
        "control": 2,
    }
    weighted = minimisation_scores(
        arms=ARMS, factors=NEWCOMER, history=HISTORY, weights={"site": 2, "gender": 1}
    )
    assert weighted == {"intervention": 7, "control": 3}
    # In the ratio 2:1 the counts are halved for intervention: (1.5, 0) and (1, 1), or (1, 1) and (0.5, 2).
    assert minimisation_scores(arms=ARMS, ratio=(2, 1), factors=NEWCOMER, history=HISTORY) == {
        "intervention": 1.5,
        "control": 1.5,
    }


def test_minimisation_refuses_missing_weights_and_unknown_arms_in_the_history() -> None:
    with pytest.raises(ValueError, match="weight"):
        minimisation_scores(arms=ARMS, factors=NEWCOMER, history=HISTORY, weights={"site": 1})
    with pytest.raises(ValueError, match="arms the trial does not have"):
        minimised_arm(
            secret(1), list_name="live", slot=0, arms=ARMS, factors=NEWCOMER, history=[("placebo", NEWCOMER)]
        )
    with pytest.raises(ValueError, match="best_probability"):
        minimised_arm(
            secret(1), list_name="live", slot=0, arms=ARMS, factors=NEWCOMER, history=[], best_probability=2
        )


def share_within_bound(hits: int, count: int, expected: float) -> bool:
    return abs(hits / count - expected) <= SIGMAS * math.sqrt(expected * (1 - expected) / count)


def test_minimisation_gives_the_least_imbalanced_arm_with_the_best_probability() -> None:
    count = 4_000
    chosen = Counter(
        minimised_arm(secret(30), list_name="live", slot=slot, arms=ARMS, factors=NEWCOMER, history=HISTORY)
        for slot in range(count)
    )
    assert share_within_bound(chosen["control"], count, 0.8)


def test_the_first_unit_is_drawn_in_the_ratio() -> None:
    count = 3_000
    chosen = Counter(
        minimised_arm(
            secret(31), list_name="live", slot=slot, arms=ARMS, ratio=(2, 1), factors=NEWCOMER, history=[]
        )
        for slot in range(count)
    )
    assert share_within_bound(chosen["intervention"], count, 2 / 3)


def test_minimisation_draws_differ_between_the_test_and_live_lists() -> None:
    def arms(list_name: ListName) -> list[str]:
        return [
            minimised_arm(secret(32), list_name=list_name, slot=slot, arms=ARMS, factors=NEWCOMER, history=[])
            for slot in range(200)
        ]

    assert arms("live") != arms("test")


def total_imbalance(allocated: Sequence[tuple[str, dict[str, str]]]) -> int:
    cells: Counter[tuple[str, str, str]] = Counter()
    for arm, levels in allocated:
        for factor, level in levels.items():
            cells[factor, level, arm] += 1
    levels_seen = {(factor, level) for factor, level, _ in cells}
    return sum(
        abs(cells[factor, level, ARMS[0]] - cells[factor, level, ARMS[1]]) for factor, level in levels_seen
    )


def test_minimisation_keeps_the_factors_better_balanced_than_simple_randomisation() -> None:
    """Forty trials of 60 people at three sites, two genders and two age groups: the summed
    imbalance over every level is lower with minimisation in the mean, by more than five standard
    errors of the paired differences."""
    differences: list[int] = []
    for run in range(40):
        people = random.Random(run)
        units = [
            {
                "site": people.choice(["Hackney", "Salford", "Leeds"]),
                "gender": people.choice(["woman", "man"]),
                "age": people.choice(["under 40", "40 and over"]),
            }
            for _ in range(60)
        ]
        minimised: list[tuple[str, dict[str, str]]] = []
        for slot, levels in enumerate(units):
            arm = minimised_arm(
                secret(run), list_name="live", slot=slot, arms=ARMS, factors=levels, history=minimised
            )
            minimised.append((arm, levels))
        coin = Stream(secret(run), list_name="live", stratum="", purpose="simple randomisation")
        simple = [(ARMS[coin.below(2)], levels) for levels in units]
        differences.append(total_imbalance(simple) - total_imbalance(minimised))
    mean = sum(differences) / len(differences)
    spread = math.sqrt(sum((d - mean) ** 2 for d in differences) / (len(differences) - 1))
    assert mean > SIGMAS * spread / math.sqrt(len(differences))


# Blinding and descriptions.


def test_the_blind_letters_do_not_follow_the_order_the_arms_were_defined_in() -> None:
    count = 2_000
    first_is_a = sum(blind_labels(secret(number), ARMS)[ARMS[0]] == "A" for number in range(count))
    assert share_within_bound(first_is_a, count, 0.5)
    assert blind_labels(secret(1), ARMS) == blind_labels(secret(1), ARMS)
    assert sorted(blind_labels(secret(1), ("a", "b", "c", "d")).values()) == ["A", "B", "C", "D"]


def test_the_descriptions_name_the_method_block_sizes_ratio_and_factors() -> None:
    blocks = describe_blocks(arms=ARMS, ratio=(2, 1), strata=("site",))
    assert "block sizes 3, 6 or 9" in blocks.lower()
    assert "ratio 2:1" in blocks
    assert "stratified by site" in blocks
    fixed = describe_blocks(arms=ARMS, block_multiples=(2,))
    assert "Block sizes 4 (fixed)" in fixed
    minimisation = describe_minimisation(
        arms=ARMS, factors=("site", "gender"), weights={"site": 2, "gender": 1}
    )
    assert "Pocock" in minimisation
    assert "site (weight 2), gender (weight 1)" in minimisation
    assert "probability 0.8" in minimisation


def test_a_block_is_complete_only_when_it_holds_all_its_slots() -> None:
    assert Block(index=0, start=0, size=2, arms=("a", "b")).complete
    assert not Block(index=0, start=0, size=4, arms=("a", "b")).complete
