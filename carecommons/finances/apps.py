from django.apps import AppConfig


class FinancesConfig(AppConfig):
    name = "carecommons.finances"
    label = "finances"
    verbose_name = "Group money"
