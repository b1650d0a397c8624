"""Raw SQL that differs between the databases we support, for migrations that add triggers."""

from collections.abc import Callable
from typing import Any


def by_vendor(statements: dict[str, list[str]]) -> Callable[[Any, Any], None]:
    """A RunPython function running the statements for the connection's vendor ("sqlite",
    "postgresql"); other vendors get none."""

    def apply(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply
