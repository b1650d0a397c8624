"""SVG markup built from parts, with every word escaped where it enters. Pure: no ORM.

Every chart module draws through `element` and `text`: a child that is not markup made here (a
`SafeString`) is escaped, so a name someone typed (a spending category, a theme, a wave label) can
never close a <text> or open a link, however the chart is written. Attribute names come from code
and must look like names; attribute values are always escaped.

A ripple map draws thousands of elements, so escaping takes one scan of each string for anything
that needs it (most attribute values are numbers and path data) and then only the replacements
for the characters present; names already checked are remembered.
"""

import re
from collections.abc import Mapping

from django.utils.safestring import SafeString

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NEEDS_ESCAPING = re.compile("[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9:_-]*\Z")
_checked_names: set[str] = set()


def escaped(words: object) -> str:
    """`words` as text that is safe in XML content and in a quoted attribute: &, <, >, " and '
    replaced by entities (as Django's escape does) and the control characters XML forbids dropped.
    One scan finds most strings need nothing; a replacement runs only for a character present."""
    words = words if type(words) is str else str(words)
    if NEEDS_ESCAPING.search(words) is None:
        return words
    if "&" in words:
        words = words.replace("&", "&amp;")
    if "<" in words:
        words = words.replace("<", "&lt;")
    if ">" in words:
        words = words.replace(">", "&gt;")
    if '"' in words:
        words = words.replace('"', "&quot;")
    if "'" in words:
        words = words.replace("'", "&#x27;")
    if not words.isprintable():  # every character XML forbids is unprintable
        words = NOT_XML.sub("", words)
    return words


def clean(words: object) -> SafeString:
    """Escaped, without the control characters XML forbids (names typed in may hold them)."""
    return SafeString(escaped(words))


def checked_name(name: str) -> str:
    if name in _checked_names:
        return name
    if not NAME.match(name):
        raise ValueError(f"Not an SVG name: {name!r}")
    _checked_names.add(name)
    return name


def element(name: str, attrs: Mapping[str, object], *children: str) -> SafeString:
    """`<name attrs>children</name>`; children not built here are escaped as text."""
    tag = checked_name(name)
    attributes = "".join([f' {checked_name(key)}="{escaped(value)}"' for key, value in attrs.items()])
    if not children:
        return SafeString(f"<{tag}{attributes}/>")
    inner = "".join([child if isinstance(child, SafeString) else escaped(child) for child in children])
    # Safe: attribute values and every child that is not already our markup went through escaped().
    return SafeString(f"<{tag}{attributes}>{inner}</{tag}>")


class TitledShapes:
    """Many `<name key="value"…><title>words</title></name>` of one kind, for a chart that draws
    thousands (a ripple map): `add` takes a value per key and then the words, each escaped as
    `element` escapes it, the names checked once; `markup` gives them all as one piece of markup.
    They stay plain text until then, so thousands of shapes leave nothing for the garbage collector
    to walk, and cost a fraction of an `element` each."""

    def __init__(self, name: str, *keys: str) -> None:
        tag = checked_name(name)
        slots = "".join(f' {checked_name(key)}="{{}}"' for key in keys)
        self._form = f"<{tag}{slots}><title>{{}}</title></{tag}>".format
        self._tag, self._wanted = tag, len(keys) + 1
        self._parts: list[str] = []

    def add(self, *values: object) -> None:
        if len(values) != self._wanted:
            raise TypeError(f"<{self._tag}> takes {self._wanted} values, not {len(values)}.")
        self._parts.append(self._form(*[escaped(value) for value in values]))

    def __len__(self) -> int:
        return len(self._parts)

    def markup(self) -> SafeString:
        # Safe: every value and the words went through escaped(); the names were checked.
        return SafeString("".join(self._parts))


def text(x: float, y: float, words: object, **attrs: object) -> SafeString:
    """Words at (x, y), always escaped, even when they arrive marked safe."""
    return element("text", {"x": f"{x:g}", "y": f"{y:g}", **attrs}, clean(words))


def title(words: object, **attrs: object) -> SafeString:
    """A tooltip and accessible name for the enclosing shape, escaped like `text`."""
    if not attrs:  # one per ripple on a ripple map
        return SafeString(f"<title>{escaped(words)}</title>")
    return element("title", attrs, clean(words))
