from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "home/index.html", {})


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})
