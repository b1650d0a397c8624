from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from carecommons.audit.models import AuditEvent
from carecommons.audit.services import record_event
from carecommons.lib.http import AuthedRequest
from carecommons.people.access import can_read_audit


@login_required
def event_list(request: AuthedRequest) -> HttpResponse:
    if not can_read_audit(request.user):
        raise Http404
    events = AuditEvent.objects.select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    record_event(actor=request.user, action="audit.log_viewed", target=None)
    return render(request, "audit/event_list.html", {"page": page, "action": action, "show_ip": True})
