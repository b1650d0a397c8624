from typing import Any

from django import forms
from django.utils.html import escape

from carecommons.accounts.models import Role
from carecommons.lib.dates import HAPPENED, BoundedDateField, BoundedDateTimeField
from carecommons.lib.once import SubmissionKeyField
from carecommons.people.models import (
    ConsentMethod,
    ConsentPurpose,
    ConsentWording,
    Organisation,
    Person,
    RelationshipKind,
)
from carecommons.people.services import AFFILIATION_DATES, ORGANISATION_FIELDS, PERSON_FIELDS


class TagsField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Separate tags with commas.")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return sorted({part.strip() for part in text.split(",") if part.strip()})

    def prepare_value(self, value: Any) -> str:
        return ", ".join(value) if isinstance(value, (list, tuple)) else (value or "")


class SearchForm(forms.Form):
    q = forms.CharField(label="Search by name, email or organisation", required=False, max_length=100)


class PersonForm(forms.ModelForm):
    tags = TagsField()
    submission = SubmissionKeyField()

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = sorted(t.name for t in self.instance.tags.all())
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class OrganisationForm(forms.ModelForm):
    tags = TagsField()
    submission = SubmissionKeyField()

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = sorted(t.name for t in self.instance.tags.all())


class AffiliationForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), to_field_name="uuid")
    role = forms.CharField(max_length=100, required=False, help_text="For example: representative.")
    started_on = BoundedDateField(bounds=AFFILIATION_DATES, required=False)
    ended_on = BoundedDateField(bounds=AFFILIATION_DATES, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", "The end date must be on or after the start date.")
        return data


class RelationshipForm(forms.Form):
    to_person_email = forms.EmailField(
        label="The other person's email", help_text="They must already be in the directory."
    )
    kind = forms.ChoiceField(choices=RelationshipKind.choices, label="Relationship")
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_to_person_email(self) -> Person:
        email = self.cleaned_data["to_person_email"].strip().lower()
        match = Person.objects.filter(email=email).exclude(pk=self.person.pk).first()
        if match is None:
            raise forms.ValidationError("Nobody else in the directory has this email address.")
        return match


class ConsentForm(forms.Form):
    submission = SubmissionKeyField()
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    partner = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        to_field_name="uuid",
        required=False,
        help_text="Only for sharing with a named partner.",
    )
    decision = forms.ChoiceField(
        choices=[("given", "Gave consent"), ("withdrawn", "Withdrew consent")],
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(choices=ConsentMethod.choices, label="How they told us")
    decided_at = BoundedDateTimeField(
        bounds=HAPPENED, label="When", required=False, help_text="Leave empty for now."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == ConsentPurpose.SHARING and not data.get("partner"):
            self.add_error("partner", "Choose the partner organisation this consent is about.")
        if data.get("purpose") != ConsentPurpose.SHARING and data.get("partner"):
            self.add_error("partner", "A partner is only needed for sharing consent.")
        return data


class MergeForm(forms.Form):
    other_email = forms.EmailField(
        label="Email of the duplicate record",
        required=False,
        help_text="Or choose from the possible duplicates listed.",
    )
    other = forms.UUIDField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, label="I have checked these are the same person")


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Everyone except participants must set up two-factor sign-in.",
    )


def answer_for(given: bool | None) -> str | None:
    return None if given is None else ("yes" if given else "no")


DIGEST_CHOICES = [("daily", "Once a day, on days with news"), ("none", "No digest")]


class OwnConsentForm(forms.Form):
    """A person's own choices, one yes/no per purpose, with the exact wording beside each."""

    CHOICES = [("yes", "Yes"), ("no", "No")]

    def __init__(
        self,
        *args: Any,
        wordings: list[ConsentWording],
        current: dict[str, bool],
        digest_daily: bool = True,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        for wording in wordings:
            self.fields[wording.purpose] = forms.ChoiceField(
                label=wording.get_purpose_display(),
                help_text=escape(wording.text),  # shown as HTML by Django's field template
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=answer_for(current.get(wording.purpose)),
            )
        self.fields["digest"] = forms.ChoiceField(
            label="Daily digest",
            help_text=(
                "One email a day at most, only on days when a decision in one of your groups opens, "
                "is about to close or has an outcome. Sent only if you said yes to being contacted."
            ),
            choices=DIGEST_CHOICES,
            widget=forms.RadioSelect,
            required=False,
            initial="daily" if digest_daily else "none",
        )
