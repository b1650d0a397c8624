"""The randomisation engine of a trial, pure: a secret and the trial's design in, an arm out (issue 14).

Everything is drawn from one secret (`new_secret`, 32 bytes) through HMAC-SHA256 in counter mode:
the stream for a list ("test" or "live"), a stratum and a purpose is HMAC(secret, those three,
block number) for block numbers 0, 1, 2, ... Whoever lacks the secret cannot tell the stream from
coin flips, so staff who enrol cannot work out the next allocation from the earlier ones; whoever
holds it (the trial statistician) can regenerate every allocation. Integers are drawn by rejection
sampling, so no arm is favoured by a modulo remainder.

Two methods, as the trial chooses (`shared/reference/instruments.md`, section 7):

- Stratified permuted blocks of random sizes (`block_arm`, `block_sequence`): each stratum (a key
  the caller forms, e.g. "site=Hackney") has its own sequence of blocks; each block's size is a
  multiple, drawn with equal chances from `block_multiples`, of the sum of the ratio, and its content
  is a random permutation holding each arm ratio × multiple times. Every completed block is exactly
  in the ratio, and random sizes keep the end of a block from being guessed.
- Minimisation (Pocock and Simon 1975, Biometrics 31:103; Altman and Bland 2005, BMJ 330:843) with a
  random element (`minimised_arm`): for each arm, the imbalance if the new unit went there is the
  weighted sum over its factors of the range of the arms' counts (divided by their ratio) at the
  unit's level; an arm with the least imbalance is chosen with `best_probability`, otherwise another.

`blind_labels` gives the letters the evaluator sees before the analysis plan is locked, in an order
drawn from the secret, so "A" does not mean "the arm defined first".

An allocation depends on the secret, the list, the stratum key, the slot and the design (arms in
their order, ratio, block multiples, factors and weights): all must stay fixed once a list is in
use, and a stratum key should be built from something that is never renamed.
"""

import hashlib
import hmac
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, cast

ListName = Literal["test", "live"]
LIST_NAMES: tuple[ListName, ...] = ("test", "live")
SECRET_BYTES = 32
MIN_SECRET_BYTES = 16
DEFAULT_BLOCK_MULTIPLES = (1, 2, 3)
DEFAULT_BEST_PROBABILITY = 0.8
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DOMAIN = b"carecommons randomisation v1"
_MINIMISATION_STRATUM = "minimisation"
_PROBABILITY_BITS = 53


def list_name(value: str) -> ListName:
    """A stored list name, checked: "test" or "live"."""
    if value not in LIST_NAMES:
        raise ValueError(f"A list is 'test' or 'live', not {value!r}.")
    return cast(ListName, value)


def new_secret() -> bytes:
    """A new trial secret, from the operating system's cryptographic source."""
    return secrets.token_bytes(SECRET_BYTES)


def reduce_uniform(value: int, n: int, space: int) -> int | None:
    """The rejection step: `value` uniform on range(space) becomes one uniform on range(n), or None
    when it falls in the top `space % n` values, which a plain remainder would give to the low ones."""
    if value >= space - space % n:
        return None
    return value % n


class Stream:
    """The deterministic random numbers of one list, stratum and purpose under a secret."""

    def __init__(self, secret: bytes, *, list_name: ListName, stratum: str, purpose: str) -> None:
        check_secret(secret)
        if list_name not in LIST_NAMES:
            raise ValueError(f"list_name must be one of {LIST_NAMES}, not {list_name!r}")
        self._secret = secret
        self._prefix = _DOMAIN + b"".join(_framed(part) for part in (list_name, stratum, purpose))
        self._counter = 0
        self._buffer = b""
        self._position = 0

    def read(self, count: int) -> bytes:
        while len(self._buffer) - self._position < count:
            block = hmac.digest(self._secret, self._prefix + self._counter.to_bytes(8, "big"), hashlib.sha256)
            self._buffer = self._buffer[self._position :] + block
            self._position = 0
            self._counter += 1
        chunk = self._buffer[self._position : self._position + count]
        self._position += count
        return chunk

    def below(self, n: int) -> int:
        """A uniform integer in range(n)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        width = ((n - 1).bit_length() + 7) // 8 + 1
        space = 1 << (8 * width)
        while True:
            drawn = reduce_uniform(int.from_bytes(self.read(width), "big"), n, space)
            if drawn is not None:
                return drawn

    def chance(self, probability: float) -> bool:
        """True with the given probability (to 2^-53)."""
        return self.below(1 << _PROBABILITY_BITS) < probability * (1 << _PROBABILITY_BITS)

    def weighted_index(self, weights: Sequence[int]) -> int:
        """An index drawn with chances proportional to the positive integer weights."""
        drawn = self.below(sum(weights))
        for index, weight in enumerate(weights):
            if drawn < weight:
                return index
            drawn -= weight
        raise AssertionError("unreachable: drawn is below the sum of the weights")

    def shuffled(self, items: Sequence[str]) -> list[str]:
        """A uniformly random permutation (Fisher-Yates)."""
        result = list(items)
        for last in range(len(result) - 1, 0, -1):
            other = self.below(last + 1)
            result[last], result[other] = result[other], result[last]
        return result


def check_secret(secret: bytes) -> None:
    if not isinstance(secret, bytes) or len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret must be at least {MIN_SECRET_BYTES} bytes")


def _framed(part: str) -> bytes:
    encoded = part.encode()
    return len(encoded).to_bytes(4, "big") + encoded


def _checked_ratio(arms: Sequence[str], ratio: Sequence[int] | None) -> tuple[int, ...]:
    if len(arms) < 2 or len(set(arms)) != len(arms):
        raise ValueError("a trial needs at least two arms, each named once")
    if ratio is None:
        return (1,) * len(arms)
    if len(ratio) != len(arms) or any(not isinstance(r, int) or r < 1 for r in ratio):
        raise ValueError("the ratio needs one positive whole number for each arm")
    return tuple(ratio)


def _checked_multiples(block_multiples: Sequence[int]) -> tuple[int, ...]:
    if not block_multiples or any(not isinstance(m, int) or m < 1 for m in block_multiples):
        raise ValueError("block multiples must be positive whole numbers")
    return tuple(block_multiples)


def block_sizes(
    ratio: Sequence[int], block_multiples: Sequence[int] = DEFAULT_BLOCK_MULTIPLES
) -> tuple[int, ...]:
    """The block sizes in use: each multiple times the sum of the ratio."""
    return tuple(multiple * sum(ratio) for multiple in _checked_multiples(block_multiples))


@dataclass(frozen=True)
class Block:
    """One block of a stratum's sequence: its number, first slot, full size and the arms of its slots
    (all of them, or those before the count asked for when the block is cut short)."""

    index: int
    start: int
    size: int
    arms: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return len(self.arms) == self.size


def _block_starts(
    secret: bytes, list_name: ListName, stratum: str, ratio: tuple[int, ...], multiples: tuple[int, ...]
) -> Iterator[tuple[int, int, int]]:
    sizes = Stream(secret, list_name=list_name, stratum=stratum, purpose="block sizes")
    start = 0
    index = 0
    while True:
        multiple = multiples[sizes.below(len(multiples))]
        yield index, start, multiple
        start += multiple * sum(ratio)
        index += 1


def _block_content(
    secret: bytes,
    list_name: ListName,
    stratum: str,
    index: int,
    arms: Sequence[str],
    ratio: tuple[int, ...],
    multiple: int,
) -> list[str]:
    content = [arm for arm, share in zip(arms, ratio, strict=True) for _ in range(share * multiple)]
    return Stream(secret, list_name=list_name, stratum=stratum, purpose=f"block {index}").shuffled(content)


def block_arm(
    secret: bytes,
    *,
    list_name: ListName,
    stratum: str,
    slot: int,
    arms: Sequence[str],
    ratio: Sequence[int] | None = None,
    block_multiples: Sequence[int] = DEFAULT_BLOCK_MULTIPLES,
) -> str:
    """The arm at 0-based `slot` of the stratum's sequence of permuted blocks (equal ratio if None)."""
    shares = _checked_ratio(arms, ratio)
    multiples = _checked_multiples(block_multiples)
    if slot < 0:
        raise ValueError("slot must not be negative")
    for index, start, multiple in _block_starts(secret, list_name, stratum, shares, multiples):
        if slot < start + multiple * sum(shares):
            content = _block_content(secret, list_name, stratum, index, arms, shares, multiple)
            return content[slot - start]
    raise AssertionError("unreachable: the blocks go on for ever")


def block_sequence(
    secret: bytes,
    *,
    list_name: ListName,
    stratum: str,
    count: int,
    arms: Sequence[str],
    ratio: Sequence[int] | None = None,
    block_multiples: Sequence[int] = DEFAULT_BLOCK_MULTIPLES,
) -> list[Block]:
    """The blocks holding the stratum's first `count` slots, the last cut at `count`; the same arms,
    slot for slot, as `block_arm`."""
    shares = _checked_ratio(arms, ratio)
    multiples = _checked_multiples(block_multiples)
    if count < 0:
        raise ValueError("count must not be negative")
    blocks: list[Block] = []
    for index, start, multiple in _block_starts(secret, list_name, stratum, shares, multiples):
        if start >= count:
            return blocks
        content = _block_content(secret, list_name, stratum, index, arms, shares, multiple)
        blocks.append(Block(index, start, len(content), tuple(content[: count - start])))
    raise AssertionError("unreachable: the blocks go on for ever")


def sequence_arms(blocks: Sequence[Block]) -> list[str]:
    """The arms of the blocks, slot by slot."""
    return [arm for block in blocks for arm in block.arms]


def minimisation_scores(
    *,
    arms: Sequence[str],
    ratio: Sequence[int] | None = None,
    factors: Mapping[str, str],
    history: Sequence[tuple[str, Mapping[str, str]]],
    weights: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """For each arm, the imbalance if the new unit went there: the weighted sum over the factors of
    the range of the arms' counts at the unit's level, each count divided by its arm's ratio."""
    shares = _checked_ratio(arms, ratio)
    factor_weights = _checked_weights(factors, weights)
    strangers = {arm for arm, _ in history} - set(arms)
    if strangers:
        raise ValueError(f"earlier units have arms the trial does not have: {sorted(strangers)}")
    counts = {factor: dict.fromkeys(arms, 0) for factor in factors}
    for arm, levels in history:
        for factor, level in factors.items():
            if levels.get(factor) == level:
                counts[factor][arm] += 1
    scores: dict[str, float] = {}
    for candidate in arms:
        total = Fraction(0)
        for factor, weight in factor_weights.items():
            scaled = [
                Fraction(counts[factor][arm] + (arm == candidate), share)
                for arm, share in zip(arms, shares, strict=True)
            ]
            total += Fraction(weight) * (max(scaled) - min(scaled))
        scores[candidate] = float(total)
    return scores


def _checked_weights(factors: Mapping[str, str], weights: Mapping[str, float] | None) -> dict[str, float]:
    if weights is None:
        return dict.fromkeys(factors, 1.0)
    missing = [factor for factor in factors if factor not in weights]
    if missing:
        raise ValueError(f"no weight for the factors {missing}")
    if any(weights[factor] < 0 for factor in factors):
        raise ValueError("weights must not be negative")
    return {factor: float(weights[factor]) for factor in factors}


def minimised_arm(
    secret: bytes,
    *,
    list_name: ListName,
    slot: int,
    arms: Sequence[str],
    ratio: Sequence[int] | None = None,
    factors: Mapping[str, str],
    history: Sequence[tuple[str, Mapping[str, str]]],
    weights: Mapping[str, float] | None = None,
    best_probability: float = DEFAULT_BEST_PROBABILITY,
) -> str:
    """The arm for the unit at 0-based `slot` by minimisation with a random element.

    With `best_probability` the unit goes to an arm of least imbalance (`minimisation_scores`),
    otherwise to one of the others; within the chosen group (and when every arm ties, among all of
    them) the arm is drawn with chances in the ratio. The first unit (no history) is drawn in the
    ratio: scaled counts would otherwise favour the larger arm. All draws come from the stream at
    `slot`.
    """
    shares = _checked_ratio(arms, ratio)
    if not 0 <= best_probability <= 1:
        raise ValueError("best_probability must be between 0 and 1")
    if slot < 0:
        raise ValueError("slot must not be negative")
    scores = minimisation_scores(arms=arms, ratio=shares, factors=factors, history=history, weights=weights)
    least = min(scores.values())
    best = [arm for arm in arms if scores[arm] == least]
    others = [arm for arm in arms if scores[arm] != least]
    draws = Stream(secret, list_name=list_name, stratum=_MINIMISATION_STRATUM, purpose=f"slot {slot}")
    if not history:
        group = list(arms)
    elif not others or draws.chance(best_probability):
        group = best
    else:
        group = others
    share_of = dict(zip(arms, shares, strict=True))
    return group[draws.weighted_index([share_of[arm] for arm in group])]


def blind_labels(secret: bytes, arms: Sequence[str], *, list_name: ListName = "live") -> dict[str, str]:
    """Each arm's letter ("A", "B", ...), in an order drawn from the secret."""
    if len(arms) > len(LETTERS):
        raise ValueError(f"at most {len(LETTERS)} arms can be labelled")
    _checked_ratio(arms, None)
    letters = Stream(secret, list_name=list_name, stratum="", purpose="blind labels").shuffled(
        LETTERS[: len(arms)]
    )
    return dict(zip(arms, letters, strict=True))


def _ratio_words(arms: Sequence[str], shares: Sequence[int]) -> str:
    return f"{', '.join(arms[:-1])} and {arms[-1]} in the ratio {':'.join(str(s) for s in shares)}"


def _alternatives(numbers: Sequence[int]) -> str:
    words = [str(number) for number in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def describe_blocks(
    *,
    arms: Sequence[str],
    ratio: Sequence[int] | None = None,
    block_multiples: Sequence[int] = DEFAULT_BLOCK_MULTIPLES,
    strata: Sequence[str] = (),
) -> str:
    """The method in words, for the statistician's page and the report's methods."""
    shares = _checked_ratio(arms, ratio)
    sizes = block_sizes(shares, block_multiples)
    stratified = f"stratified by {', '.join(strata)}, " if strata else ""
    chance = "each equally likely" if len(sizes) > 1 else "fixed"
    return (
        f"Permuted blocks of random sizes, {stratified}with {_ratio_words(arms, shares)}. "
        f"Block sizes {_alternatives(sizes)} ({chance}); each block holds every arm in the ratio, "
        "in a random order. Each stratum, and the test and live lists, has its own sequence, "
        "generated from the trial's secret with HMAC-SHA256; without the secret the next allocation "
        "cannot be worked out."
    )


def describe_minimisation(
    *,
    arms: Sequence[str],
    ratio: Sequence[int] | None = None,
    factors: Sequence[str],
    weights: Mapping[str, float] | None = None,
    best_probability: float = DEFAULT_BEST_PROBABILITY,
) -> str:
    """The method in words, for the statistician's page and the report's methods."""
    shares = _checked_ratio(arms, ratio)
    factor_weights = _checked_weights(dict.fromkeys(factors, ""), weights)
    weighted = ", ".join(f"{factor} (weight {weight:g})" for factor, weight in factor_weights.items())
    return (
        f"Minimisation (Pocock and Simon) with a random element, with {_ratio_words(arms, shares)}, "
        f"on {weighted or 'no factors'}. For each arm, the imbalance if the person went there is the "
        "weighted sum over the factors of the range of the arms' counts (divided by their ratio) at "
        f"the person's level; an arm with the least imbalance is chosen with probability "
        f"{best_probability:g}, otherwise another arm, ties drawn in the ratio; the first person is "
        "drawn in the ratio. The random draws come from the trial's secret with HMAC-SHA256."
    )
