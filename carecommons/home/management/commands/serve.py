"""`carecommons serve [addrport]`: the development web server and the task worker, together.

`make demo` runs this, so a demo never shows "We have emailed them" while nothing sends emails.
Each child runs in its own process group with its output prefixed by its name. Ctrl+C or SIGTERM
stops both, process groups and all; if either stops by itself, the other is stopped too and
`serve` exits non-zero. Production runs the app server and the worker as separate services
instead (docs/deploy.md).
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from types import FrameType
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

CLI = [sys.executable, "-m", "carecommons.cli"]
# The worker finishes the task in hand before it stops (an import is one transaction).
STOP_SECONDS = 30
POLL_SECONDS = 0.2
# The terminal sends Ctrl+C to `make` and `uv run` too, which pass it on: one press can arrive twice.
SECOND_ASK_AFTER = 1.0


class Command(BaseCommand):
    help = "Run the development web server and the background worker together; Ctrl+C stops both."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="host:port to serve")
        parser.add_argument("--reload", action="store_true", help="Restart both when code changes.")

    def handle(self, *args: Any, addrport: str, reload: bool, **options: Any) -> None:
        self.write_lock = threading.Lock()
        self.addrport = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        self.signals: list[float] = []  # when each Ctrl+C or SIGTERM arrived
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self.note_signal)
        commands = {
            "web": [*CLI, "runserver", addrport, *([] if reload else ["--noreload"])],
            "worker": [*CLI, "worker", "--no-startup-delay", *(["--reload"] if reload else [])],
        }
        children: dict[str, subprocess.Popen[str]] = {}
        readers: list[threading.Thread] = []
        try:
            for name, command in commands.items():
                children[name] = self.start(name, command, readers)
            self.say(f"Serving on http://{addrport} with the background worker (Ctrl+C stops both).")
            stopped = self.wait_for_first(children)
        finally:
            self.stop(children)
            for reader in readers:
                reader.join(timeout=STOP_SECONDS)
            self.say("Stopped the web server and the worker.")
        if stopped is not None:
            code = children[stopped].returncode
            raise CommandError(f"The {stopped} stopped (exit code {code}), so everything was stopped.")

    def child_environment(self) -> dict[str, str]:
        """Links in the worker's emails point at the address being served, unless SITE_URL says."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if not env.get("SITE_URL"):
            host, _, port = self.addrport.rpartition(":")
            env["SITE_URL"] = f"http://{host or '127.0.0.1'}:{port}"
        return env

    def note_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signals.append(time.monotonic())

    def start(self, name: str, command: list[str], readers: list[threading.Thread]) -> subprocess.Popen[str]:
        child = subprocess.Popen(  # noqa: S603 (our own CLI, arguments from the command line)
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.child_environment(),
            # Its own process group: Ctrl+C reaches only us, and we stop the whole group, so a
            # reloader's own child is never left behind.
            start_new_session=True,
        )
        self.say(f"Started the {name} (process {child.pid}).")
        assert child.stdout is not None
        reader = threading.Thread(target=self.forward, args=(name, child.stdout), daemon=True)
        reader.start()
        readers.append(reader)
        return child

    def forward(self, name: str, stream: IO[str]) -> None:
        for line in stream:
            self.say(line.rstrip("\n"), prefix=f"{name:>6} | ")

    def say(self, text: str, *, prefix: str = "") -> None:
        with self.write_lock:
            self.stdout.write(prefix + text)
            self.stdout.flush()

    def wait_for_first(self, children: dict[str, subprocess.Popen[str]]) -> str | None:
        """The name of the child that stopped by itself, or None when we were asked to stop."""
        while not self.signals:
            for name, child in children.items():
                try:
                    child.wait(timeout=POLL_SECONDS / len(children))
                except subprocess.TimeoutExpired:
                    continue
                return name
        return None

    def asked_again(self) -> bool:
        """A second Ctrl+C, not the copy of the first that `uv run` or `make` passes on at once."""
        return len(self.signals) > 1 and self.signals[-1] - self.signals[0] > SECOND_ASK_AFTER

    def stop(self, children: dict[str, subprocess.Popen[str]]) -> None:
        """SIGTERM to every group; SIGKILL for what is left after STOP_SECONDS or a second Ctrl+C."""
        for child in children.values():
            signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        while any(child.poll() is None for child in children.values()):
            if time.monotonic() > deadline or self.asked_again():
                self.say("Not stopped yet: killing what is left.")
                break
            time.sleep(POLL_SECONDS)
        for child in children.values():
            # Whatever is left in the group (a reloader's own child) goes too.
            signal_group(child, signal.SIGKILL)
            child.wait()


def signal_group(child: subprocess.Popen[str], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)
