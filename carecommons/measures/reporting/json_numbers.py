"""A number read out of a JSON object column by the database, for reads over many rows.

Django's KT would do, but reads the number as text, and on SQLite as three JSON calls per row (and
a JSON null as the text "null"); the outcome figures read it from tens of thousands of rows.
"""

from typing import Any

from django.db.models import F, FloatField, Func


class NumberAt(Func):
    """`column`'s value under `key` as a float: NULL when the key is missing or holds null."""

    output_field = FloatField()

    def __init__(self, column: str, key: str) -> None:
        if not key.isidentifier():
            raise ValueError(f"not a plain key: {key!r}")
        self.key = key
        super().__init__(F(column))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[0])
        return f"JSON_EXTRACT({column}, %s)", [*params, f"$.{self.key}"]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[0])
        return f"(({column} ->> %s)::double precision)", [*params, self.key]

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        raise NotImplementedError(f"NumberAt has no SQL for {connection.vendor}")
