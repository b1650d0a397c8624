from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "carecommons.statements"
    label = "statements"
