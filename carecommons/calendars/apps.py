from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "carecommons.calendars"
    label = "calendars"
