from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "carecommons.listening"
    verbose_name = "Listening: one-to-one conversations, issues and themes"
