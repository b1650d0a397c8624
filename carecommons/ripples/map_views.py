"""Placeholder: replaced by the map pages and exports."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def map_detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def map_timeline(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def map_capitals(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def map_agreement(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def map_changes(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def export_csv(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def export_graphml(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def export_kumu(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404
