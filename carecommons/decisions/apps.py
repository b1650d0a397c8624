from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "carecommons.decisions"
    label = "decisions"
