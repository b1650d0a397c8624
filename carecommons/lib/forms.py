"""Putting a service's ValidationError beside the right field of a form."""

from django.core.exceptions import ValidationError
from django.forms import BaseForm


def apply_form_errors(form: BaseForm, error: ValidationError, field: str | None = None) -> None:
    """Errors naming a field go beside it; others beside `field` if given, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field if field in form.fields else None, error)
