"""Replacing mentions of a person (their name, email or phone) in free text with a pseudonym."""

import re
from collections.abc import Sequence
from typing import Any


def scrub(value: Any, needles: Sequence[str], replacement: str) -> Any:
    """`value` with every whole-word mention of a needle replaced, in text, lists and dict keys."""
    if isinstance(value, str):
        for needle in needles:
            # Whole words only: "Ann Lee" is not inside "Joann Leeds", nor ann@x.org in jo.ann@x.org.
            pattern = rf"(?<![\w.+-]){re.escape(needle)}(?![\w-])"
            value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [scrub(v, needles, replacement) for v in value]
    if isinstance(value, dict):
        return {scrub(k, needles, replacement): scrub(v, needles, replacement) for k, v in value.items()}
    return value
