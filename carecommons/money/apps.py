from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "carecommons.money"
    label = "money"
    verbose_name = "Money pages"
