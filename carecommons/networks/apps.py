from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "carecommons.networks"
    verbose_name = "The relationship network"
