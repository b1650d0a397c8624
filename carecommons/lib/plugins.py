"""Plug-in points: a lower app asks every installed app for what it declares in a module of a known
name, as Django's admin finds `admin.py`, so the lower app never imports an app above it
(decisions 0026, 0028). Used for `reach.py` (second factor), `attention.py` (home page items) and
`personal_data.py` (own data and erasure)."""

from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule


def declared(module: str, name: str) -> list[tuple[AppConfig, Any]]:
    """(app, value) for each installed app whose `<app>.<module>` module sets `name`, in
    INSTALLED_APPS order. An app without the module, or whose module lacks the name, is left out."""
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, module):
            value = getattr(import_module(f"{config.name}.{module}"), name, None)
            if value is not None:
                found.append((config, value))
    return found
