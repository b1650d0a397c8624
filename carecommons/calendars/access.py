"""Whose sessions a calendar shows, and how a feed is found from its token.

A feed is personal: it shows the sessions of cohorts where the person's place is accepted and of
cohorts they facilitate, whatever their role (a convenor's feed is not every session on the site).
"""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from carecommons.calendars.models import TOKEN_MAX_LENGTH, CalendarFeed
from carecommons.people.models import Person
from carecommons.programmes.models import CohortFacilitator, Enrolment, EnrolmentStatus, Session

RECENT = timedelta(days=60)
FEED_LIMIT = 500


def own_feed(person: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.active().filter(person=person).first()


def cohort_ids_of(person: Person) -> Q:
    member = Enrolment.objects.filter(person=person, status=EnrolmentStatus.ACCEPTED).values("cohort_id")
    facilitated = CohortFacilitator.objects.filter(person=person).values("cohort_id")
    return Q(cohort_id__in=member) | Q(cohort_id__in=facilitated)


def feed_sessions(person: Person, *, now: datetime) -> QuerySet[Session]:
    """Recent and upcoming sessions of the person's own cohorts, cancelled ones included (marked so)."""
    ids = Session.objects.filter(cohort_ids_of(person), starts_at__gte=now - RECENT).values("id")
    return (
        Session.objects.filter(id__in=ids)
        .select_related("cohort__programme")
        .order_by("starts_at")[:FEED_LIMIT]
    )


def get_feed_by_token(token: str) -> CalendarFeed:
    """The active feed with this token; unknown, revoked or a closed account's feed is a 404."""
    if len(token) > TOKEN_MAX_LENGTH:
        raise Http404
    try:
        feed = CalendarFeed.objects.active().select_related("person__user").get(token=token)
    except CalendarFeed.DoesNotExist:
        raise Http404 from None
    if feed.person.user is not None and not feed.person.user.is_active:
        raise Http404
    return feed
