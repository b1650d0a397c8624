"""Where several app servers should keep the cache and the sessions: the database or Redis.

The app's real uses, one at a time as a request makes them: a cache read and write (the sign-in
throttle and the sign-up limit: `cache.get` then `cache.set` on a key), and a signed-in request's
session (load, then save: SESSION_SAVE_EVERY_REQUEST). Each is timed with the database cache and
database sessions (the default) and with Redis (CACHE_URL=redis://..., SESSION_ENGINE=cache), on
PostgreSQL when it answers on 127.0.0.1:5432 (a database of its own), else on SQLite.

BENCH cache_get_set_redis / session_load_save_redis: µs per use with Redis, anchor: the same with
the database. Redis must answer on 127.0.0.1:6379 (Debian's redis-server); database 15 is used and
flushed.
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from support import line, log

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import stack  # noqa: E402

DATABASE = "cc_bench_cache"
REDIS = "redis://127.0.0.1:6379/15"
ROUNDS = 2000


def timed(use: Callable[[int], None]) -> float:
    """Median µs of one use, over ROUNDS uses in batches of 100."""
    for n in range(100):
        use(n)
    batches = []
    for batch in range(ROUNDS // 100):
        started = time.perf_counter()
        for n in range(100):
            use(batch * 100 + n)
        batches.append((time.perf_counter() - started) / 100 * 1e6)
    return statistics.median(batches)


def main() -> None:
    import os
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="carecommons-cache-"))
    on_postgres = stack.postgres_answers()
    url = None
    if on_postgres:
        stack.create_database(DATABASE)
        url = stack.database_url(DATABASE)
    env = stack.production_env(database_url=url, workdir=workdir)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connections

    from carecommons.lib import heap

    try:
        call_command("migrate", verbosity=0)
        call_command("createcachetable")
        heap.settle()
        database_cache = caches["default"]
        settings.CACHES["redis"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
        }
        redis_cache = caches["redis"]
        redis_cache.clear()
        figures = {}
        for name, cache in (("db", database_cache), ("redis", redis_cache)):

            def use(n: int, cache: object = cache) -> None:
                key = f"throttle:{n % 50}"
                cache.get(key)  # type: ignore[attr-defined]
                cache.set(key, n, 60)  # type: ignore[attr-defined]

            figures[f"cache_{name}"] = timed(use)
        figures |= sessions()
        connections.close_all()
    finally:
        if on_postgres:
            stack.drop_database(DATABASE)
    where = "postgres" if on_postgres else "sqlite"
    log(f"on {where}: {figures}")
    print(line("cache_get_set_redis", figures["cache_redis"], "us", figures["cache_db"]))
    print(line("session_load_save_redis", figures["session_redis"], "us", figures["session_db"]))


def sessions() -> dict[str, float]:
    """A session's load and save per request, in the database and in the Redis cache."""
    from django.contrib.sessions.backends import cache as cache_sessions
    from django.contrib.sessions.backends import db as db_sessions
    from django.test import override_settings

    figures = {}
    for name, module in (("db", db_sessions), ("redis", cache_sessions)):
        with override_settings(SESSION_CACHE_ALIAS="redis"):
            figures[f"session_{name}"] = timed_sessions(module)
    return figures


def timed_sessions(module: object) -> float:
    keys = []
    for n in range(50):
        store = module.SessionStore()  # type: ignore[attr-defined]
        store["_auth_user_id"] = str(n)
        store["measures.signpost"] = "x" * 40
        store.save()
        keys.append(store.session_key)

    def use(n: int) -> None:
        store = module.SessionStore(keys[n % 50])  # type: ignore[attr-defined]
        store.load()
        store.modified = True
        store.save()

    return timed(use)


if __name__ == "__main__":
    main()
