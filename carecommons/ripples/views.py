"""Placeholder: replaced by the rounds and ripples pages."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def round_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def round_new(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def round_from_session(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def round_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def round_ripples(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def ripple_add(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def round_invite(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def round_close(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def ripple_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def ripple_edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def ripple_code(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def ripple_second_code(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def ripple_move(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def ripple_merge(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def evidence_add(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def evidence_file(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def evidence_withdraw(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
