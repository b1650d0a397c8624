"""Showing the nested values of a person's own data in plain words."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def value_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list):
        return "list"
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "text"


@register.filter
def field_label(key: str) -> str:
    return str(key).replace("_", " ").capitalize()
