"""A real app server for load benchmarks: gunicorn with production settings on a free loopback port,
and wrk (Debian's package, installed if missing) to load it.

Production settings means what docs/deploy.md sets: DEBUG off, a secret key, field encryption keys,
secure cookies behind a TLS proxy (wrk sends `X-Forwarded-Proto: https`, as nginx does), no
reloading, static files served by the web server (never asked for here).
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4
# Threaded workers keep connections open between requests (sync workers close each one): on
# /health that took 2.0 ms of CPU per request instead of 3.1 (docs/deploy.md).
WORKER_ARGS = ["--worker-class", "gthread", "--threads", "4"]
HOST = "127.0.0.1"
FORWARDED = {"X-Forwarded-Proto": "https"}


def production_env(database: dict[str, str], workdir: Path) -> dict[str, str]:
    """The environment of a production installation, with fresh secrets; `database` is SQLITE_PATH or
    DATABASE_URL, static files and uploads go in `workdir`. The process loading data uses the same
    keys, so what it encrypts can be read."""
    env = {
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_SETTINGS_MODULE": "carecommons.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "BEHIND_TLS_PROXY": "1",
        "SECURE_SSL_REDIRECT": "1",
        "LOG_LEVEL": "WARNING",
        **database,
    }
    if "SQLITE_PATH" in database:
        env["DATABASE_URL"] = ""
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    base_url: str
    process: subprocess.Popen[bytes]

    def cpu_seconds(self) -> float:
        """CPU time the server's processes have used so far (user and system, master and workers):
        unlike wall-clock rates, a per-request figure from it barely moves with what else the
        machine is doing."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, parent = int(stat.parent.name), int(fields[1])
            if self.process.pid in (pid, parent):
                total += (int(fields[11]) + int(fields[12])) / ticks
        return total


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = WORKERS) -> Iterator[Server]:
    """gunicorn serving carecommons.wsgi with `workers` threaded workers until the block ends."""
    port = free_port()
    subprocess.run(
        [sys.executable, "-m", "carecommons.cli", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    log_file = open(Path(env["STATIC_ROOT"]).parent / f"gunicorn-{port}.log", "wb")  # noqa: SIM115
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "carecommons.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--access-logfile",
        "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        "--error-logfile",
        "-",
        "--keep-alive",
        "30",
        *WORKER_ARGS,
        *os.environ.get("BENCH_GUNICORN_ARGS", "").split(),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log_file, stderr=subprocess.STDOUT
    )
    server = Server(f"http://{HOST}:{port}", process)
    try:
        wait_until_up(server)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()


def wait_until_up(server: Server, *, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with exit code {server.process.returncode}")
        try:
            status, _body = fetch(server.base_url + "/health")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /health within five minutes")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, cookie: str = "") -> tuple[int, bytes]:
    """One GET as wrk sends it (same headers), without following redirects."""
    headers = {**FORWARDED, **({"Cookie": cookie} if cookie else {})}
    if not url.startswith("http://"):
        raise ValueError(f"not a loopback address: {url}")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wrk_binary() -> str:
    """Debian's wrk; installed (apt-get) when missing, as the issue asks."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's package", file=sys.stderr, flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed")
    return found


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p99_ms: float
    requests: int
    errors: int  # socket errors, timeouts and non-2xx/3xx responses


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(url: str, *, connections: int, seconds: int, cookie: str = "") -> Load:
    """wrk on one URL for `seconds`, with `connections` keep-alive connections (one thread each up
    to two: this machine has two cores, shared with the server)."""
    threads = min(connections, 2)
    headers = {**FORWARDED, **({"Cookie": cookie} if cookie else {})}
    command = [wrk_binary(), "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    command += ["--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s|m)\b", output)
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(found.group(1))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(n) for n in found.groups())
    assert p99 is not None, output
    return Load(rate, float(p99.group(1)) * UNITS_MS[p99.group(2)], total, errors)
