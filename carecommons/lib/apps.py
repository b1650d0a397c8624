from django.apps import AppConfig


class LibConfig(AppConfig):
    """`lib` is an app only to hold the tables its helpers need (the once-only submissions)."""

    name = "carecommons.lib"
    label = "lib"
