from django.apps import AppConfig


class LearningsetsConfig(AppConfig):
    name = "carecommons.learningsets"
    label = "learningsets"
