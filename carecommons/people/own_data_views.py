"""A person's own data: see it, download it, ask for it to be erased; convenors act on requests."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.confirm import Confirmation, confirm_page, is_confirmed
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.people import erasure
from carecommons.people.access import (
    erasure_requests_for,
    get_erasure_request_for_user,
    get_own_person,
)
from carecommons.people.models import ErasureRequest, ErasureStatus, Person
from carecommons.people.own_data import collect


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Why are you erasing their data?",
        help_text="For example: they asked in person on 3 May. Do not write their name: it will be erased.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why their data is being erased."},
    )


def open_request_of(person: Person) -> ErasureRequest | None:
    return person.erasure_requests.filter(status=ErasureStatus.REQUESTED).first()


@login_required
def own_data(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_own_person(request.user, person_id)
    record_event(actor=request.user, action="person.own_data_viewed", target=person)
    context = {"person": person, "data": collect(person), "open_request": open_request_of(person)}
    return render(request, "people/own_data.html", context)


@login_required
def own_data_download(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_own_person(request.user, person_id)
    record_event(actor=request.user, action="person.own_data_downloaded", target=person)
    response = JsonResponse(collect(person).as_json(), json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"care-commons-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def erasure_ask(request: AuthedRequest, person_id: UUID) -> HttpResponse:
    person = get_own_person(request.user, person_id)
    open_request = open_request_of(person)
    if request.method == "POST" and open_request is None:
        if is_confirmed(request):
            erasure.request_erasure(person=person, by=request.user)
            messages.success(
                request, "Your request is sent. A convenor will act on it and tell you when it is done."
            )
            return redirect("people:person_detail", person_id=person.uuid)
        return confirm_page(
            request,
            Confirmation(
                title="Ask for your data to be erased?",
                consequences=[
                    "A convenor will see your request and erase your data.",
                    "Once erased, your account closes and your data cannot be brought back.",
                    "Download your data first if you want a copy.",
                ],
                yes="Yes, ask for my data to be erased",
                back_url=reverse("people:erasure_ask", kwargs={"person_id": person.uuid}),
            ),
        )
    context = {"person": person, "plan": erasure.plan_for(person), "open_request": open_request}
    return render(request, "people/erasure_ask.html", context)


@login_required
def erasure_list(request: AuthedRequest) -> HttpResponse:
    requests = list(
        erasure_requests_for(request.user)
        .select_related("person", "requested_by")
        .order_by("status", "-requested_at")
    )
    record_event(actor=request.user, action="person.erasure_requests_listed", target=None)
    return render(request, "people/erasure_list.html", {"requests": requests})


@login_required
def erasure_detail(request: AuthedRequest, request_id: UUID) -> HttpResponse:
    erasure_request = get_erasure_request_for_user(request.user, request_id)
    person = erasure_request.person
    record_event(
        actor=request.user,
        action="person.erasure_request_viewed",
        target=person,
        detail={"request": str(erasure_request.uuid)},
    )
    pending = erasure_request.status == ErasureStatus.REQUESTED
    form = ErasureForm(post_data(request) if pending else None)
    if pending and request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if not is_confirmed(request):
            plan = erasure.plan_for(person)
            return confirm_page(
                request,
                Confirmation(
                    title=f"Erase {person.display_name}'s data for good?",
                    consequences=[
                        *(f"Delete {n} {what}." for what, n in plan.deleted),
                        *(f"Keep {n} {what}, without their name." for what, n, _why in plan.kept),
                        "This cannot be undone.",
                    ],
                    yes="Yes, erase for good",
                    back_url=request.path,
                    hidden={"reason": reason},
                ),
            )
        try:
            erasure.erase_person(person=person, by=request.user, reason=reason, request=erasure_request)
        except ValidationError as error:
            apply_form_errors(form, error, "reason")
        else:
            messages.success(request, "Their data has been erased. Tell them, by the way they asked.")
            return redirect("people:erasure_detail", request_id=erasure_request.uuid)
    context = {
        "erasure_request": erasure_request,
        "person": person,
        "plan": erasure.plan_for(person) if pending else None,
        "form": form,
    }
    return render(request, "people/erasure_detail.html", context)
