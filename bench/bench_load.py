"""Load: each main page served by gunicorn (4 workers, production settings) and loaded by wrk.

What the issue did by hand, in one command: the demo data, then the same database grown to
national size (100,000 people, about 2,000 cohorts, 1,000,000 questionnaire responses); signed-in
sessions for a convenor with a second factor (who is also the demo host's staff), an organiser
(the Care Lab's pages), a treasurer (a group's books) and a participant. For each page:
requests/s and p99 with 16 connections, and p99 with one; the anchor is the same run's
`/health`, Django with nothing on it.

`--phase demo` or `--phase scale` runs one; `--seconds N` sets each wrk run's length (default 5).
On PostgreSQL (`--postgres`, or `make bench` when PostgreSQL answers on 127.0.0.1:5432) the same
run uses a database of its own, `carecommons_bench_load`, dropped afterwards.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import serving
import support

sys.path.insert(0, str(support.ROOT))
from deploy import stack

CONNECTIONS = 16
PAGE_RATE_BUDGET = 400  # requests/s at 16 connections
PAGE_P99_BUDGET_MS = 100  # at 16 connections
ONE_USER_P99_BUDGET_MS = 10
PG_DATABASE = "carecommons_bench_load"
PERSONAS = ("convenor", "organiser", "treasurer", "participant")


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    path: str
    expect: str  # text the page must hold, so a redirect or an error page is never timed


def setup(database: dict[str, str], keep: Path | None = None) -> dict[str, str]:
    """Django in this process with the installation's keys (so the demo's encrypted notes open in
    the served app), DEBUG on only here: the demo loader refuses to run with it off. With `keep`,
    the keys are kept beside the database, so a later run can reuse both."""
    workdir = keep.parent if keep is not None else Path(tempfile.mkdtemp(prefix="carecommons-load-"))
    env = serving.production_env(database, workdir)
    if keep is not None:
        if keep.exists():
            env.update(json.loads(keep.read_text()))
        else:
            keep.write_text(json.dumps({k: env[k] for k in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS")}))
    os.environ.update({**env, "DEBUG": "1"})
    if "SQLITE_PATH" in database:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(support.ROOT))
    import django

    django.setup()
    return env


def load_demo() -> None:
    from django.core.management import call_command

    from carecommons.accounts.models import User
    from carecommons.demo.fixtures import DEMO_ACCOUNTS

    if User.objects.filter(email=DEMO_ACCOUNTS["convenor"][0]).exists():
        return  # a kept database, its demo accounts already made real ones by sessions()
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def sessions() -> dict[str, str]:
    """A session cookie per persona, made as signing in makes one. The demo's accounts become real
    ones (demo accounts are refused with DEBUG off) and those who reach other people's records get
    a second factor, so every page passes the two-factor rule as a real convenor's would."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.test import Client

    from carecommons.accounts.models import User
    from carecommons.demo.fixtures import DEMO_ACCOUNTS

    cookies = {}
    for persona in PERSONAS:
        user = User.objects.get(email=DEMO_ACCOUNTS[persona][0])
        User.objects.filter(pk=user.pk).update(is_demo=False)
        user.refresh_from_db()
        if user.needs_two_factor and not Authenticator.objects.filter(user=user).exists():
            TOTP.activate(user, generate_totp_secret())
        client = Client()
        client.force_login(user)
        cookies[persona] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def pages() -> list[Page]:
    """The issue's main pages, each for someone who may see it, on the largest thing of its kind."""
    from django.db.models import Count
    from django.urls import reverse

    from carecommons.accounts.models import User
    from carecommons.demo.fixtures import DEMO_ACCOUNTS
    from carecommons.finances.access import groups_of, hosts_of
    from carecommons.measures.models import Response
    from carecommons.people.models import Person
    from carecommons.programmes.models import Cohort, Programme, ProgrammeKind, Session

    programme = (
        Programme.objects.filter(kind=ProgrammeKind.PROGRAMME)
        .annotate(n=Count("cohorts"))
        .order_by("-n")
        .first()
    )
    # Outcomes on a programme whose people answered: at scale, a whole one of 100 cohorts (the
    # last one built may be cut short at the millionth response).
    answered = Response.objects.order_by("-id").values_list("cohort__programme", flat=True)
    measured = Programme.objects.get(pk=answered[min(100_000, answered.count() - 1)])
    cohort = Cohort.objects.filter(programme=programme).annotate(n=Count("enrolments")).order_by("-n").first()
    session = Session.objects.filter(cohort=cohort).order_by("starts_at").first()
    lab = Programme.objects.filter(kind=ProgrammeKind.CARE_LAB).order_by("id").first()
    group = groups_of(User.objects.get(email=DEMO_ACCOUNTS["treasurer"][0])).order_by("id").first()
    host = hosts_of(User.objects.get(email=DEMO_ACCOUNTS["convenor"][0])).order_by("id").first()
    family_name = Person.objects.get(email=DEMO_ACCOUNTS["participant"][0]).family_name
    assert programme and cohort and session and lab and group and host
    return [
        Page("home_convenor", "convenor", reverse("home:index"), "Home"),
        Page("home_participant", "participant", reverse("home:index"), "Home"),
        Page("people_list", "convenor", reverse("people:person_list"), "People"),
        Page(
            "people_search",
            "convenor",
            f"{reverse('people:person_list')}?{urlencode({'q': family_name})}",
            family_name,
        ),
        Page(
            "programme",
            "convenor",
            reverse("programmes:programme_detail", args=[programme.uuid]),
            programme.name,
        ),
        Page("cohort", "convenor", reverse("programmes:cohort_detail", args=[cohort.uuid]), cohort.name),
        Page("session", "convenor", reverse("programmes:session_detail", args=[session.uuid]), "Register"),
        Page("register", "convenor", reverse("programmes:register", args=[session.uuid]), "Register"),
        Page(
            "dashboard",
            "convenor",
            reverse("dashboards:programme_dashboard", args=[programme.uuid]),
            programme.name,
        ),
        Page(
            "outcomes",
            "convenor",
            f"{reverse('measures:outcomes')}?{urlencode({'programme': measured.uuid})}",
            "Outcomes",
        ),
        Page("alerts", "convenor", reverse("measures:alert_list"), "Safeguarding"),
        Page(
            "conversations",
            "organiser",
            reverse("listening:conversation_list", args=[lab.uuid]),
            "Conversations",
        ),
        Page("assets", "organiser", reverse("assets:asset_list", args=[lab.uuid]), "assets"),
        Page("network", "organiser", reverse("networks:network_page", args=[lab.uuid]), "network"),
        Page("money_books", "treasurer", reverse("finances:group_detail", args=[group.uuid]), "Money"),
        Page("host_view", "convenor", reverse("finances:host_detail", args=[host.uuid]), host.name),
    ]


def check(server: serving.Server, page: Page, cookie: str) -> None:
    status, body = serving.fetch(server.base_url + page.path, cookie)
    text = body.decode(errors="replace")
    if status != 200 or page.expect.lower() not in text.lower():
        sys.exit(f"{page.name}: {page.path} answered {status} without {page.expect!r}: {text[:300]!r}")


def measure(label: str, env: dict[str, str], seconds: int) -> list[str]:
    cookies = sessions()
    chosen = pages()
    lines = []
    failures = []
    with serving.gunicorn(env) as server:
        for page in chosen:
            check(server, page, cookies[page.persona])
        health = server.base_url + "/health"
        serving.wrk(health, connections=CONNECTIONS, seconds=2)  # warm every worker up
        cpu = server.cpu_seconds()
        anchor = serving.wrk(health, connections=CONNECTIONS, seconds=seconds)
        anchor_cpu_ms = (server.cpu_seconds() - cpu) * 1000 / max(anchor.requests, 1)
        anchor_one = serving.wrk(health, connections=1, seconds=seconds)
        support.log(f"{label} /health: {anchor}; one connection: {anchor_one}")
        for page in chosen:
            url, cookie = server.base_url + page.path, cookies[page.persona]
            serving.wrk(url, connections=CONNECTIONS, seconds=1, cookie=cookie)
            cpu = server.cpu_seconds()
            many = serving.wrk(url, connections=CONNECTIONS, seconds=seconds, cookie=cookie)
            cpu_ms = (server.cpu_seconds() - cpu) * 1000 / max(many.requests, 1)
            one = serving.wrk(url, connections=1, seconds=seconds, cookie=cookie)
            support.log(f"{label} {page.name} {page.path}: {many}; one connection: {one}")
            name = f"load_{label}_{page.name}"
            lines += [
                support.line(
                    f"{name}_rps_c16", many.requests_per_second, "req/s", anchor.requests_per_second
                ),
                support.line(f"{name}_p99_c16", many.p99_ms, "ms", anchor.p99_ms),
                support.line(f"{name}_p99_c1", one.p99_ms, "ms", anchor_one.p99_ms),
                support.line(f"{name}_cpu", cpu_ms, "ms/req", anchor_cpu_ms),
            ]
            if many.errors or one.errors:
                failures.append(f"{page.name}: {many.errors + one.errors} errors")
            if many.requests_per_second < PAGE_RATE_BUDGET or many.p99_ms > PAGE_P99_BUDGET_MS:
                support.log(f"  over budget at 16 connections: {page.name}")
            if one.p99_ms > ONE_USER_P99_BUDGET_MS:
                support.log(f"  over budget for one user: {page.name}")
            print(*lines[-4:], sep="\n", flush=True)
    if failures:
        sys.exit("errors under load: " + "; ".join(failures))
    return lines


def grow() -> None:
    """The demo database grown to the issue's scale, with the other benchmarks' builders."""
    import time

    import bench_outcomes
    import bench_programme_dashboard
    import numpy as np

    started = time.perf_counter()
    support.generate(100_000)
    builder = bench_outcomes.Builder(np.random.default_rng(bench_outcomes.SEED))
    n = 0
    while builder.responses < bench_outcomes.RESPONSES:
        n += 1
        builder.programme(
            f"National programme {n}", bench_outcomes.COHORTS_PER_PROGRAMME, limit=bench_outcomes.RESPONSES
        )
    import random

    bench_programme_dashboard.build_programme("National programme (registers)", 500, random.Random(16))
    bench_programme_dashboard.rebuild_tallies()  # rows went in around the services, as that bench does
    from carecommons.programmes.models import Cohort

    support.log(
        f"grown: {builder.responses:,} responses, {Cohort.objects.count():,} cohorts "
        f"in {time.perf_counter() - started:.0f} s"
    )


def run(
    database: dict[str, str], label: str, phases: list[str], seconds: int, keep: Path | None = None
) -> list[str]:
    env = setup(database, keep)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load_demo()
    if keep is not None and "scale" in phases:
        from carecommons.people.models import Person

        if Person.objects.count() > 100_000:
            phases = [phase for phase in phases if phase != "scale"] + ["scaled"]
    lines = []
    if "demo" in phases:
        lines += measure(f"{label}demo", env, seconds)
    if "scale" in phases:
        grow()
    if "scale" in phases or "scaled" in phases:
        lines += measure(f"{label}scale", env, seconds)
    return lines


def main() -> list[str]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", choices=["demo", "scale"], action="append")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL only")
    parser.add_argument("--sqlite", action="store_true", help="SQLite only")
    parser.add_argument("--keep", type=Path, help="SQLite file to keep and reuse (for profiling)")
    options = parser.parse_args()
    phases = options.phase or ["demo", "scale"]
    if options.postgres:
        return run_postgres(phases, options.seconds)
    if options.keep:
        keys = options.keep.with_suffix(".keys.json")
        return run({"SQLITE_PATH": str(options.keep)}, "", phases, options.seconds, keys)
    workdir = Path(tempfile.mkdtemp(prefix="carecommons-load-"))
    lines = run({"SQLITE_PATH": str(workdir / "load.sqlite3")}, "", phases, options.seconds)
    if not options.sqlite and postgres_answers():
        # Django is set up once per process: PostgreSQL gets a process of its own.
        command = [sys.executable, __file__, "--postgres", "--seconds", str(options.seconds)]
        command += [f"--phase={phase}" for phase in phases]
        subprocess.run(command, check=True)
    return lines


def postgres_answers() -> bool:
    import psycopg

    try:
        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        support.log("PostgreSQL does not answer on 127.0.0.1:5432: its figures are left out")
        return False
    return True


def run_postgres(phases: list[str], seconds: int) -> list[str]:
    stack.create_database(PG_DATABASE)
    try:
        return run({"DATABASE_URL": stack.database_url(PG_DATABASE)}, "pg_", phases, seconds)
    finally:
        from django.db import connections

        connections.close_all()
        stack.drop_database(PG_DATABASE)


if __name__ == "__main__":
    main()
