"""`{{ radio|radio_input }}`: exactly what `{{ radio.tag }}` renders (Django's input.html and
attrs.html), built in Python. A questionnaire page has 30-50 radios, and rendering each through
the widget templates cost more than the rest of the page together (bench/README.md, submissions)."""

from django import template
from django.forms.boundfield import BoundWidget
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def radio_input(radio: BoundWidget) -> SafeString:
    data = radio.data
    value = "" if data["value"] is None else format_html(' value="{}"', data["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>', data["type"], data["name"], value, flatatt(data["attrs"])
    )
