"""Running writes at the same moment, for the tests that show a lock holds (PostgreSQL only: SQLite
serialises writers, so there is no race to show)."""

import threading
from collections.abc import Callable, Sequence

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

ROW_LOCKS = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writers"
    ),
]


def at_once(actions: Sequence[Callable[[], object]]) -> list[str]:
    """Start every action together (a barrier), each on its own connection; "done" or "refused"
    (a ValidationError) for each, sorted."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            action()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)
