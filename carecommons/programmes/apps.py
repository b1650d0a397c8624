from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "carecommons.programmes"
    label = "programmes"
