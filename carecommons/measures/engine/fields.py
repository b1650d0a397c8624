"""Typed reads from a parsed JSON object, with errors that say which file and which field.

Every key a definition may use is read through `Fields`; `finish()` then refuses any key nobody
read, so a misspelt `"revers": true` is an error rather than a silently unreversed item.
"""

import re

from carecommons.lib import declared
from carecommons.lib.declared import MISSING

VERSION = re.compile(r"^\d+\.\d+\.\d+$")


class DefinitionError(ValueError):
    """A definition or text file that cannot be used; the message names the file and the field."""


class Fields(declared.Fields):
    error = DefinitionError

    def text(self, key: str, default: str | None = None) -> str:
        value = self.raw(key, MISSING if default is None else default)
        if not isinstance(value, str) or (value == "" and default is None):
            self.fail(f"'{key}' must be non-empty text")
        return value

    def version(self, key: str) -> str:
        value = self.text(key)
        if not VERSION.match(value):
            self.fail(f"'{key}' must be a version like 1.0.0")
        return value

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in options:
            self.fail(f"'{key}' must be one of {', '.join(options)}")
        return value

    def integer(self, key: str, default: int | None = None) -> int:
        value = self.raw(key, MISSING if default is None else default)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(f"'{key}' must be a whole number")
        return value

    def number(self, key: str) -> float:
        value = self.raw(key)
        if not isinstance(value, int | float) or isinstance(value, bool):
            self.fail(f"'{key}' must be a number")
        return float(value)

    def boolean(self, key: str, default: bool | None = None) -> bool:
        value = self.raw(key, MISSING if default is None else default)
        if not isinstance(value, bool):
            self.fail(f"'{key}' must be true or false")
        return value

    def sequence(self, key: str, default: list[object] | None = None) -> list[object]:
        value = self.raw(key, MISSING if default is None else default)
        if not isinstance(value, list):
            self.fail(f"'{key}' must be a list")
        return value

    def mapping(self, key: str, default: dict[str, object] | None = None) -> dict[str, object]:
        value = self.raw(key, MISSING if default is None else default)
        if not isinstance(value, dict):
            self.fail(f"'{key}' must be an object")
        return value

    def texts(self, key: str, default: list[object] | None = None) -> list[str]:
        values = self.sequence(key, default)
        strings = [value for value in values if isinstance(value, str) and value]
        if len(strings) != len(values):
            self.fail(f"'{key}' must be a list of non-empty texts")
        return strings

    def integers(self, key: str, default: list[object] | None = None) -> list[int]:
        values = self.sequence(key, default)
        whole = [value for value in values if isinstance(value, int) and not isinstance(value, bool)]
        if len(whole) != len(values):
            self.fail(f"'{key}' must be a list of whole numbers")
        return whole

    def numbers(self, key: str, *, length: int) -> list[float]:
        values = self.sequence(key)
        numeric = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if len(numeric) != len(values) or len(values) != length:
            self.fail(f"'{key}' must be a list of {length} numbers")
        return numeric
