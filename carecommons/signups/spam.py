"""Spam protection without third parties: a honeypot field (in forms.py), a signed start time that
refuses forms sent too quickly or too late, and a limit on applications per address per hour."""

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

SALT = "carecommons.signups.form-started"
MAX_SECONDS = 24 * 60 * 60
LIMIT_PER_HOUR = 10

MESSAGES = {
    "honeypot": "Sorry, we could not accept this form. Please try again, "
    "and if it still does not work, contact the programme team.",
    "fast": "That was quicker than anyone can read this form. "
    "Please check your answers, then send the form again.",
    "stale": "This page was opened more than a day ago. Please check your answers, then send the form again.",
    "bad": "Sorry, we could not check this form. Please check your answers, then send it again.",
    "limit": "We have received a lot of applications from your internet connection in the last hour. "
    "Please try again later, or contact the programme team.",
}


def form_token(form_key: str, *, now: float | None = None) -> str:
    """A tamper-proof note of when the form was shown, tied to one form (e.g. a cohort's uuid)."""
    return signing.dumps({"k": form_key, "t": time.time() if now is None else now}, salt=SALT)


def token_problem(token: str, form_key: str, *, now: float | None = None) -> str | None:
    """None when the form was shown between SIGNUP_MIN_SECONDS and MAX_SECONDS ago; else a MESSAGES key."""
    try:
        data = signing.loads(token, salt=SALT)
        shown_at = float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "bad"
    if data.get("k") != form_key:
        return "bad"
    age = (time.time() if now is None else now) - shown_at
    if age < settings.SIGNUP_MIN_SECONDS:
        return "fast"
    if age > MAX_SECONDS:
        return "stale"
    return None


def _rate_key(ip: str, now: float | None) -> str:
    # The address is kept only as a keyed hash, in an hourly bucket that expires with the hour.
    hour = int((time.time() if now is None else now) // 3600)
    return f"signups:rate:{salted_hmac(SALT, ip).hexdigest()[:32]}:{hour}"


def over_limit(ip: str | None, *, now: float | None = None) -> bool:
    return bool(ip) and cache.get(_rate_key(ip, now), 0) >= LIMIT_PER_HOUR  # type: ignore[arg-type]


def count_application(ip: str | None, *, now: float | None = None) -> None:
    if ip:
        key = _rate_key(ip, now)
        cache.set(key, cache.get(key, 0) + 1, timeout=3600)
