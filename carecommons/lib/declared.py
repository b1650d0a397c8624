"""Checked reads of data declared in files (questionnaire definitions, decision kinds), with
errors that name the file or declaration and the field.

Every key a declaration may use is read through a `Fields`; `finish()` then refuses any key nobody
read, so a misspelt key is an error rather than something silently ignored. Each user subclasses
it with its own error type and typed readers (`measures/engine/fields.py`, `decisions/kinds.py`).
"""

from dataclasses import dataclass, field
from typing import ClassVar, NoReturn, Self

MISSING = object()


@dataclass
class Fields:
    data: dict[str, object]
    where: str
    read: set[str] = field(default_factory=set)

    error: ClassVar[type[ValueError]] = ValueError
    container: ClassVar[str] = "an object"

    @classmethod
    def of(cls, value: object, where: str) -> Self:
        if not isinstance(value, dict):
            raise cls.error(f"{where}: expected {cls.container}")
        return cls(value, where)

    def fail(self, message: str) -> NoReturn:
        raise self.error(f"{self.where}: {message}")

    def raw(self, key: str, default: object = MISSING) -> object:
        self.read.add(key)
        if key in self.data:
            return self.data[key]
        if default is MISSING:
            self.fail(f"missing '{key}'")
        return default

    def finish(self) -> None:
        if unknown := sorted(set(self.data) - self.read):
            self.fail(f"unknown field(s) {', '.join(unknown)}")
