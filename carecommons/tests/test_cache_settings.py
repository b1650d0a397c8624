"""CACHE_URL and SESSION_ENGINE choose where the cache and sessions live; each case runs in a fresh
interpreter."""

import os
import subprocess
import sys

PRINT = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'], "
    "settings.SESSION_ENGINE)"
)


def run(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "SESSION_ENGINE"}}
    clean |= {"DJANGO_SETTINGS_MODULE": "carecommons.settings", "DEBUG": "1"}
    return subprocess.run(
        [sys.executable, "-c", PRINT], env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_the_cache_and_sessions_live_in_the_database_by_default() -> None:
    assert run().stdout.split() == [
        "django.core.cache.backends.db.DatabaseCache",
        "carecommons_cache",
        "django.contrib.sessions.backends.db",
    ]


def test_a_redis_cache_url_puts_the_cache_and_cached_sessions_in_redis() -> None:
    result = run(CACHE_URL="redis://10.0.0.10:6379/0", SESSION_ENGINE="cache")
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://10.0.0.10:6379/0",
        "django.contrib.sessions.backends.cache",
    ]


def test_an_unknown_cache_or_session_engine_refuses_to_start() -> None:
    cache = run(CACHE_URL="memcached://127.0.0.1:11211")
    assert cache.returncode != 0
    assert "CACHE_URL must be db:// or a redis:// address" in cache.stderr
    sessions = run(SESSION_ENGINE="file")
    assert sessions.returncode != 0
    assert "SESSION_ENGINE must be db, cache or cached_db" in sessions.stderr
