"""The audit log is tamper-evident: every event is chained to the one before by hash, the
database refuses every way of changing or removing events, and `check_audit` finds what slipped by."""

import io
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from carecommons.audit import chain
from carecommons.audit.integrity import chain_problem
from carecommons.audit.models import AuditEvent, ChainHead
from carecommons.audit.services import record_event

pytestmark = pytest.mark.django_db
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own way round")
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own way round")


def three_events() -> list[AuditEvent]:
    return [
        record_event(actor=None, action=f"test.event_{n}", target=None, detail={"n": n}) for n in range(3)
    ]


def without_refusals() -> None:
    """What someone with the table owner's rights could do first; rolled back with the test."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("audit_event_no_update", "audit_event_no_delete", "audit_event_no_replace"):
                cursor.execute(f"DROP TRIGGER {name}")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")


def raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def check_audit_failure() -> str:
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_audit", stderr=errors)
    return errors.getvalue()


def test_each_event_is_chained_to_the_one_before() -> None:
    first, second, third = three_events()
    assert second.seq == first.seq + 1 and third.seq == second.seq + 1
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert ChainHead.objects.get().hash == third.hash


def test_check_audit_passes_when_nothing_was_touched(capsys: pytest.CaptureFixture[str]) -> None:
    three_events()
    call_command("check_audit")
    assert "The audit log is whole" in capsys.readouterr().out


def test_check_audit_names_an_event_changed_behind_the_applications_back() -> None:
    _, second, _ = three_events()
    without_refusals()
    raw("UPDATE audit_auditevent SET target_id = 'someone-else' WHERE id = %s", [second.pk])
    message = check_audit_failure()
    assert f"event {second.seq} (id {second.pk}) was changed after it was written" in message


def test_check_audit_names_the_gap_left_by_a_removed_event() -> None:
    _, second, _ = three_events()
    without_refusals()
    raw("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    assert f"event {second.seq} is missing" in check_audit_failure()


def test_check_audit_notices_when_the_newest_events_are_removed() -> None:
    _, _, third = three_events()
    without_refusals()
    raw("DELETE FROM audit_auditevent WHERE id = %s", [third.pk])
    assert "the newest events were removed" in check_audit_failure()


def test_check_audit_notices_a_forged_event_even_with_the_refusals_in_place() -> None:
    _, _, third = three_events()
    raw(
        "INSERT INTO audit_auditevent (seq, at, action, target_type, target_id, detail, "
        "prev_hash, hash) VALUES (%s, %s, 'person.viewed', '', '', '{}', %s, %s)",
        [third.seq + 1, third.at, third.hash, "f" * 64],
    )
    assert f"event {third.seq + 1}" in check_audit_failure()


def test_check_audit_notices_a_rewritten_event_even_when_its_hash_is_recomputed() -> None:
    _, second, _ = three_events()
    without_refusals()
    forged = {name: getattr(second, name) for name in chain.CHAINED_FIELDS} | {"action": "nothing.here"}
    raw(
        "UPDATE audit_auditevent SET action = 'nothing.here', hash = %s WHERE id = %s",
        [chain.link(second.prev_hash, forged), second.pk],
    )
    assert f"event {second.seq + 1}" in check_audit_failure()


def test_check_audit_reports_refusals_that_were_switched_off() -> None:
    three_events()
    without_refusals()
    assert chain_problem() is None
    assert "no longer refuses changes" in check_audit_failure()


@on_sqlite
def test_sqlite_refuses_insert_or_replace_over_an_existing_event() -> None:
    event = record_event(actor=None, action="test.original", target=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(
            "INSERT OR REPLACE INTO audit_auditevent (id, seq, at, action, target_type, "
            "target_id, detail, prev_hash, hash) "
            "VALUES (%s, %s, %s, 'test.forged', '', '', '{}', %s, %s)",
            [event.pk, event.seq, event.at, event.prev_hash, event.hash],
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(
            "REPLACE INTO audit_auditevent (id, seq, at, action, target_type, "
            "target_id, detail, prev_hash, hash) "
            "VALUES (%s, %s, %s, 'test.forged', '', '', '{}', %s, %s)",
            [event.pk + 1000, event.seq, event.at, event.prev_hash, event.hash],
        )
    assert AuditEvent.objects.get(pk=event.pk).action == "test.original"


@on_postgres
def test_postgres_refuses_truncate_and_upsert_on_the_audit_table() -> None:
    event = record_event(actor=None, action="test.original", target=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("TRUNCATE audit_auditevent", [])
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(
            "INSERT INTO audit_auditevent (id, seq, at, action, target_type, target_id, "
            "detail, prev_hash, hash) VALUES (%s, %s, %s, 'test.forged', '', '', '{}', '', '') "
            "ON CONFLICT (id) DO UPDATE SET action = EXCLUDED.action",
            [event.pk, event.seq + 1000, event.at],
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("SET LOCAL session_replication_role = replica", [])
        raw("DELETE FROM audit_auditevent", [])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.original"


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_moment_never_chain_onto_the_same_event() -> None:
    before = ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    barrier = threading.Barrier(4)
    failures: list[Exception] = []

    def write(n: int) -> None:
        barrier.wait()
        try:
            for step in range(5):
                record_event(actor=None, action=f"test.racer_{n}_{step}", target=None)
        except (IntegrityError, DatabaseError) as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert ChainHead.objects.get().seq == before + 20
    assert chain_problem() is None
