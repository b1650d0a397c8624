"""Search keys: lower-case ASCII letters and digits only, so a prefix range on an ordinary
B-tree index finds them on SQLite and PostgreSQL alike (see docs/decisions/0003)."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_WORD_SPLIT = re.compile(r"[\s@._\-'’,/()+&]+")
MAX_TERM_LENGTH = 64


def fold(text: str) -> str:
    """'Siân O’Brien' -> 'sianobrien': accents stripped, lower case, only [a-z0-9]."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", ascii_only.lower())[:MAX_TERM_LENGTH]


def terms_for(*values: str) -> set[str]:
    """Every word of every value, split at punctuation and at spaces only, plus each value folded
    whole: 'Mary-Jane' -> mary, jane, maryjane; "Men's Shed" -> men, s, mens, shed, mensshed."""
    terms: set[str] = set()
    for value in values:
        if not value:
            continue
        whole = fold(value)
        if whole:
            terms.add(whole)
        for word in [*_WORD_SPLIT.split(value), *value.split()]:
            folded = fold(word)
            if folded:
                terms.add(folded)
    return terms


def query_words(query: str) -> list[str]:
    """What the person typed, as folded words, longest first (the most selective)."""
    words = {fold(word) for word in query.split()}
    return sorted((w for w in words if w), key=len, reverse=True)


_ORDER = "0123456789abcdefghijklmnopqrstuvwxyz"


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest key greater than every key starting with `prefix` (None: no bound)."""
    chars = list(prefix)
    while chars:
        last = chars.pop()
        position = _ORDER.index(last)
        if position + 1 < len(_ORDER):
            return "".join(chars) + _ORDER[position + 1]
    return None
