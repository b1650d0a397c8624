"""The scale-out stack (deploy/stack) under load: nginx in front of two app servers, two workers,
PostgreSQL. One app server and one worker are killed with kill -9 in the middle; nginx moves on,
no submission is lost or doubled, and every queued task runs exactly once.

Everything runs in child processes on a PostgreSQL database of the test's own; this process only
sends HTTP and reads the database with plain SQL, so it needs no Django database of its own.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from deploy import stack

sys.path.insert(0, str(stack.ROOT / "bench"))
import submitters

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="PostgreSQL absent: runs where DATABASE_URL names a PostgreSQL server (CI's PostgreSQL run)",
    ),
    pytest.mark.skipif(
        shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
        reason="nginx is not installed (Debian: apt-get install nginx; .ci/run installs it)",
    ),
]

SUBMISSIONS = 600
PROBES = 50
PROBE_SECONDS = 0.4


def helper(env: dict[str, str], *args: str) -> str:
    script = str(stack.ROOT / "bench" / "submitters.py")
    done = subprocess.run(
        [sys.executable, script, *args], env=env, cwd=stack.ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


def enqueue_probes(env: dict[str, str]) -> None:
    code = (
        "from carecommons.home.tasks import probe\n"
        f"for n in range({PROBES}): probe.enqueue(f'probe-{{n}}', {PROBE_SECONDS})\n"
    )
    subprocess.run([*stack.CLI, "shell", "-c", code], env=env, cwd=stack.ROOT, check=True)


def started_probes(log: Path) -> list[str]:
    text = log.read_text() if log.exists() else ""
    return [line.split()[1] for line in text.splitlines() if line.startswith("probe ")]


def wait_until(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.005)


def sql(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as connection:
        return connection.execute(query).fetchall()


def test_nginx_moves_on_and_nothing_is_lost_or_doubled_when_an_app_server_and_a_worker_die(
    tmp_path: Path,
) -> None:
    admin = stack.database_url("postgres", DATABASE_URL)
    database = f"cc_scale_out_{os.getpid()}"
    with stack.running(database=database, admin_url=admin, apps=2, app_workers=2, workers=2) as running:
        url = running.env["DATABASE_URL"]
        helper(running.env, "prepare", str(SUBMISSIONS), str(tmp_path / "links.json"))
        links = [submitters.link_from(row) for row in json.loads((tmp_path / "links.json").read_text())]
        seen: dict[str, object] = {}

        def kill_in_the_middle(outcome: submitters.Outcome) -> None:
            wait_until(lambda: len(outcome.sent) >= SUBMISSIONS // 3)
            running.kill("app1")
            seen["sent_at_app_kill"] = len(outcome.sent)
            enqueue_probes(running.env)
            wait_until(lambda: bool(started_probes(running.log("worker1"))))
            running.kill("worker1")  # within the probe's PROBE_SECONDS of work
            seen["killed_probe"] = started_probes(running.log("worker1"))[-1]

        outcome = submitters.submit(running.url, links, clients=16, during=kill_in_the_middle)
        deadline = time.monotonic() + 90
        while sql(
            url,
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')",
        )[0][0]:
            assert time.monotonic() < deadline, "the surviving worker did not finish the queue"
            time.sleep(0.2)
        (tmp_path / "sent.json").write_text(json.dumps([link.invitation_id for link in outcome.sent]))
        count = json.loads(
            helper(running.env, "count", str(tmp_path / "links.json"), str(tmp_path / "sent.json"))
        )
        runs = dict(
            sql(
                url,
                "SELECT detail->>'key', count(*) FROM audit_auditevent"
                " WHERE action = 'worker.probe_ran' GROUP BY 1",
            )
        )
        finished_by = dict(
            sql(url, "SELECT args_kwargs->'args'->>0, worker_ids FROM django_tasks_database_dbtaskresult")
        )
        assert running.processes["app2"].poll() is None and running.processes["nginx"].poll() is None

    # nginx moved on: every person's answers were taken, most of them after app1 died; the only
    # errors are requests app1 had in hand when it died (a POST nginx rightly did not send again).
    assert len(outcome.sent) == SUBMISSIONS, outcome.unexpected[:5]
    assert len(outcome.sent) - int(seen["sent_at_app_kill"]) >= SUBMISSIONS // 2  # type: ignore[call-overload]
    assert outcome.errors <= 16
    assert not outcome.unexpected
    # Counted in the database: each confirmed submission stored once, nothing else, all audited.
    assert count == {
        "stored": SUBMISSIONS,
        "lost": 0,
        "unconfirmed": 0,
        "doubled": 0,
        "unaudited": 0,
        "alerts": count["alerts_expected"],
        "alerts_expected": count["alerts_expected"],
    }
    # Every task ran exactly once, the one worker1 was in the middle of included (by worker2).
    assert runs == {f"probe-{n}": 1 for n in range(PROBES)}
    assert finished_by[seen["killed_probe"]] == ["worker2"]
