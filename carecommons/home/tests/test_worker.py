"""The worker command runs queued tasks from the database, in its own process as in production,
and records its heartbeat."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ENQUEUE = (
    "from carecommons.people.services import create_organisation, create_person, add_affiliation\n"
    "from carecommons.people.tasks import reindex_organisation_people\n"
    "o = create_organisation(by=None, name='Gorton Parents Together', kind='grassroots')\n"
    "p = create_person(by=None, given_name='Nadia', family_name='Begum')\n"
    "add_affiliation(person=p, organisation=o, role='', by=None)\n"
    "type(o).objects.filter(pk=o.pk).update(name='Gorton Families Together')\n"
    "reindex_organisation_people.enqueue(o.pk)\n"
)
CHECK = (
    "from carecommons.people.models import Person\n"
    "print(Person.objects.search('families').count(), Person.objects.search('parents').count())\n"
)


def carecommons(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "carecommons.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )


def test_worker_command_runs_a_queued_task_and_records_its_heartbeat(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASKS_BACKEND"}}
    env |= {"DEBUG": "1", "SQLITE_PATH": str(tmp_path / "worker.sqlite3")}
    carecommons(["migrate", "-v0"], env)
    carecommons(["shell"], env, ENQUEUE)
    assert carecommons(["shell"], env, CHECK).stdout.split()[-2:] == ["0", "1"]
    worker = carecommons(["worker", "--batch", "--no-startup-delay"], env)
    assert (
        "Task id=" in worker.stderr + worker.stdout or "succeeded" in (worker.stderr + worker.stdout).lower()
    )
    assert carecommons(["shell"], env, CHECK).stdout.split()[-2:] == ["1", "0"]
    with sqlite3.connect(tmp_path / "worker.sqlite3") as database:
        (beats,) = database.execute("SELECT count(*) FROM home_workerheartbeat").fetchall()
    assert beats == (1,)
