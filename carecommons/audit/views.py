from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.access import audit_log_for
from carecommons.audit.services import record_event


@login_required
def event_list(request: AuthedRequest) -> HttpResponse:
    events = audit_log_for(request.user)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    record_event(actor=request.user, action="audit.log_viewed", target=None)
    return render(request, "audit/event_list.html", {"page": page, "action": action, "show_ip": True})
