"""The hash chain over audit events, as pure functions: each event's hash is SHA-256 over the
previous event's hash and the event's own fields in one canonical form."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "ip_address",
    "detail",
)


def canonical(fields: Mapping[str, Any]) -> bytes:
    """One byte string per event, the same however the database hands the values back."""
    at: datetime = fields["at"]
    values = {name: fields[name] for name in CHAINED_FIELDS}
    values["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    values["ip_address"] = fields["ip_address"] or ""
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link(prev_hash: str, fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(fields)).hexdigest()


def first_break(events: Iterable[Mapping[str, Any]], *, head_seq: int, head_hash: str) -> str | None:
    """Walk the events in `seq` order; describe the first one that does not follow from the one
    before, or None when the whole chain holds up to the head."""
    expected_seq, prev_hash = 1, GENESIS
    for event in events:
        seq = event["seq"]
        if seq != expected_seq:
            return f"event {expected_seq} is missing: the next event found is {seq} (id {event['id']})."
        if event["prev_hash"] != prev_hash:
            return (
                f"event {seq} (id {event['id']}) does not follow from event {seq - 1}: "
                "one of them was changed or replaced."
            )
        if link(prev_hash, event) != event["hash"]:
            return f"event {seq} (id {event['id']}) was changed after it was written."
        expected_seq, prev_hash = seq + 1, event["hash"]
    last_seq = expected_seq - 1
    if last_seq != head_seq or prev_hash != head_hash:
        return (
            f"the chain ends at event {last_seq} but the chain head names event {head_seq}: "
            "the newest events were removed or the head was changed."
        )
    return None
