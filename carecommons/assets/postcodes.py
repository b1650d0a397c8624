"""UK postcodes: tidying what people type and checking its shape. No database, no network.

A whole postcode ("LS6 1AB") or just its first half, the outward code ("LS6"), which says roughly
where without pointing at a door. The shape follows Royal Mail's format rules; whether a postcode
is in use is not checked (that needs the ONS postcode directory, which we do not ship).
"""

import re

_OUTWARD = r"[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]([0-9ABEHMNPRV-Y])?|[0-9][A-HJKPS-UW])"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
FULL = re.compile(rf"^(GIR 0AA|{_OUTWARD} {_INWARD})$")
OUTWARD_ONLY = re.compile(rf"^(GIR|{_OUTWARD})$")
PROBLEM = "Enter a full UK postcode, like LS6 1AB, or just its first half, like LS6."


class PostcodeError(ValueError):
    """What was typed is not shaped like a UK postcode or outward code."""


def normalise(raw: str) -> str:
    """Upper case, no spaces, then one space before the last three characters of a whole postcode."""
    compact = "".join(raw.split()).upper()
    if len(compact) >= 5:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def clean_postcode(raw: str) -> str:
    """The postcode in its standard form ("" for nothing typed); PostcodeError if it is not one."""
    postcode = normalise(raw)
    if not postcode or FULL.match(postcode) or OUTWARD_ONLY.match(postcode):
        return postcode
    raise PostcodeError(PROBLEM)


def outward_code(postcode: str) -> str:
    """'LS6 1AB' -> 'LS6'; an outward code stays as it is."""
    return postcode.split(" ", 1)[0]
