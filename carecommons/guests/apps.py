from django.apps import AppConfig


class GuestsConfig(AppConfig):
    name = "carecommons.guests"
    label = "guests"
