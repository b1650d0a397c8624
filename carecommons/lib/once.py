"""Creating something once per form, however often the form is sent (see lib.models.Submission).

The one once-only mechanism for every form that creates (decision 0007): the form carries a
`SubmissionKeyField`; the view wraps the service call in `create_once` (or `create_from_form`), so
everything the creation does, files saved included, happens once. A form that starts work rather
than making a row (a queued snapshot) claims its key with `claim_once`."""

import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.http import Http404

from carecommons.lib.models import Submission

M = TypeVar("M", bound=models.Model)


class SubmissionKeyField(forms.UUIDField):
    """A hidden key made when the form is shown; sent back with it. A client that sends none (a
    script, an old page) simply gets no double-submit protection."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(widget=forms.HiddenInput, initial=uuid.uuid4, required=False, **kwargs)  # type: ignore[arg-type]


def made_before(
    data: Mapping[str, Any] | None, user: AbstractBaseUser, model: type[M], field: str = "submission"
) -> M | None:
    """What an earlier submission of this form made, found before the form is checked: for forms
    whose checks would refuse a resend (a chosen person now in the set the first send formed)."""
    try:
        key = uuid.UUID(str((data or {}).get(field) or ""))
    except ValueError:
        return None
    earlier = Submission.objects.filter(key=key, user_id=user.pk, target_type=model._meta.label_lower).first()
    if earlier is None or not earlier.target_id:
        return None
    return model._default_manager.filter(pk=earlier.target_id).first()


def claim_once(*, key: uuid.UUID, user: AbstractBaseUser, target_type: str, target_id: str = "") -> bool:
    """True the first time this key is claimed, False for every later submission of the form."""
    try:
        with transaction.atomic():
            Submission.objects.create(key=key, user_id=user.pk, target_type=target_type, target_id=target_id)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def create_once(
    *, key: uuid.UUID | None, user: AbstractBaseUser, model: type[M], create: Callable[[], M]
) -> M:
    """Run `create` for the first submission with this key; later ones get what it made."""
    if key is None:
        return create()
    try:
        with transaction.atomic():
            submission = Submission.objects.create(key=key, user_id=user.pk)
    except IntegrityError:
        earlier = Submission.objects.filter(
            key=key, user_id=user.pk, target_type=model._meta.label_lower
        ).first()
        if earlier is None:
            raise Http404 from None
        return model._default_manager.get(pk=earlier.target_id)
    made = create()
    Submission.objects.filter(pk=submission.pk).update(
        target_type=model._meta.label_lower, target_id=str(made.pk)
    )
    return made


def create_from_form(
    form: forms.BaseForm, user: AbstractBaseUser, model: type[M], create: Callable[[dict[str, Any]], M]
) -> M:
    """`create_once` for a form whose other cleaned fields are the service's keyword arguments."""
    data = dict(form.cleaned_data)
    key = data.pop("submission", None)
    return create_once(key=key, user=user, model=model, create=lambda: create(data))
