"""Text encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256), keys from FIELD_ENCRYPTION_KEYS.

The keys are a list, newest first: new values are written with the first, and any key in the list
can read. Rotation: put a new key first, restart web servers and the worker, then run
`carecommons rotate_field_keys` to rewrite every value under the new key (docs/deploy.md).

The database cannot search, sort or index what it cannot read, so an encrypted field refuses every
lookup except `isnull`: a query that would silently match nothing fails loudly instead.
"""

import base64
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Lookup, Transform
from django.utils.crypto import salted_hmac


def keys_from_settings() -> list[bytes]:
    keys = [key.encode() for key in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if key]
    if keys:
        return keys
    # Development and tests only: settings.py refuses to start without keys when DEBUG is off.
    # (Not settings.DEBUG here: pytest-django switches it off at run time.) A key derived from
    # SECRET_KEY, so nothing needs setting up.
    digest = salted_hmac("carecommons.field-encryption", "development", algorithm="sha256").digest()
    return [base64.urlsafe_b64encode(digest)]


@cache
def cipher_for(keys: tuple[bytes, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key: {error}"
        ) from None


def cipher() -> MultiFernet:
    return cipher_for(tuple(keys_from_settings()))


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode()).decode()


def decrypt(token: str, *, where: str = "a value") -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            f"Cannot decrypt {where}: none of FIELD_ENCRYPTION_KEYS opens it (a key was removed too soon?)"
        ) from None


def rotate(token: str) -> str:
    return cipher().rotate(token.encode()).decode()


def opens_with_newest_key(token: str) -> bool:
    try:
        Fernet(keys_from_settings()[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField stored as a Fernet token. Empty text is stored as empty text."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return decrypt(value, where=f"{self.model._meta.label}.{self.name}")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name != "isnull":
            raise TypeError(f"{self.name} is encrypted: the database cannot filter it by {lookup_name!r}")
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        raise TypeError(f"{self.name} is encrypted: the database cannot transform it ({lookup_name!r})")


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]
