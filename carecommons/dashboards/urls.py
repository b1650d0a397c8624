from django.urls import path

from carecommons.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("programme/<uuid:programme_id>/", views.programme_dashboard, name="programme_dashboard"),
    path(
        "programme/<uuid:programme_id>/export.csv",
        views.programme_dashboard_csv,
        name="programme_dashboard_csv",
    ),
]
