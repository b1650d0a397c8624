"""Settings are read from the environment; each case runs in a fresh interpreter."""

import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection
from django.test import Client

PRINT_DB = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])"
)


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "FIELD_ENCRYPTION_KEYS"}
    }
    clean["DJANGO_SETTINGS_MODULE"] = "carecommons.settings"
    return subprocess.run(
        [sys.executable, *args], env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_debug_off_refuses_to_start_without_a_secret_key() -> None:
    result = run(["-m", "carecommons.cli", "check"], DEBUG="0", ALLOWED_HOSTS="care.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_refuses_to_start_without_allowed_hosts() -> None:
    result = run(["-m", "carecommons.cli", "check"], DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_deploy_check_reports_nothing_with_production_settings() -> None:
    result = run(
        ["-m", "carecommons.cli", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="care.example.org",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_debug_off_refuses_to_start_without_encryption_keys() -> None:
    result = run(
        ["-m", "carecommons.cli", "check"],
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="care.example.org",
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_database_url_selects_postgresql() -> None:
    result = run(["-c", PRINT_DB], DATABASE_URL="postgres://care:pw@db.example.org:5432/carecommons")
    assert result.stdout.split() == ["django.db.backends.postgresql", "carecommons"]


def test_development_needs_no_configuration_and_uses_sqlite() -> None:
    result = run(["-c", PRINT_DB])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("django.db.backends.sqlite3")


@pytest.mark.django_db
def test_sqlite_uses_wal_and_immediate_transactions() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only settings")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


@pytest.mark.django_db
def test_pages_carry_csp_and_security_headers() -> None:
    response = Client().get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_posts_without_a_csrf_token_are_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_health_answers_with_the_database_up() -> None:
    response = Client().get("/health")
    assert response.status_code == 200
    assert response.json()["status"] in {"ok", "degraded"}


def test_every_environment_setting_is_documented() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', (root / "carecommons/settings.py").read_text()))
    documented = (root / "docs/configuration.md").read_text()
    assert names, "no settings found: the pattern no longer matches settings.py"
    assert sorted(name for name in names if f"`{name}`" not in documented) == []
