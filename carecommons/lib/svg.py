"""SVG markup built from parts, with every word escaped where it enters. Pure: no ORM.

Every chart module draws through `element` and `text`: a child that is not markup made here (a
`SafeString`) is escaped, so a name someone typed (a spending category, a theme, a wave label) can
never close a <text> or open a link, however the chart is written. Attribute names come from code
and must look like names; attribute values are always escaped.
"""

import re
from collections.abc import Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9:_-]*\Z")


def clean(words: object) -> SafeString:
    """Escaped, without the control characters XML forbids (names typed in may hold them)."""
    return escape(NOT_XML.sub("", str(words)))


def checked_name(name: str) -> str:
    if not NAME.match(name):
        raise ValueError(f"Not an SVG name: {name!r}")
    return name


def element(name: str, attrs: Mapping[str, object], *children: str) -> SafeString:
    """`<name attrs>children</name>`; children not built here are escaped as text."""
    tag = checked_name(name)
    attributes = "".join(f' {checked_name(key)}="{clean(value)}"' for key, value in attrs.items())
    if not children:
        return mark_safe(f"<{tag}{attributes}/>")
    inner = "".join(child if isinstance(child, SafeString) else clean(child) for child in children)
    # Safe: attribute values and every child that is not already our markup went through clean().
    return mark_safe(f"<{tag}{attributes}>{inner}</{tag}>")


def text(x: float, y: float, words: object, **attrs: object) -> SafeString:
    """Words at (x, y), always escaped, even when they arrive marked safe."""
    return element("text", {"x": f"{x:g}", "y": f"{y:g}", **attrs}, clean(words))


def title(words: object, **attrs: object) -> SafeString:
    """A tooltip and accessible name for the enclosing shape, escaped like `text`."""
    return element("title", attrs, clean(words))
