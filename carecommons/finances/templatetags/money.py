from django import template

from carecommons.lib.money import format_pence

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    """Whole pence shown as pounds: 123456 → £1,234.56."""
    return format_pence(int(pence or 0))


@register.filter
def credit(pence: int | None) -> str:
    """A credit balance (stored negative) shown as a positive amount."""
    return format_pence(-int(pence or 0))


@register.filter
def treasurer_of(user: object, group: object) -> bool:
    """Whether the signed-in user is a current treasurer of the group (for links only; every
    treasurer page checks again through finances.access)."""
    from carecommons.finances.access import is_treasurer
    from carecommons.finances.models import Group

    return isinstance(group, Group) and is_treasurer(user, group)  # type: ignore[arg-type]
