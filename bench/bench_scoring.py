"""Batch scoring of 1,000,000 responses across every shipped instrument, against a Python loop.

The responses are made in memory with a seeded NumPy generator (no database): each instrument gets
an equal share, answers uniform over each item's options, about 3 % of them missing. The batch side
is `score_batch` on one 2-D array per instrument. The anchor is `score`, one response at a time, on
the first 50,000 of those same responses (rows converted to lists beforehand, as a loop over stored
rows would receive them); its rate is extrapolated to the million. Before reporting, every sampled
response's batch result is checked against the loop's, and the run fails if one differs.
"""

import statistics
import sys
import time

import numpy as np
import support

sys.path.insert(0, str(support.ROOT))

from carecommons.measures.engine.definitions import load_instruments
from carecommons.measures.engine.schema import Instrument
from carecommons.measures.engine.scoring import Answer, BatchResult, Result, score, score_batch

RESPONSES = 1_000_000
LOOP_SAMPLE = 50_000
MISSING_SHARE = 0.03
BATCH_RUNS = 3
SEED = 20261122


def equal_shares(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def make_responses(instruments: list[Instrument], total: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    grids = {}
    for instrument, count in zip(instruments, equal_shares(total, len(instruments)), strict=True):
        low = np.array([item.response_set.min for item in instrument.items])
        high = np.array([item.response_set.max for item in instrument.items])
        grid = rng.integers(low, high + 1, size=(count, len(instrument.items))).astype(np.float64)
        grid[rng.random(grid.shape) < MISSING_SHARE] = np.nan
        grids[instrument.id] = grid
    return grids


def score_all(instruments: dict[str, Instrument], grids: dict[str, np.ndarray]) -> dict[str, BatchResult]:
    return {key: score_batch(instruments[key], grid) for key, grid in grids.items()}


def as_rows(grid: np.ndarray) -> list[list[Answer]]:
    return [[None if np.isnan(value) else int(value) for value in row] for row in grid.tolist()]


def loop_sample(grids: dict[str, np.ndarray]) -> dict[str, list[list[Answer]]]:
    """The first rows of each instrument's grid, LOOP_SAMPLE in all."""
    counts = equal_shares(LOOP_SAMPLE, len(grids))
    return {key: as_rows(grid[:count]) for (key, grid), count in zip(grids.items(), counts, strict=True)}


def main() -> list[str]:
    instruments = load_instruments()
    grids = make_responses(list(instruments.values()), RESPONSES, SEED)
    support.log(
        f"{RESPONSES:,} responses across {len(grids)} instruments; {MISSING_SHARE:.0%} of answers missing"
    )

    score_all(instruments, {key: grid[:100] for key, grid in grids.items()})  # warm up imports and caches
    batch_seconds = []
    for _ in range(BATCH_RUNS):
        started = time.perf_counter()
        batches = score_all(instruments, grids)
        batch_seconds.append(time.perf_counter() - started)
    batch_time = statistics.median(batch_seconds)
    support.log(
        f"batch: {', '.join(f'{seconds:.2f}' for seconds in batch_seconds)} s; median {batch_time:.2f} s"
    )

    sample = loop_sample(grids)
    sampled = sum(len(rows) for rows in sample.values())
    started = time.perf_counter()
    looped: dict[str, list[Result]] = {
        key: [score(instruments[key], row) for row in rows] for key, rows in sample.items()
    }
    loop_time = time.perf_counter() - started
    loop_rate = sampled / loop_time
    support.log(
        f"loop: {sampled:,} responses in {loop_time:.2f} s; {RESPONSES / loop_rate:.0f} s extrapolated"
    )

    disagreements = sum(
        batches[key].row(index) != result
        for key, results in looped.items()
        for index, result in enumerate(results)
    )
    if disagreements:
        support.log(f"FAILED: batch and loop disagree on {disagreements} of {sampled} responses")
        sys.exit(1)
    support.log(f"batch and loop agree on all {sampled:,} sampled responses")
    return [
        support.line("scoring_batch_responses_per_second", RESPONSES / batch_time, "responses/s", loop_rate),
        support.line("scoring_batch_1m_seconds", batch_time, "s", RESPONSES / loop_rate),
    ]


if __name__ == "__main__":
    print(*main(), sep="\n")
