from django import template
from django.apps import apps

from carecommons.audit.actions import describe

register = template.Library()


@register.filter
def action_words(action: str) -> str:
    return describe(action)


@register.filter
def record_words(target_type: str) -> str:
    """ "people.person" becomes "person": the kind of record, in the model's own name."""
    if not target_type:
        return ""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type
