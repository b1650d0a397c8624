"""What every benchmark shares: a throwaway SQLite database, Django, a convenor, the output line.

Imported before Django is set up; each benchmark runs in its own process (see run.py), so each
gets a fresh database and none can touch a real one.
"""

import atexit
import os
import shutil
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from carecommons.accounts.models import User

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> Path:
    """Point the settings at a new, empty SQLite file, set Django up and migrate."""
    workdir = Path(tempfile.mkdtemp(prefix="carecommons-bench-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ["DEBUG"] = "1"  # no SECRET_KEY or ALLOWED_HOSTS needed; both sides pay the same
    os.environ["DJANGO_SETTINGS_MODULE"] = "carecommons.settings"
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from carecommons.lib import heap

    heap.settle()  # as carecommons/wsgi.py does once the app is loaded
    return workdir


def generate(people: int, *, seed: int = 1) -> float:
    """Run `carecommons generate` and return how long it took, in seconds."""
    from django.core.management import call_command

    out = StringIO()
    started = time.perf_counter()
    call_command("generate", "--people", str(people), "--seed", str(seed), stdout=out)
    seconds = time.perf_counter() - started
    log(out.getvalue().strip())
    return seconds


def make_convenor(*, two_factor: bool = True) -> "User":
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from carecommons.accounts.models import Role
    from carecommons.accounts.services import create_account

    user = create_account(email="bench.convenor@example.org", password=None, roles=[Role.CONVENOR], by=None)
    if two_factor:
        TOTP.activate(user, generate_totp_secret())
    return user


def number(value: float) -> str:
    """Three significant figures, without an exponent for the sizes benchmarks produce."""
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def line(name: str, value: float, unit: str, anchor: float) -> str:
    ratio = value / anchor if anchor else float("inf")
    return f"BENCH {name} {number(value)} {unit} anchor={number(anchor)} ratio={number(ratio)}"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
