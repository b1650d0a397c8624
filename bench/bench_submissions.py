"""Questionnaire answers sent through private links by 16 people at once, against gunicorn with
production settings (4 workers, DEBUG off), on SQLite and, when it answers on 127.0.0.1:5432, on
PostgreSQL. Each backend runs in a process of its own (Django is set up once per process).

BENCH submissions_<db> (submissions/s, anchor: the same server's /health requests/s from the same
16 clients) and submissions_p99_<db> (ms for one person's GET and POST, anchor: /health's p99).
Exits non-zero if any submission failed, was lost or doubled (bench/submitters.py counts after).
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import submitters
from support import line, log

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import stack  # noqa: E402

CLIENTS = 16
DATABASE = "cc_bench_submissions"
WARM_UP = 160


def run_one(backend: str, count: int, *, pgbouncer: bool = False) -> bool:
    workdir = Path(tempfile.mkdtemp(prefix="carecommons-submissions-"))
    url = None
    if backend == "postgres":
        stack.create_database(DATABASE)
        url = stack.database_url(DATABASE)
    env = stack.production_env(database_url=url, workdir=workdir, **extra_settings())
    server = stack.Stack(workdir=workdir, env=env)
    try:
        stack.set_up(env)
        if pgbouncer:
            env |= {"DATABASE_URL": server.start_pgbouncer(DATABASE), "DB_BEHIND_PGBOUNCER": "1"}
        os.environ.update(env)
        import django

        django.setup()
        log(f"{backend}: preparing {count + WARM_UP} invitations")
        links = submitters.prepare(count + WARM_UP)
        port = server.start_app("app", workers=4)
        base = f"http://127.0.0.1:{port}"
        submitters.hammer(base, "/health", clients=CLIENTS, seconds=1)
        health_rate, health_latencies = submitters.hammer(base, "/health", clients=CLIENTS, seconds=4)
        warm = submitters.submit(base, links[:WARM_UP], clients=CLIENTS)
        outcome = submitters.submit(base, links[WARM_UP:], clients=CLIENTS)
        count_all = submitters.count_after(links, merge(warm, outcome))
    finally:
        server.stop()
        if backend == "postgres":
            stack.drop_database(DATABASE)
        shutil.rmtree(workdir, ignore_errors=True)
    p99 = submitters.percentile(outcome.latencies, 0.99) * 1000
    health_p99 = submitters.percentile(health_latencies, 0.99) * 1000
    backend += "_pgbouncer" if pgbouncer else ""
    print(line(f"submissions_{backend}", outcome.rate, "per_s", health_rate), flush=True)
    print(line(f"submissions_p99_{backend}", p99, "ms", health_p99), flush=True)
    log(
        f"{backend}: {len(outcome.sent)} sent in {outcome.seconds:.1f} s, "
        f"errors {outcome.errors + warm.errors}, "
        f"unexpected {outcome.unexpected[:3] + warm.unexpected[:3]}, {count_all}"
    )
    return count_all.exact and not (outcome.errors or warm.errors or outcome.unexpected or warm.unexpected)


def merge(first: submitters.Outcome, second: submitters.Outcome) -> submitters.Outcome:
    return submitters.Outcome(sent=first.sent + second.sent)


def extra_settings() -> dict[str, str]:
    """CACHE_URL and SESSION_ENGINE pass through, to compare the database cache with Redis."""
    return {name: os.environ[name] for name in ("CACHE_URL", "SESSION_ENGINE") if name in os.environ}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    parser.add_argument("--submissions", type=int, default=3000)
    parser.add_argument("--pgbouncer", action="store_true", help="PostgreSQL through pgbouncer")
    options = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out
    if options.backend:
        sys.exit(0 if run_one(options.backend, options.submissions, pgbouncer=options.pgbouncer) else 1)
    backends = ["sqlite", "postgres"] if stack.postgres_answers() else ["sqlite"]
    failed = False
    for backend in backends:
        command = [sys.executable, __file__, "--backend", backend, "--submissions", str(options.submissions)]
        failed |= subprocess.run(command, check=False).returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
