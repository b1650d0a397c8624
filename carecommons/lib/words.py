"""Small wording helpers shared by messages, chart descriptions and management commands."""


def plural(count: int, one: str, many: str | None = None) -> str:
    """The count and the word that goes with it: "1 row", "2 rows", "1,200 people".

    `many` defaults to `one` with an "s"; give it for any other plural ("person", "people") or for a
    phrase whose verb changes too ("row has", "rows have")."""
    word = one if count == 1 else (one + "s" if many is None else many)
    return f"{count:,} {word}"
