"""`{% quick_exit %}`: the "Exit this page" button for questionnaire, support and personal-story pages."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("includes/quick_exit.html")
def quick_exit() -> dict[str, str]:
    return {"exit_url": settings.QUICK_EXIT_URL}
