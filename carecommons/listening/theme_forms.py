"""Forms for issues and themes. Themes are chosen by UUID among the Care Lab's own themes only."""

from typing import Any

from django import forms

from carecommons.lib.once import SubmissionKeyField
from carecommons.listening.models import Theme
from carecommons.programmes.models import Programme


def themes_field(lab: Programme, label: str = "Themes") -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Theme.objects.filter(lab=lab).order_by("name", "id"),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
    )


class IssueForm(forms.Form):
    submission = SubmissionKeyField()
    title = forms.CharField(
        max_length=120,
        label="Title",
        help_text="A few words, with no names: “Unpaid travel time between visits”.",
    )
    words = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="In their words",
        help_text="What they said about it, as close to their words as you can. Kept encrypted.",
    )

    def __init__(self, *args: Any, lab: Programme, words_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not words_allowed:
            del self.fields["words"]
        field = themes_field(lab, "Themes it belongs to")
        field.help_text = "Tick any that fit, or leave it: the issue's page suggests themes."
        self.has_themes = field.queryset.exists()  # type: ignore[union-attr]
        if self.has_themes:
            self.fields["themes"] = field


class ThemeForm(forms.Form):
    submission = SubmissionKeyField()
    name = forms.CharField(max_length=100, label="Name", help_text="Short and plain: “Working conditions”.")
    description = forms.CharField(
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What it covers",
        help_text="A sentence in everyday words. Suggestions use it, so name the things it is about.",
    )


class IssueThemesForm(forms.Form):
    def __init__(self, *args: Any, lab: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"] = themes_field(lab, "Themes for this issue")


class DecisionForm(forms.Form):
    """An answer to one suggested theme: accept it or say "not this one"."""

    theme = forms.UUIDField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Not this one")])
    issue = forms.UUIDField(required=False, widget=forms.HiddenInput)
