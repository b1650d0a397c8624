from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "carecommons.home"
    label = "home"
