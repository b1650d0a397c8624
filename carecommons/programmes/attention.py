"""Home page items about sessions: registers and closing reports still to do for those who run a
cohort, and sessions coming up in the next fortnight for anyone who may see them."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.lib.attention import Item, Provider
from carecommons.programmes.access import cohorts_run_by, sessions_visible_to
from carecommons.programmes.models import Session


def session_items(user: User) -> list[Item]:
    now = timezone.now()
    items = []
    runs = cohorts_run_by(user).values("id")
    recent = Session.objects.filter(
        cohort__in=runs, ends_at__lt=now, ends_at__gte=now - timedelta(days=30), cancelled_at__isnull=True
    )
    for session in recent.filter(attendances__isnull=True).select_related("cohort")[:3]:
        items.append(
            Item(
                f"Register not taken: {session.title}",
                f"{session.cohort.name}, {timezone.localtime(session.starts_at):%a %d %b}.",
                reverse("programmes:register", args=[session.uuid]),
                "Take the register",
            )
        )
    for session in recent.filter(report_completed_at__isnull=True, attendances__isnull=False).distinct()[:3]:
        items.append(
            Item(
                f"Closing report to finish: {session.title}",
                "Who came, what happened, reflections and follow-ups.",
                reverse("programmes:closing_report", args=[session.uuid]),
                "Write the closing report",
            )
        )
    upcoming = sessions_visible_to(user).upcoming().filter(starts_at__lte=now + timedelta(days=14))
    for session in upcoming.select_related("cohort")[:3]:
        items.append(
            Item(
                f"Coming up: {session.title}",
                f"{timezone.localtime(session.starts_at):%A %d %B, %H:%M} · {session.get_mode_display()}.",
                reverse("programmes:session_detail", args=[session.uuid]),
                "See the session",
            )
        )
    return items


def sessions_to_mention(user: User) -> QuerySet[Session]:
    """Sessions that may give an item: lately ended in a cohort the user runs, or coming up soon."""
    now = timezone.now()
    recent = Q(
        cohort__in=cohorts_run_by(user).values("id"), ends_at__lt=now, ends_at__gte=now - timedelta(days=30)
    )
    upcoming = sessions_visible_to(user).upcoming().filter(starts_at__lte=now + timedelta(days=14))
    return Session.objects.filter(recent & Q(cancelled_at__isnull=True) | Q(pk__in=upcoming.values("pk")))


ATTENTION = [Provider("sessions", session_items, sessions_to_mention)]
