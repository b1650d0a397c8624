from django.apps import AppConfig


class TrialsConfig(AppConfig):
    name = "carecommons.trials"
    label = "trials"
    verbose_name = "Trials"
