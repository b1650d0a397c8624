"""The once-only submissions moved from `home` to `lib` with their rows (decision 0026)."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from carecommons.accounts.models import User
from carecommons.lib.models import Submission

HOME_BEFORE = ("home", "0002_worker_heartbeat")
BEFORE: list[tuple[str, str | None]] = [HOME_BEFORE, ("lib", None)]


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest() -> list[tuple[str, str | None]]:
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in {"home", "lib"}]


@pytest.mark.django_db(transaction=True)
def test_a_submission_made_before_the_move_is_still_found_after_it() -> None:
    user = User.objects.create_user(email="mover@example.org", password="x")
    key = uuid.uuid4()
    old_state = migrate(BEFORE).loader.project_state([HOME_BEFORE]).apps
    OldSubmission = old_state.get_model("home", "Submission")
    OldSubmission.objects.create(key=key, user_id=user.pk, target_type="people.person", target_id="7")
    assert "home_submission" in connection.introspection.table_names()

    migrate(latest())

    tables = connection.introspection.table_names()
    assert "lib_submission" in tables and "home_submission" not in tables
    moved = Submission.objects.get(key=key)
    assert (moved.user_id, moved.target_type, moved.target_id) == (user.pk, "people.person", "7")
