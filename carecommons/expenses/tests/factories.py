"""Expenses made through the real services, and tiny files that really are what they say."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.expenses import services
from carecommons.expenses.models import Expense
from carecommons.finances.models import Group
from carecommons.finances.tests.factories import account, join, make_group, member

__all__ = ["account", "join", "make_expense", "make_group", "member", "photo"]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64


def photo(name: str = "receipt.jpg", content: bytes = JPEG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def make_expense(
    group: Group,
    by: User,
    *,
    amount_pence: int = 1250,
    category: str = "Food and essentials",
    submit: bool = True,
    **values: Any,
) -> Expense:
    values.setdefault("description", "Milk and bread for the Tuesday lunch")
    values.setdefault("spent_on", timezone.localdate())
    return services.create_expense(
        group=group,
        by=by,
        amount_pence=amount_pence,
        category=account(group, category),
        submit=submit,
        **values,
    )
