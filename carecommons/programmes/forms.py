from datetime import datetime
from typing import Any

from django import forms

from carecommons.lib.dates import PLANNED, BoundedDateField, BoundedDateTimeField
from carecommons.lib.once import SubmissionKeyField
from carecommons.people.models import Organisation, Person
from carecommons.programmes.models import (
    AttendanceStatus,
    Cohort,
    Programme,
    SessionMode,
    SessionTemplate,
    where_to_meet_errors,
)


class ProgrammeForm(forms.ModelForm):
    submission = SubmissionKeyField()
    partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Programme
        fields = ["name", "kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["partners"] = list(self.instance.partners.all())


class SessionTemplateForm(forms.ModelForm):
    submission = SubmissionKeyField()

    class Meta:
        model = SessionTemplate
        fields = ["title", "aims", "practice", "duration_minutes"]
        widgets = {"aims": forms.Textarea(attrs={"rows": 2}), "practice": forms.Textarea(attrs={"rows": 2})}


class CohortForm(forms.ModelForm):
    submission = SubmissionKeyField()
    starts_on = BoundedDateField(bounds=PLANNED)
    ends_on = BoundedDateField(bounds=PLANNED)

    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "capacity", "signup_open", "signup_intro"]
        widgets = {"signup_intro": forms.Textarea(attrs={"rows": 3})}


class FacilitatorForm(forms.Form):
    email = forms.EmailField(label="The facilitator's email", help_text="They must be in the directory.")
    lived_experience_leader = forms.BooleanField(required=False, label="Lived-experience leader")

    def clean_email(self) -> Person:
        person = Person.objects.filter(email=self.cleaned_data["email"].strip().lower()).first()
        if person is None:
            raise forms.ValidationError("Nobody in the directory has this email address.")
        return person


class EnrolForm(forms.Form):
    email = forms.EmailField(
        label="Their email", help_text="Add them to the directory first if they are new."
    )

    def clean_email(self) -> Person:
        person = Person.objects.filter(email=self.cleaned_data["email"].strip().lower()).first()
        if person is None:
            raise forms.ValidationError("Nobody in the directory has this email address.")
        return person


class SessionForm(forms.Form):
    submission = SubmissionKeyField()
    template = forms.ModelChoiceField(
        queryset=SessionTemplate.objects.none(), required=False, label="Curriculum step", empty_label="None"
    )
    title = forms.CharField(max_length=200)
    starts_at = BoundedDateTimeField(bounds=PLANNED, label="Starts")
    ends_at = BoundedDateTimeField(bounds=PLANNED, label="Ends")
    mode = forms.ChoiceField(
        choices=SessionMode.choices, widget=forms.RadioSelect, initial=SessionMode.IN_PERSON
    )
    location = forms.CharField(max_length=300, required=False, help_text="Address or room, for in person.")
    meeting_link = forms.URLField(required=False, help_text="Shown only to the cohort and its facilitators.")
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = cohort.programme.curriculum.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: datetime | None = data.get("starts_at")
        ends: datetime | None = data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The session must end after it starts.")
        place = where_to_meet_errors(
            data.get("mode", ""), data.get("location", ""), data.get("meeting_link", "")
        )
        for field, message in place.items():
            self.add_error(field, message)
        return data


REGISTER_CHOICES = [
    (AttendanceStatus.ATTENDED, "Attended"),
    ("late", "Came late"),
    (AttendanceStatus.APOLOGIES, "Apologies"),
    (AttendanceStatus.ABSENT, "Absent"),
]


class AttendanceForm(forms.Form):
    """One tap on the register: a person and how they took part ("late" means attended, late)."""

    person = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=REGISTER_CHOICES)


class ClosingReportForm(forms.Form):
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="What happened")
    reflections = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    follow_ups = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Follow-ups",
        help_text="Who will do what.",
    )
    complete = forms.BooleanField(required=False, label="The report is complete")


class MaterialForm(forms.Form):
    submission = SubmissionKeyField()
    title = forms.CharField(max_length=200, required=False)
    file = forms.FileField()
