from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "carecommons.dashboards"
    label = "dashboards"
