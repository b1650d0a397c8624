"""The whole Care Commons stack on one machine, for testing a scale-out deployment (docs/deploy.md).

    deploy/stack up [--database cc_stack] [--port 0] [--apps 2] [--workers 2] [--pgbouncer] [--redis]

makes a PostgreSQL database of its own (dropped and made afresh), migrates it, then starts nginx
in front of `--apps` gunicorn app servers, `--workers` task workers and, if asked, pgbouncer in
transaction mode and a Redis for the cache and sessions. Every process is a child of this one, in
its own process group, with its output in a log file under the stack's directory; Ctrl+C or SIGTERM
stops them all. Debian's nginx, pgbouncer and redis-server are used as installed, each with
configuration files written here, never the system services.

bench/bench_submissions.py and tests/test_scale_out.py use Stack from Python.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
CLI = [sys.executable, "-m", "carecommons.cli"]
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# Fixed for a test stack only: the bench and the test sign links with it in their own process.
SECRET_KEY = "stack-only-secret-key-for-testing-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
FIELD_KEY = "yhUQ8I2ThtbOhfI6Cg7rYQKQX3CHV1LCSzMA9xdSsxo="


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return False
    return True


def database_url(name: str, admin_url: str = ADMIN_URL) -> str:
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def production_env(*, database_url: str | None, workdir: Path, **extra: str) -> dict[str, str]:
    """DEBUG off and every setting a production run needs; no TLS in front, so no secure cookies."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "TASKS_BACKEND"}}
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "FIELD_ENCRYPTION_KEYS": FIELD_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "carecommons.settings",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = str(workdir / "stack.sqlite3")
    return env | extra


def create_database(name: str, admin_url: str = ADMIN_URL) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str, admin_url: str = ADMIN_URL) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def carecommons(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([*CLI, *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def set_up(env: dict[str, str]) -> None:
    """What a release does once, before the app servers start."""
    carecommons(["migrate", "--noinput", "-v0"], env)
    carecommons(["createcachetable"], env)
    carecommons(["collectstatic", "--noinput", "-v0"], env)


def wait_for(url: str, *, seconds: float = 30, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status < 500:
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process serving it stopped (exit {process.returncode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {seconds} s")
        time.sleep(0.2)


def render(template: str, **values: object) -> str:
    text = (DEPLOY / template).read_text()
    for key, value in values.items():
        text = text.replace("{{ " + key + " }}", str(value))
    return text


@dataclass
class Stack:
    """Processes started by this one, by name, each in its own process group."""

    workdir: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    app_ports: dict[str, int] = field(default_factory=dict)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self, name: str) -> Path:
        return self.workdir / "logs" / f"{name}.log"

    def start(self, name: str, command: list[str], *, env: dict[str, str] | None = None) -> None:
        self.log(name).parent.mkdir(parents=True, exist_ok=True)
        with self.log(name).open("ab") as output:
            self.processes[name] = subprocess.Popen(  # noqa: S603 (our own commands)
                command,
                cwd=ROOT,
                env=env or self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start_app(self, name: str, *, workers: int) -> int:
        port = free_port()
        bind = f"127.0.0.1:{port}"
        gunicorn = [sys.executable, "-m", "gunicorn", "carecommons.wsgi:application"]
        self.start(
            name,
            [
                *gunicorn,
                "--workers",
                str(workers),
                "--bind",
                bind,
                "--graceful-timeout",
                "5",
                "--no-control-socket",
            ],
        )
        self.app_ports[name] = port
        self.wait_for(name, f"http://{bind}/health")
        return port

    def wait_for(self, name: str, url: str) -> None:
        try:
            wait_for(url, seconds=120, process=self.processes[name])
        except RuntimeError as error:
            tail = self.log(name).read_text()[-3000:] if self.log(name).exists() else ""
            raise RuntimeError(f"{name}: {error}\n{tail}") from None

    def start_worker(self, name: str) -> None:
        worker = [*CLI, "worker", "--worker-id", name, "--interval", "0.2", "--no-startup-delay"]
        self.start(name, worker)

    def start_nginx(self, port: int = 0) -> None:
        self.port = port or free_port()
        prefix = self.workdir / "nginx"
        self.workdir.chmod(0o755)  # nginx's workers run as nobody when started by root
        for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / temp).mkdir(parents=True, exist_ok=True)
            (prefix / temp).chmod(0o777)  # nginx's workers write here, as nobody when started as root
        servers = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in self.app_ports.values()
        )
        config = render(
            "nginx-stack.conf",
            prefix=prefix,
            port=self.port,
            servers=servers,
            static=self.env["STATIC_ROOT"],
            proxy=render("nginx-proxy.conf"),
        )
        (prefix / "nginx.conf").write_text(config)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.start("nginx", [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"])
        self.wait_for("nginx", f"{self.url}/health")

    def start_pgbouncer(self, database: str) -> str:
        """pgbouncer in transaction mode in front of `database`; returns the DATABASE_URL to use."""
        port = free_port()
        folder = self.workdir / "pgbouncer"
        self.workdir.chmod(0o755)  # pgbouncer runs as postgres when started by root
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "users.txt").write_text('"postgres" ""\n')
        (folder / "pgbouncer.ini").write_text(
            render("pgbouncer-stack.ini", database=database, port=port, folder=folder)
        )
        run_as = []
        if os.geteuid() == 0:  # pgbouncer refuses to run as root
            run_as = ["-u", "postgres"]
            for path in [folder, *folder.iterdir()]:
                shutil.chown(path, user="postgres")
        pgbouncer = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        self.start("pgbouncer", [pgbouncer, *run_as, str(folder / "pgbouncer.ini")])
        deadline = time.monotonic() + 10
        while not postgres_answers(port=port):
            if time.monotonic() > deadline:
                raise RuntimeError("pgbouncer did not start; see " + str(self.log("pgbouncer")))
            time.sleep(0.1)
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def start_redis(self) -> str:
        port = free_port()
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.start(
            "redis", [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        )
        deadline = time.monotonic() + 10
        while not postgres_answers(port=port):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)
        return f"redis://127.0.0.1:{port}/0"

    def kill(self, name: str) -> None:
        """kill -9, the whole process group: a machine lost, not a polite stop."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def running(
    *,
    database: str,
    apps: int = 2,
    app_workers: int = 2,
    workers: int = 2,
    port: int = 0,
    pgbouncer: bool = False,
    redis: bool = False,
    admin_url: str = ADMIN_URL,
    keep: bool = False,
) -> Iterator[Stack]:
    """The stack, up; stopped (and its database dropped unless `keep`) when the block ends."""
    workdir = Path(tempfile.mkdtemp(prefix="carecommons-stack-"))
    create_database(database, admin_url)
    stack = Stack(
        workdir=workdir, env=production_env(database_url=database_url(database, admin_url), workdir=workdir)
    )
    try:
        set_up(stack.env)
        if pgbouncer:
            stack.env |= {"DATABASE_URL": stack.start_pgbouncer(database), "DB_BEHIND_PGBOUNCER": "1"}
        if redis:
            stack.env |= {"CACHE_URL": stack.start_redis(), "SESSION_ENGINE": "cache"}
        for n in range(1, apps + 1):
            stack.start_app(f"app{n}", workers=app_workers)
        for n in range(1, workers + 1):
            stack.start_worker(f"worker{n}")
        stack.start_nginx(port)
        yield stack
    finally:
        stack.stop()
        if not keep:
            drop_database(database, admin_url)
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="deploy/stack", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["up"])
    parser.add_argument(
        "--database", default="cc_stack", help="a database of its own, dropped and made afresh"
    )
    parser.add_argument("--admin-url", default=ADMIN_URL, help="a PostgreSQL superuser's address")
    parser.add_argument("--port", type=int, default=0, help="nginx's port (default: a free one)")
    parser.add_argument("--apps", type=int, default=2, help="gunicorn app servers")
    parser.add_argument("--app-workers", type=int, default=2, help="gunicorn workers in each")
    parser.add_argument("--workers", type=int, default=2, help="`carecommons worker` processes")
    parser.add_argument("--pgbouncer", action="store_true", help="pgbouncer in transaction mode")
    parser.add_argument("--redis", action="store_true", help="Redis for the cache and sessions")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs when stopped")
    options = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with running(
        database=options.database,
        apps=options.apps,
        app_workers=options.app_workers,
        workers=options.workers,
        port=options.port,
        pgbouncer=options.pgbouncer,
        redis=options.redis,
        admin_url=options.admin_url,
        keep=options.keep,
    ) as stack:
        print(f"Care Commons is up at {stack.url} (logs in {stack.workdir / 'logs'}); Ctrl+C stops it all.")
        print(f"DATABASE_URL={stack.env['DATABASE_URL']}", flush=True)
        try:
            while all(process.poll() is None for process in stack.processes.values()):
                time.sleep(1)
            stopped = [name for name, process in stack.processes.items() if process.poll() is not None]
            print(f"Stopped by itself: {', '.join(stopped)}; stopping the rest.", file=sys.stderr)
        except KeyboardInterrupt:
            print("Stopping.", file=sys.stderr)


if __name__ == "__main__":
    main()
