from django.urls import include, path

urlpatterns = [
    path("", include("carecommons.home.urls")),
    path("people/", include("carecommons.people.urls")),
    path("transfers/", include("carecommons.transfers.urls")),
    path("programmes/", include("carecommons.programmes.urls")),
    path("join/", include("carecommons.signups.urls")),
    path("sets/", include("carecommons.learningsets.urls")),
    path("calendar/", include("carecommons.calendars.urls")),
    path("guests/", include("carecommons.guests.urls")),
    path("dashboards/", include("carecommons.dashboards.urls")),
    path("measures/", include("carecommons.measures.urls")),
    path("listening/", include("carecommons.listening.urls")),
    path("assets/", include("carecommons.assets.urls")),
    path("network/", include("carecommons.networks.urls")),
    path("money/expenses/", include("carecommons.expenses.urls")),
    path("money/statements/", include("carecommons.statements.urls")),
    path("money/", include("carecommons.money.urls")),
    path("groups/<uuid:group_id>/decisions/", include("carecommons.decisions.urls")),
    path("audit/", include("carecommons.audit.urls")),
    path("accounts/", include("allauth.urls")),
]
