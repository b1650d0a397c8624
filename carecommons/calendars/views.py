from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from carecommons.accounts.http import AuthedRequest
from carecommons.calendars import events, services
from carecommons.calendars.access import feed_sessions, get_feed_by_token, own_feed
from carecommons.calendars.forms import FeedActionForm
from carecommons.lib.urls import absolute_url
from carecommons.people.access import own_person
from carecommons.programmes.access import get_session_for_user

DONE = {
    "create": "Your calendar address is ready.",
    "replace": "Your calendar has a new address. The old one no longer works.",
    "revoke": "Your calendar address is turned off. Calendar apps using it will stop updating.",
}


def calendar_response(text: str, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """Polled by calendar apps without signing in: the token is the secret. Not audited per poll."""
    calendar_feed = get_feed_by_token(token)
    sessions = feed_sessions(calendar_feed.person, now=timezone.now())
    response = calendar_response(events.feed_text(sessions))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def feed_url(token: str, request: HttpRequest | None = None) -> str:
    return absolute_url(reverse("calendars:feed", args=[token]), request)


@login_required
def feed_settings(request: AuthedRequest) -> HttpResponse:
    person = own_person(request.user)
    if request.method == "POST":
        if person is None:
            raise Http404
        form = FeedActionForm(request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            change = {
                "create": services.create_feed,
                "replace": services.replace_feed,
                "revoke": services.revoke_feed,
            }[action]
            change(person=person, by=request.user)
            messages.success(request, DONE[action])
        else:
            messages.error(request, "Choose one of the buttons on this page.")
        return redirect("calendars:feed_settings")
    calendar_feed = own_feed(person) if person is not None else None
    url = feed_url(calendar_feed.token, request) if calendar_feed is not None else ""
    context = {
        "person": person,
        "feed": calendar_feed,
        "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1] if url else "",
    }
    return render(request, "calendars/feed_settings.html", context)


@login_required
def session_ics(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    session = get_session_for_user(request.user, session_id)
    return calendar_response(events.session_text(session), filename=f"session-{session.uuid}.ics")
