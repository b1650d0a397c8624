"""One settings module, driven by environment variables (see docs/configuration.md)."""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-used-with-debug-off-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The address people use to reach the site, for links in emails, calendars and the sign-up address
# (lib/urls.py). Unset in development: pages then link to the host and port that served them, and
# `make demo` exports the address it serves for the worker.
SITE_URL = env_str("SITE_URL", "" if DEBUG else f"https://{ALLOWED_HOSTS[0]}").rstrip("/")
# Who runs this installation, as the signed-out home page introduces it.
SITE_NAME = env_str("SITE_NAME", "Care Commons")
SITE_DESCRIPTION = env_str(
    "SITE_DESCRIPTION",
    "A shared home for community-led care: the people and groups who take part, the gatherings they "
    "hold, and what changes for them.",
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "carecommons.lib",
    "carecommons.accounts",
    "carecommons.audit",
    "carecommons.people",
    "carecommons.transfers",
    "carecommons.programmes",
    "carecommons.groups",
    "carecommons.signups",
    "carecommons.learningsets",
    "carecommons.calendars",
    "carecommons.guests",
    "carecommons.dashboards",
    "carecommons.measures",
    "carecommons.listening",
    "carecommons.assets",
    "carecommons.networks",
    "carecommons.finances",
    "carecommons.expenses",
    "carecommons.statements",
    "carecommons.money",
    "carecommons.initiatives",
    "carecommons.decisions",
    "carecommons.trials",
    "carecommons.ripples",
    "carecommons.home",
    "carecommons.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "carecommons.lib.request_context.RequestContextMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "carecommons.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "carecommons.lib.private_pages.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "carecommons.accounts.middleware.RequireTwoFactorMiddleware",
    "carecommons.accounts.middleware.RecoveryCodeReadsMiddleware",
]

ROOT_URLCONF = "carecommons.urls"
WSGI_APPLICATION = "carecommons.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "carecommons" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carecommons.home.context_processors.navigation",
                "carecommons.home.context_processors.worker_warning",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
# NORMAL survives app crashes; FULL also survives power loss, at some write speed (docs/deploy.md).
SQLITE_SYNCHRONOUS = env_str("SQLITE_SYNCHRONOUS", "NORMAL").upper()
if SQLITE_SYNCHRONOUS not in ("NORMAL", "FULL"):
    raise ImproperlyConfigured("SQLITE_SYNCHRONOUS must be NORMAL or FULL.")
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        f"PRAGMA synchronous={SQLITE_SYNCHRONOUS};"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA mmap_size=134217728;"
        "PRAGMA journal_size_limit=27103364;"
        "PRAGMA cache_size=-20000;"
    ),
}
SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "carecommons.sqlite3")))
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    _db["CONN_HEALTH_CHECKS"] = True
    # Behind pgbouncer in transaction mode a cursor cannot outlive its transaction (docs/deploy.md).
    _db["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_BEHIND_PGBOUNCER", False)
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    # Kept open between requests too: opening a connection runs the PRAGMAs below every time.
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(SQLITE_PATH),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
    }
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {**SQLITE_OPTIONS, **_db.get("OPTIONS", {})}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Where the cache (and, with SESSION_ENGINE=cache, the sessions) live; several app servers must share
# it: db:// (the default, the database's cache table) or redis://host:port/db (docs/deploy.md).
CACHE_URL = env_str("CACHE_URL", "db://")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL == "db://":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "carecommons_cache"}
    }
else:
    raise ImproperlyConfigured("CACHE_URL must be db:// or a redis:// address.")
SESSION_ENGINE = "django.contrib.sessions.backends." + env_str("SESSION_ENGINE", "db")
if SESSION_ENGINE.rsplit(".", 1)[1] not in ("db", "cache", "cached_db"):
    raise ImproperlyConfigured("SESSION_ENGINE must be db, cache or cached_db.")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Staff are warned, and /health says "worker": "missing", when no worker has beaten for this long.
WORKER_STALE_AFTER = env_int("WORKER_STALE_AFTER", 600)
if WORKER_STALE_AFTER < 60:
    raise ImproperlyConfigured("WORKER_STALE_AFTER must be at least 60 seconds (workers beat every 30).")
# Processes that share a big network's betweenness (networks/betweenness.py); 0: every core.
NETWORK_METRICS_PROCESSES = env_int("NETWORK_METRICS_PROCESSES", 0)

# --- Accounts and sign-in -------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["carecommons.accounts.backends.CareCommonsAuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:index"
ACCOUNT_ADAPTER = "carecommons.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
REQUIRE_TWO_FACTOR_FOR_STAFF = env_bool("REQUIRE_TWO_FACTOR_FOR_STAFF", True)

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# The idle limit is kept by accounts.middleware.IdleSessionMiddleware, which pushes a session's
# expiry back at most once in this many seconds, rather than writing the session on every request.
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
if not 0 <= SESSION_REFRESH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("SESSION_REFRESH_SECONDS must be below SESSION_IDLE_MINUTES × 60.")
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Security headers -----------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of our own stand in front of the app servers. The client address (audit events
# and the sign-in throttle) is then read from X-Forwarded-For, counting that many hops from the
# right; 0 ignores the header. allauth asks our adapter, and is told the same count for any code of
# its own that reads the header directly.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every subject starts with it (lib/email.py), allauth's own emails (password reset) too; with
# Django's trailing space, which the variable may leave out.
EMAIL_SUBJECT_PREFIX = f"{env_str('EMAIL_SUBJECT_PREFIX', f'[{SITE_NAME}]').strip()} ".lstrip()
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX

# --- Static files, uploads, locale ----------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "carecommons" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
INSTRUMENT_TEXT_DIR = Path(env_str("INSTRUMENT_TEXT_DIR", str(BASE_DIR / "var" / "instrument-text")))
# --- Wellbeing measures and safeguarding (docs/configuration.md) ----------
# Days after an invitation is sent on which a reminder goes, while it is unanswered.
MEASURES_REMINDER_DAYS = [int(day) for day in env_list("MEASURES_REMINDER_DAYS", ["3", "7"])]
# How long a safeguarding lead has to log a human contact before the alert is escalated.
SAFEGUARDING_FOLLOW_UP_HOURS = env_int("SAFEGUARDING_FOLLOW_UP_HOURS", 24)
# Extra addresses told when an alert is overdue (convenors are always told).
SAFEGUARDING_ESCALATION_EMAILS = env_list("SAFEGUARDING_ESCALATION_EMAILS", [])
# Where "Exit this page" (and pressing Shift three times) goes from questionnaire, support and
# personal-story pages: a neutral site that gives nothing away.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
# Shown at once to anyone whose answers meet a risk rule. JSON list of {name, contact, detail}.
CRISIS_SIGNPOSTING = json.loads(
    env_str(
        "CRISIS_SIGNPOSTING",
        json.dumps(
            [
                {
                    "name": "Samaritans",
                    "contact": "116 123",
                    "detail": "Free, any time, day or night. You can also email jo@samaritans.org.",
                },
                {
                    "name": "NHS 111",
                    "contact": "111",
                    "detail": "Choose the mental health option for urgent help, any time.",
                },
                {
                    "name": "Emergency",
                    "contact": "999",
                    "detail": "If your life or someone else's is at risk now, call 999 or go to A&E.",
                },
            ]
        ),
    )
)
# NHS Talking Therapies style outcomes: which instruments pair, and how change on both combines.
# "nhs": reliable improvement needs one measure reliably better and neither reliably worse (and the
# reverse for deterioration); "either": one measure is enough, whatever the other did.
TALKING_THERAPIES_DEPRESSION = env_str("TALKING_THERAPIES_DEPRESSION", "phq9")
TALKING_THERAPIES_ANXIETY = env_str("TALKING_THERAPIES_ANXIETY", "gad7")
TALKING_THERAPIES_CHANGE_RULE = env_str("TALKING_THERAPIES_CHANGE_RULE", "nhs")
if TALKING_THERAPIES_CHANGE_RULE not in ("nhs", "either"):
    raise ImproperlyConfigured("TALKING_THERAPIES_CHANGE_RULE must be 'nhs' or 'either'.")
# Key for the pseudonymous ids in evaluation exports. Keep it apart from SECRET_KEY so the ids stay
# the same when SECRET_KEY is rotated; empty means derive one from SECRET_KEY.
RESEARCH_PSEUDONYM_KEY = env_str("RESEARCH_PSEUDONYM_KEY", "")
# --- Encryption at rest (docs/decisions/0009-encrypted-notes.md) -----------
# Fernet keys for encrypted fields (conversation notes), newest first; any of them can read, the
# first writes. Make one with `carecommons field_key`. Required when DEBUG is off.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
if not DEBUG and not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS (see docs/configuration.md).")
# Open Referral HSDS requires a region and a city on every address (docs/configuration.md).
ASSETS_HSDS_STATE_PROVINCE = env_str("ASSETS_HSDS_STATE_PROVINCE", "")
ASSETS_HSDS_CITY = env_str("ASSETS_HSDS_CITY", "")
# A sign-up form sent back sooner than this after it was shown is taken for a robot.
SIGNUP_MIN_SECONDS = env_int("SIGNUP_MIN_SECONDS", 3)
CSV_IMPORT_MAX_BYTES = env_int("CSV_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
EXPENSE_RECEIPT_MAX_BYTES = env_int("EXPENSE_RECEIPT_MAX_BYTES", 10 * 1024 * 1024)
STATEMENT_MAX_BYTES = env_int("STATEMENT_MAX_BYTES", 5 * 1024 * 1024)
MATERIAL_MAX_BYTES = env_int("MATERIAL_MAX_BYTES", 10 * 1024 * 1024)
RIPPLE_EVIDENCE_MAX_BYTES = env_int("RIPPLE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = CSV_IMPORT_MAX_BYTES + 1024 * 1024

FORMS_URLFIELD_ASSUME_HTTPS = True
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
