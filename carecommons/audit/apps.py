from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "carecommons.audit"
    label = "audit"
