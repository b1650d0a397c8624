"""A real Care Commons server on a throwaway database, loaded with the demo data.

The browser tests talk to a separate process rather than pytest-django's test database: the
audit table refuses DELETE, which the test database's flush would need, and a real server is
the end-to-end path people use.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "carecommons.cli"]
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="1",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        PYTHONUNBUFFERED="1",
        # The robot timer is unit-tested; a browser test fills the form faster than a person would.
        SIGNUP_MIN_SECONDS="0",
        # "Exit this page" leaves for this server's own health check: a browser test never uses the network.
        QUICK_EXIT_URL="/health",
    )
    return env


@contextmanager
def throwaway_database(env: dict[str, str], workdir: Path) -> Iterator[dict[str, str]]:
    """SQLite file in workdir, or a fresh PostgreSQL database dropped afterwards."""
    url = env.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(workdir / "browser.sqlite3")
        yield env
        return
    name = f"carecommons_browser_{secrets.token_hex(4)}"
    with psycopg.connect(url, dbname="postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {**env, "DATABASE_URL": urlsplit(url)._replace(path=f"/{name}").geturl()}
    finally:
        with psycopg.connect(url, dbname="postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def run_command(env: dict[str, str], *args: str) -> str:
    """`carecommons <args>` against the server's database; its output, or an error with both streams."""
    result = subprocess.run(
        [*CLI, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"`carecommons {args[0]}` failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def last_line_of_shell(env: dict[str, str], code: str) -> str:
    """Run Python in `carecommons shell` (seeding through the real services); its last printed line."""
    return run_command(env, "shell", "-c", code).strip().splitlines()[-1]


def load_demo(env: dict[str, str]) -> None:
    run_command(env, "demo")


def answers_health(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@contextmanager
def running_server(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """runserver rather than gunicorn: with DEBUG on it serves /static/ itself."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*CLI, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not answers_health(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"The server did not start:\n{log_path.read_text()}")
                time.sleep(0.1)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
