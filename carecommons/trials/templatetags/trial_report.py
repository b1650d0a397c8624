"""Filters for the evaluation report: counts (hidden when small in the shared version), p-values,
percentages and plain words."""

from django import template

from carecommons.lib.small_numbers import shown_count
from carecommons.measures.models import Wave
from carecommons.trials import flow
from carecommons.trials.models import SAP_FIELDS

register = template.Library()
PLAN_LABELS = dict(SAP_FIELDS)


@register.filter
def count(value: int, hidden: bool) -> str:
    return shown_count(value) if hidden else f"{value:,}"


@register.filter
def p_value(value: float | None) -> str:
    if value is None:
        return ""
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


@register.filter
def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


@register.filter
def absolute(value: float) -> float:
    return abs(value)


@register.filter
def wave_words(wave: Wave) -> str:
    return flow.wave_words(wave)


@register.filter
def plan_field(name: str) -> str:
    return PLAN_LABELS.get(name, name)
