from django.urls import include, path

urlpatterns = [
    path("", include("carecommons.home.urls")),
    path("people/", include("carecommons.people.urls")),
    path("transfers/", include("carecommons.transfers.urls")),
    path("audit/", include("carecommons.audit.urls")),
    path("accounts/", include("allauth.urls")),
]
