from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from carecommons.finances.access import public_groups
from carecommons.home.attention import attention_for
from carecommons.home.heartbeat import health_report
from carecommons.signups.access import open_cohorts


def index(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return welcome(request)
    context = {"items": attention_for(request.user), "roles": sorted(request.user.roles)}
    return render(request, "home/index.html", context)


def welcome(request: HttpRequest) -> HttpResponse:
    """What a visitor may see: who runs the site, sign-ups open now, and groups' public money pages.
    Two queries whatever the numbers, and nothing about any person."""
    context = {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "cohorts": list(open_cohorts().only("uuid", "name", "starts_on", "ends_on", "programme__name")),
        "public_groups": list(public_groups().only("group__name", "slug")),
    }
    return render(request, "home/welcome.html", context)


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """200 while the database answers, with "degraded" when no worker has beaten lately, so a load
    balancer keeps serving pages; `?worker=required` turns a missing worker into a 503 for monitors."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    report = health_report()
    missing = report["worker"] == "missing" and request.GET.get("worker") == "required"
    return JsonResponse(report, status=503 if missing else 200)
