"""Forms for rounds, ripples and evidence. Ripples are chosen by their uuid from lists the view
builds from the map it already read (a parent, a ripple to merge), so a form never reads the map
again; people, organisations, initiatives and assets come from access.link_choices."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import escape

from carecommons.lib.dates import HAPPENED, PLANNED, BoundedDateField
from carecommons.lib.once import SubmissionKeyField
from carecommons.people.models import Person
from carecommons.ripples.access import LinkChoices
from carecommons.ripples.capitals import CAPITALS
from carecommons.ripples.models import INTENTS, QUOTE_MAX, TEXT_MAX, VALENCES, EvidenceShare, InviteeKind
from carecommons.ripples.services import Linked, RippleWords

CAPITAL_CHOICES = [(capital.id, f"{capital.name}: {capital.description}") for capital in CAPITALS]


class ByDisplayName:
    """People listed by the name they go by."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class PersonChoiceField(ByDisplayName, forms.ModelChoiceField):  # type: ignore[type-arg]
    pass


class PeopleField(ByDisplayName, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    pass


class RoundForm(forms.Form):
    submission = SubmissionKeyField()
    title = forms.CharField(max_length=200, help_text="For example: “Spring map” or “One year on”.")
    held_on = BoundedDateField(bounds=PLANNED, label="Held on")


class FromSessionForm(forms.Form):
    submission = SubmissionKeyField()
    title = forms.CharField(max_length=200)


class QuickRippleForm(forms.Form):
    """The one short form of the live page: what happened, whether it was good, and where it
    spread from."""

    submission = SubmissionKeyField()
    text = forms.CharField(
        max_length=TEXT_MAX,
        label="What happened?",
        help_text="In the words of whoever named it.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    valence = forms.ChoiceField(
        choices=VALENCES, widget=forms.RadioSelect, initial=VALENCES[0][0], label="It was"
    )
    parent = forms.ChoiceField(required=False, label="Spread from")

    def __init__(self, *args: Any, parents: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = parents  # type: ignore[attr-defined]

    def words(self) -> RippleWords:
        data = self.cleaned_data
        return RippleWords(
            text=data["text"],
            happened_on=data.get("happened_on"),
            valence=data["valence"],
            intent=data.get("intent") or INTENTS[-1][0],
        )


def affected(
    queryset: QuerySet[Any],
    label: str,
    field: type[forms.ModelMultipleChoiceField] = forms.ModelMultipleChoiceField,  # type: ignore[type-arg]
    widget: type[forms.Widget] = forms.CheckboxSelectMultiple,
    help_text: str = "",
) -> forms.ModelMultipleChoiceField:  # type: ignore[type-arg]
    """A choice of what a ripple affected, by uuid, none required."""
    return field(
        queryset=queryset,
        to_field_name="uuid",
        required=False,
        widget=widget,
        label=label,
        help_text=help_text,
    )


class LinksMixin(forms.Form):
    """Who or what a ripple affected, as checkboxes (a select for organisations, which can be many);
    a kind with nothing to choose from is left off."""

    def add_link_fields(self, choices: LinkChoices) -> None:
        fields = {
            "people": affected(choices.people, "People it affected", PeopleField),
            "organisations": affected(
                choices.organisations,
                "Organisations it affected",
                widget=forms.SelectMultiple,
                help_text="The programme's partners first. Choose more than one with Ctrl or ⌘.",
            ),
            "initiatives": affected(choices.initiatives, "Initiatives it affected"),
            "assets": affected(choices.assets, "Community assets it affected"),
        }
        for name, field in fields.items():
            if field.queryset.exists():  # type: ignore[union-attr]
                self.fields[name] = field

    def links(self) -> list[Linked]:
        data = self.cleaned_data
        return [
            *data.get("people", ()),
            *data.get("organisations", ()),
            *data.get("initiatives", ()),
            *data.get("assets", ()),
        ]


class CapitalsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Community capitals")
        kwargs.setdefault("help_text", "Every capital the effect touched; none if you are not sure yet.")
        super().__init__(
            choices=CAPITAL_CHOICES, widget=forms.CheckboxSelectMultiple, required=False, **kwargs
        )


class RippleForm(QuickRippleForm, LinksMixin):
    """Every detail of a ripple: the short form's fields and when, whether intended, the capitals,
    who named it and who or what it affected."""

    happened_on = BoundedDateField(
        bounds=HAPPENED, required=False, label="When it happened", help_text="Leave empty if nobody knows."
    )
    intent = forms.ChoiceField(
        choices=INTENTS,
        widget=forms.RadioSelect,
        initial=INTENTS[-1][0],
        label="Did anyone mean it to happen?",
    )
    capitals = CapitalsField()
    named_by = PersonChoiceField(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Who named it",
        help_text="Leave empty if it was you.",
    )

    field_order = ["submission", "text", "valence", "parent", "happened_on", "intent", "capitals", "named_by"]

    def __init__(self, *args: Any, links: LinkChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_by"].queryset = links.people  # type: ignore[attr-defined]
        self.add_link_fields(links)


class RippleEditForm(LinksMixin):
    text = forms.CharField(
        max_length=TEXT_MAX, label="What happened?", widget=forms.Textarea(attrs={"rows": 3})
    )
    happened_on = BoundedDateField(bounds=HAPPENED, required=False, label="When it happened")
    valence = forms.ChoiceField(choices=VALENCES, widget=forms.RadioSelect, label="It was")
    intent = forms.ChoiceField(
        choices=INTENTS, widget=forms.RadioSelect, label="Did anyone mean it to happen?"
    )

    def __init__(self, *args: Any, links: LinkChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_link_fields(links)

    def words(self) -> RippleWords:
        data = self.cleaned_data
        return RippleWords(data["text"], data.get("happened_on"), data["valence"], data["intent"])


class CapitalsForm(forms.Form):
    capitals = CapitalsField()


class InviteForm(forms.Form):
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Someone from the programme's cohorts",
    )
    email = forms.EmailField(
        required=False,
        max_length=254,
        label="Or the email address of someone in the people directory",
        help_text="A guest, a partner, anyone with a record here.",
    )
    kind = forms.ChoiceField(
        choices=InviteeKind.choices, widget=forms.RadioSelect, initial=InviteeKind.PARTICIPANT, label="As a"
    )

    def __init__(self, *args: Any, people: QuerySet[Person], by_email: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        if not by_email:
            del self.fields["email"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.has_error("person") and not self.has_error("email"):
            if not data.get("person") and not data.get("email"):
                field = "person" if "email" not in self.fields else "email"
                self.add_error(field, "Choose someone to invite.")
            elif data.get("person") and data.get("email"):
                self.add_error("email", "Choose someone or give an address, not both.")
        return data


class ParentForm(forms.Form):
    parent = forms.ChoiceField(required=False, label="Hang it from")

    def __init__(self, *args: Any, parents: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = parents  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    drop = forms.ChoiceField(
        label="The ripple to merge into this one",
        help_text="The same effect named twice. Its words go; what spread from it, what it affected, "
        "its evidence and its capitals come here.",
    )

    def __init__(self, *args: Any, others: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drop"].choices = [("", "Choose a ripple"), *others]  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    submission = SubmissionKeyField()
    quote = forms.CharField(
        required=False,
        max_length=QUOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Quote",
        help_text="Their words, as they said them.",
    )
    file = forms.FileField(
        required=False, label="Or a file", help_text="A photo, a PDF, a document: up to 10 MB."
    )
    given_by = PersonChoiceField(
        queryset=Person.objects.none(), to_field_name="uuid", label="Whose words or file"
    )
    shared = forms.ChoiceField(
        choices=EvidenceShare.choices,
        widget=forms.RadioSelect,
        initial=EvidenceShare.ROUND,
        label="Who may see it",
    )
    consented = forms.BooleanField(
        label="They agreed to it being kept and seen this way",
        help_text="Ask them first. They can withdraw it at any time.",
        error_messages={"required": "Evidence is kept only with the consent of the person it comes from."},
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_by"].queryset = people  # type: ignore[attr-defined]

    def show_kept(self, name: str) -> None:
        """Say beside the file input that a file chosen on an earlier try is kept."""
        # Django's field template shows help text as markup, so the typed name is escaped here; the
        # bound field copied the help text when the form was cleaned, so both change.
        text = f"“{escape(name)}” is kept from your last try: choose another file only to replace it."
        self.fields["file"].help_text = self["file"].help_text = text
