from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "carecommons.transfers"
    label = "transfers"
