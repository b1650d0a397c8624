from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "carecommons.groups"
    label = "groups"
