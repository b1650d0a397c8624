from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "carecommons.initiatives"
    label = "initiatives"
