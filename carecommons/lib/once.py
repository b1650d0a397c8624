"""Creating something once per form, however often the form is sent (see home.models.Submission)."""

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.http import Http404

from carecommons.accounts.models import User

M = TypeVar("M", bound=models.Model)


class SubmissionKeyField(forms.UUIDField):
    """A hidden key made when the form is shown; sent back with it. A client that sends none (a
    script, an old page) simply gets no double-submit protection."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(widget=forms.HiddenInput, initial=uuid.uuid4, required=False, **kwargs)  # type: ignore[arg-type]


@transaction.atomic
def create_once(*, key: uuid.UUID | None, user: User, model: type[M], create: Callable[[], M]) -> M:
    """Run `create` for the first submission with this key; later ones get what it made."""
    from carecommons.home.models import Submission

    if key is None:
        return create()
    try:
        with transaction.atomic():
            submission = Submission.objects.create(key=key, user=user)
    except IntegrityError:
        earlier = Submission.objects.filter(key=key, user=user, target_type=model._meta.label_lower).first()
        if earlier is None:
            raise Http404 from None
        return model._default_manager.get(pk=earlier.target_id)
    made = create()
    Submission.objects.filter(pk=submission.pk).update(
        target_type=model._meta.label_lower, target_id=str(made.pk)
    )
    return made


def create_from_form(
    form: forms.BaseForm, user: User, model: type[M], create: Callable[[dict[str, Any]], M]
) -> M:
    """`create_once` for a form whose other cleaned fields are the service's keyword arguments."""
    data = dict(form.cleaned_data)
    key = data.pop("submission", None)
    return create_once(key=key, user=user, model=model, create=lambda: create(data))
