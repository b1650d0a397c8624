from django.apps import AppConfig


class SignupsConfig(AppConfig):
    name = "carecommons.signups"
    label = "signups"
