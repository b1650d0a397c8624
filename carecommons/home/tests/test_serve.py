"""`carecommons serve` (what `make demo` runs) starts the site and the worker, for real, and never
leaves either behind: Ctrl+C or SIGTERM stops both, and one dying stops the other."""

import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.server import free_port

CLI = [sys.executable, "-m", "carecommons.cli"]
ROOT = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 90
QUEUE_A_TASK = (
    "from carecommons.people.services import create_organisation\n"
    "from carecommons.people.tasks import reindex_organisation_people\n"
    "o = create_organisation(by=None, name='Gorton Parents Together', kind='grassroots')\n"
    "reindex_organisation_people.enqueue(o.pk)\n"
)


def environment(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASKS_BACKEND"}}
    return env | {"DEBUG": "1", "SQLITE_PATH": str(database), "PYTHONUNBUFFERED": "1"}


def carecommons(args: list[str], env: dict[str, str], stdin: str = "") -> None:
    subprocess.run([*CLI, *args], input=stdin, env=env, cwd=ROOT, capture_output=True, text=True, check=True)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with one task queued for the worker."""
    database = tmp_path_factory.mktemp("serve") / "migrated.sqlite3"
    carecommons(["migrate", "-v0"], environment(database))
    carecommons(["shell"], environment(database), QUEUE_A_TASK)
    return database


@pytest.fixture
def env(migrated: Path, tmp_path: Path) -> dict[str, str]:
    database = tmp_path / "serve.sqlite3"
    with sqlite3.connect(migrated) as source, sqlite3.connect(database) as copy:
        source.backup(copy)
    return environment(database)


def health(port: int) -> dict[str, Any] | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/health")
        return json.loads(connection.getresponse().read())
    except OSError:
        return None
    finally:
        connection.close()


def wait_until(ready: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up waiting for {what}:\n{log.read_text()}")
        time.sleep(0.2)


def children_of(log: Path) -> dict[str, int]:
    return {
        name: int(pid) for name, pid in re.findall(r"Started the (\w+) \(process (\d+)\)", log.read_text())
    }


def is_gone(group: int) -> bool:
    """True when no process is left in the child's process group (it and anything it started)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def serve(env: dict[str, str], tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*CLI, "serve", f"127.0.0.1:{port}"], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_until(lambda: (health(port) or {}).get("worker") == "ok", "/health to report the worker", log)
        yield process, port, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for group in children_of(log).values():
            if not is_gone(group):
                os.killpg(group, signal.SIGKILL)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_runs_the_site_and_the_worker_and_a_signal_stops_both(
    serve: tuple[subprocess.Popen[bytes], int, Path], signum: int
) -> None:
    process, port, log = serve
    wait_until(lambda: (health(port) or {}).get("tasks_waiting") == 0, "the worker to run the task", log)
    children = children_of(log)

    process.send_signal(signum)

    assert process.wait(timeout=WAIT_SECONDS) == 0
    assert set(children) == {"web", "worker"}
    assert all(is_gone(group) for group in children.values()), log.read_text()
    assert "worker | " in log.read_text()


def test_serve_stops_the_site_and_fails_when_the_worker_dies(
    serve: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    process, _port, log = serve
    children = children_of(log)

    os.killpg(children["worker"], signal.SIGKILL)

    assert process.wait(timeout=WAIT_SECONDS) != 0
    assert is_gone(children["web"])
    assert "The worker stopped (exit code -9)" in log.read_text()


def test_serve_gives_both_children_its_own_address_for_links_unless_site_url_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from carecommons.home.management.commands.serve import Command

    command = Command()
    command.addrport = "127.0.0.1:8123"
    monkeypatch.delenv("SITE_URL", raising=False)
    assert command.child_environment()["SITE_URL"] == "http://127.0.0.1:8123"
    monkeypatch.setenv("SITE_URL", "https://care.example.org")
    assert command.child_environment()["SITE_URL"] == "https://care.example.org"


def test_one_ctrl_c_passed_on_twice_is_not_taken_for_a_second_one() -> None:
    from carecommons.home.management.commands.serve import SECOND_ASK_AFTER, Command

    command = Command()
    command.signals = [100.0, 100.0 + SECOND_ASK_AFTER / 10]
    assert not command.asked_again()
    command.signals.append(100.0 + SECOND_ASK_AFTER * 2)
    assert command.asked_again()
