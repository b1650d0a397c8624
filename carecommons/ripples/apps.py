from django.apps import AppConfig


class RipplesConfig(AppConfig):
    name = "carecommons.ripples"
    label = "ripples"
    verbose_name = "Ripple effects mapping"
