from django import template

from carecommons.accounts.models import User

register = template.Library()


@register.simple_tag
def second_factor_reasons(user: User) -> tuple[str, ...]:
    """Why the signed-in person is asked for a second factor (empty when they are not)."""
    if not user.is_authenticated:
        return ()
    return user.second_factor.reasons
