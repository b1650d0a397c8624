"""Forms of the handover pages. Every date is bounded (lib/dates.py); an invitation back is
bounded again by lib/windows.py in the service."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from carecommons.groups.models import HandoverArea, StaffScope
from carecommons.lib.dates import PLANNED, BoundedDateField, BoundedDateTimeField
from carecommons.lib.once import SubmissionKeyField
from carecommons.lib.windows import MAX_VALIDITY
from carecommons.people.models import Person


class PlanForm(forms.Form):
    submission = SubmissionKeyField()


class StepForm(forms.Form):
    submission = SubmissionKeyField()
    area = forms.ChoiceField(label="What moves to the members", widget=forms.RadioSelect)
    planned_for = BoundedDateField(bounds=PLANNED, label="Planned for")

    def __init__(self, *args: Any, areas: list[HandoverArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.value, a.label) for a in areas]  # type: ignore[attr-defined]


class MoveStepForm(forms.Form):
    planned_for = BoundedDateField(bounds=PLANNED, label="Planned for")


class StaffChoiceForm(forms.Form):
    """A form choosing one of the convening organisation's staff, from a short list."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Who", empty_label=None)

    def __init__(self, *args: Any, staff: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff  # type: ignore[attr-defined]


class SeatForm(StaffChoiceForm):
    submission = SubmissionKeyField()


class StaffInvitationForm(StaffChoiceForm):
    submission = SubmissionKeyField()
    purpose = forms.CharField(
        label="Why the group is inviting them back",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In plain words. Everyone in the group sees this, and so do they.",
    )
    scope = forms.ChoiceField(
        label="What they may do", choices=StaffScope.choices, initial=StaffScope.SEE, widget=forms.RadioSelect
    )
    valid_from = BoundedDateTimeField(
        bounds=PLANNED, label="From (optional)", required=False, help_text="Leave empty to start now."
    )
    valid_until = BoundedDateTimeField(
        bounds=PLANNED,
        label="Until",
        help_text=f"At most {MAX_VALIDITY.days} days after it starts. The group can withdraw it sooner.",
    )
