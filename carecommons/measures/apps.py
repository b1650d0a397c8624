from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "carecommons.measures"
    label = "measures"
