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


# Someone's own gifts and skills (the "individual" category) are placed no closer than the postcode
# district: a whole postcode covers a handful of doors, and coordinates point at one.
PRIVATE_POSTCODE = (
    "For someone's own gifts and skills, give only the first half of the postcode, like M14, "
    "so nobody can be found at their door."
)
PRIVATE_COORDINATES = (
    "Leave the coordinates empty for someone's own gifts and skills: a point on the map can lead to "
    "their door. The first half of the postcode is enough."
)


def private_place_problems(postcode: str, *, has_coordinates: bool) -> dict[str, str]:
    """For an individual's asset: {field: why} for a place more exact than a postcode district."""
    problems = {}
    if postcode and not OUTWARD_ONLY.match(postcode):
        problems["postcode"] = PRIVATE_POSTCODE
    if has_coordinates:
        problems["latitude"] = PRIVATE_COORDINATES
    return problems
