"""Which ledger entry each bank line most likely is. Pure: no database access.

A line and an entry can match when they move the same signed amount within `WINDOW_DAYS` of each
other. Pairs are taken nearest first, so every line gets the closest entry nobody nearer wants,
and no entry is suggested for two lines. Then the lines and entries chosen for each amount are
paired again in date order (the first £25 line with the first £25 entry): on a line of dates that
never makes a pair further apart, and it is what people expect when a bank takes a few days.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

WINDOW_DAYS = 7
# Only the nearest few entries of the same amount are weighed for each line, so a file of a thousand
# identical £10 gifts costs thousands of comparisons, not a million.
NEAREST = 20


@dataclass(frozen=True)
class Dated:
    id: int
    on: date
    pence: int


def suggest(
    lines: Iterable[Dated],
    entries: Iterable[Dated],
    *,
    refused: Collection[tuple[int, int]] = (),
    window: int = WINDOW_DAYS,
) -> dict[int, int]:
    """line id → entry id for each line with a likely entry."""
    by_amount: dict[int, list[Dated]] = defaultdict(list)
    for entry in entries:
        by_amount[entry.pence].append(entry)
    days: dict[int, list[date]] = {}
    for pence, same in by_amount.items():
        same.sort(key=lambda e: (e.on, e.id))
        days[pence] = [e.on for e in same]
    span = timedelta(days=window)
    pairs: list[tuple[int, date, int, int]] = []
    lines_seen = list(lines)
    for line in lines_seen:
        if line.pence not in by_amount:
            continue
        same = by_amount[line.pence]
        low = bisect_left(days[line.pence], line.on - span)
        high = bisect_right(days[line.pence], line.on + span)
        near = sorted(same[low:high], key=lambda e: (abs((e.on - line.on).days), e.id))
        near = [e for e in near if (line.id, e.id) not in refused][:NEAREST]
        pairs.extend((abs((e.on - line.on).days), line.on, line.id, e.id) for e in near)
    pairs.sort()
    chosen: dict[int, int] = {}
    taken: set[int] = set()
    for _, _, line_id, entry_id in pairs:
        if line_id not in chosen and entry_id not in taken:
            chosen[line_id] = entry_id
            taken.add(entry_id)
    return in_date_order(chosen, {line.id: line for line in lines_seen}, by_amount, refused, window)


def in_date_order(
    chosen: dict[int, int],
    lines: dict[int, Dated],
    by_amount: dict[int, list[Dated]],
    refused: Collection[tuple[int, int]],
    window: int,
) -> dict[int, int]:
    entries = {entry.id: entry for same in by_amount.values() for entry in same}
    groups: dict[int, list[int]] = defaultdict(list)
    for line_id in chosen:
        groups[lines[line_id].pence].append(line_id)
    result: dict[int, int] = {}
    for line_ids in groups.values():
        ordered_lines = sorted(line_ids, key=lambda i: (lines[i].on, i))
        ordered_entries = sorted((chosen[i] for i in line_ids), key=lambda i: (entries[i].on, i))
        pairs = dict(zip(ordered_lines, ordered_entries, strict=True))
        if all(
            abs((entries[e].on - lines[line_id].on).days) <= window and (line_id, e) not in refused
            for line_id, e in pairs.items()
        ):
            result.update(pairs)
        else:
            result.update({line_id: chosen[line_id] for line_id in line_ids})
    return result
