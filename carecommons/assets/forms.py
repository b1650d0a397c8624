from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from carecommons.assets.access import lab_issues, lab_people
from carecommons.assets.models import Asset, AssetCategory, AssetStatus, Moderation
from carecommons.assets.postcodes import PostcodeError, clean_postcode, private_place_problems
from carecommons.lib.once import SubmissionKeyField
from carecommons.listening.models import Issue
from carecommons.people.models import Organisation, Person
from carecommons.programmes.models import Programme

MULTIPLE_HELP = "To choose more than one, hold Ctrl (Cmd on a Mac) while you click."


def coordinate(label: str, limit: int, example: str) -> forms.DecimalField:
    problem = f"The {label.lower()} must be a number from -{limit} to {limit}, like {example}."
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(-limit),
        max_value=Decimal(limit),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": problem, "min_value": problem, "max_value": problem},
    )


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        return obj.display_name


class SuggestionForm(forms.Form):
    """What a lab member may say about an asset they suggest."""

    submission = SubmissionKeyField()
    name = forms.CharField(max_length=200, help_text="What people call it: “Hyde Park Source”.")
    category = forms.ChoiceField(choices=AssetCategory.choices)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="What it offers and to whom."
    )
    postcode = forms.CharField(
        required=False,
        max_length=10,
        help_text="Optional. A full UK postcode, or just its first half (LS6) to say roughly where.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    latitude = coordinate("Latitude", 90, "53.8008")
    longitude = coordinate("Longitude", 180, "-1.5491")
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Organisations linked",
        help_text=MULTIPLE_HELP,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    field_order = ["name", "category", "status", "description", "postcode", "latitude", "longitude"]

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        """organisations: those the user may see and link (assets/access.py organisations_for)."""
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        if organisations.exists():
            field.queryset = organisations
        else:
            del self.fields["organisations"]

    def clean_postcode(self) -> str:
        try:
            return clean_postcode(self.cleaned_data["postcode"])
        except PostcodeError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude is not None and longitude is None and "longitude" not in self.errors:
            self.add_error("longitude", "Give the longitude too, or leave both empty.")
        if longitude is not None and latitude is None and "latitude" not in self.errors:
            self.add_error("latitude", "Give the latitude too, or leave both empty.")
        if data.get("category") == AssetCategory.INDIVIDUAL:
            has_coordinates = latitude is not None or longitude is not None
            for field, problem in private_place_problems(
                data.get("postcode", ""), has_coordinates=has_coordinates
            ).items():
                if field not in self.errors:
                    self.add_error(field, problem)
        return data


class AssetForm(SuggestionForm):
    """What an organiser records: everything a member may suggest, plus status and the people and
    issues linked, limited to this lab's."""

    status = forms.ChoiceField(choices=AssetStatus.choices, initial=AssetStatus.EXISTS)
    people = PersonChoice(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        required=False,
        label="People linked",
        help_text="People in this Care Lab whose gifts or work this is. " + MULTIPLE_HELP,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    issues = forms.ModelMultipleChoiceField(
        queryset=Issue.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Issues it could help with",
        help_text="Issues raised in this Care Lab's conversations. " + MULTIPLE_HELP,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, lab: Programme, asset: Asset | None = None, **kwargs: Any) -> None:
        if asset is not None:
            kwargs["initial"] = {
                **{name: getattr(asset, name) for name in [*SuggestionForm.field_order, "status"]},
                "people": list(asset.people.all()),
                "organisations": list(asset.organisations.all()),
                "issues": list(asset.issues.all()),
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        people_field = self.fields["people"]
        issues_field = self.fields["issues"]
        assert isinstance(people_field, forms.ModelMultipleChoiceField)
        assert isinstance(issues_field, forms.ModelMultipleChoiceField)
        people = lab_people(lab)
        if asset is not None:  # someone linked before may have left the lab since
            people = Person.objects.filter(
                Q(id__in=people.values("id")) | Q(id__in=asset.people.values("id"))
            )
        people_field.queryset = people.order_by("sort_key", "id")
        issues_field.queryset = lab_issues(lab)


class FilterForm(forms.Form):
    """The assets page's filters; a value that is not valid is shown as an error and ignored."""

    q = forms.CharField(required=False, max_length=100, label="Name starts with")
    category = forms.ChoiceField(required=False, choices=[("", "Any category"), *AssetCategory.choices])
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *AssetStatus.choices])
    moderation = forms.ChoiceField(
        required=False,
        label="Decision",
        choices=[("", "Accepted"), (Moderation.PENDING, "Waiting"), (Moderation.REJECTED, "Not accepted")],
    )

    def chosen(self) -> dict[str, str]:
        """The valid filters, each "" when not given or not valid."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: str(cleaned.get(name) or "").strip() for name in self.fields}


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("reject", "Do not accept")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose to accept it or not."},
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        label="Note for the other organisers",
        help_text="Optional. Why, in a sentence. The person who suggested it does not see this.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
