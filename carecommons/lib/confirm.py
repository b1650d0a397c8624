"""Confirm first: an action that cannot be undone asks once more, on a page of its own.

The button for such an action leads to a confirmation page (a GET, or a POST without the
confirmation field) that says what will happen, with a "Yes, …" button that posts the field and a
"No, go back" link. Only a POST carrying the field acts. No JavaScript is involved, so a stray tap
or a resubmitted form never does the irreversible thing by itself.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


@dataclass(frozen=True)
class Confirmation:
    title: str
    consequences: Sequence[str]
    yes: str
    back_url: str
    back: str = "No, go back"
    hidden: Mapping[str, str] = field(default_factory=dict)


def is_confirmed(request: HttpRequest) -> bool:
    """True only for a POST that carries the confirmation page's field."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirm_page(request: HttpRequest, confirmation: Confirmation, *, action_url: str = "") -> HttpResponse:
    """The confirmation page; its form posts back to `action_url` (this page's address by default)."""
    context = {
        "confirmation": confirmation,
        "action_url": action_url or request.path,
        "confirm_field": CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE,
    }
    return render(request, "confirm_page.html", context)
