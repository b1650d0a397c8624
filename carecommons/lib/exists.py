"""Several "is there any such row?" questions asked in one query, for pages that ask many (the menu)."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, QuerySet


def which_exist(user: Any, questions: Mapping[str, QuerySet[Any]]) -> dict[str, bool]:
    """For each named queryset, whether it has a row: one query, hung on the user's own row (any row
    would do; theirs is there whenever someone is signed in). Empty querysets cost nothing."""
    asked = {name: Exists(rows) for name, rows in questions.items() if not rows.query.is_empty()}
    row = get_user_model().objects.filter(pk=user.pk).values(**asked).first() if asked else None
    return {name: bool(row and row.get(name)) for name in questions}
