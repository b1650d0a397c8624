from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "carecommons.assets"
    verbose_name = "Community assets"
