"""Input for initiatives. Choices are limited to the group's current members and its Care Lab's
themes, issues and accepted assets; the services check the same again."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from carecommons.assets.models import Asset
from carecommons.finances.forms import AmountField
from carecommons.finances.models import Budget
from carecommons.finances.models import Group as Books
from carecommons.groups.models import CommunityGroup, GroupMembership, Standing
from carecommons.initiatives.models import TEXT_MAX, InitiativeStatus, NeedKind
from carecommons.lib.action_states import FOLLOWED_UP, ActionStatus
from carecommons.lib.dates import PLANNED, BoundedDateField
from carecommons.lib.money import format_pence
from carecommons.lib.once import SubmissionKeyField
from carecommons.listening.models import Issue, Theme
from carecommons.people.models import Person

STARTING = [(s, s.label) for s in (InitiativeStatus.IDEA, InitiativeStatus.ACTIVE)]


def current_members(group: CommunityGroup, today: date) -> QuerySet[Person]:
    ids = (
        GroupMembership.objects.current(today)
        .filter(group=group, standing=Standing.MEMBER)
        .values("person_id")
    )
    return Person.objects.filter(pk__in=ids).order_by("sort_key", "id")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class InitiativeForm(forms.Form):
    submission = SubmissionKeyField()
    title = forms.CharField(max_length=200, help_text="A short name the group will recognise.")
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="What it is for.")
    status = forms.ChoiceField(choices=STARTING, initial=InitiativeStatus.IDEA, widget=forms.RadioSelect)
    members = PeopleChoiceField(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Other members of the group taking part. You are one of its members.",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    issues = forms.ModelMultipleChoiceField(
        queryset=Issue.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Issues from the Care Lab's listening that it answers.",
    )
    assets = forms.ModelMultipleChoiceField(
        queryset=Asset.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Community assets it uses.",
    )

    def __init__(
        self, *args: Any, group: CommunityGroup, today: date, starter: Person, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = current_members(group, today).exclude(pk=starter.pk)  # type: ignore[attr-defined]
        if group.lab_id is None:
            for name in ("themes", "issues", "assets"):
                del self.fields[name]
            return
        self.fields["themes"].queryset = Theme.objects.filter(lab_id=group.lab_id)  # type: ignore[attr-defined]
        self.fields["issues"].queryset = Issue.objects.filter(conversation__lab_id=group.lab_id).order_by(  # type: ignore[attr-defined]
            "title", "id"
        )
        self.fields["assets"].queryset = Asset.objects.accepted().filter(lab_id=group.lab_id)  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=InitiativeStatus.choices, widget=forms.RadioSelect)


class ActionForm(forms.Form):
    submission = SubmissionKeyField()
    text = forms.CharField(max_length=TEXT_MAX, label="What", help_text="What is to be done.")
    owner = PersonChoiceField(
        queryset=Person.objects.none(), to_field_name="uuid", label="Who", help_text="A member of the group."
    )
    due_on = BoundedDateField(bounds=PLANNED, label="By when")

    def __init__(self, *args: Any, group: CommunityGroup, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = current_members(group, today)  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s, ActionStatus(s).label) for s in FOLLOWED_UP],
        widget=forms.RadioSelect,
        label="How did it go?",
    )
    note = forms.CharField(
        max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Optional."
    )


class UpdateForm(forms.Form):
    submission = SubmissionKeyField()
    text = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Update",
        help_text="What has happened.",
    )


class BudgetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.category.name}, {obj.starts_on:%-d %b %Y} to {obj.ends_on:%-d %b %Y}: "
            f"{format_pence(obj.amount_pence)} planned"
        )


class NeedForm(forms.Form):
    """A need; for money, a budget line of the group's own books when it keeps them (`books`),
    and no budget field at all when it does not."""

    submission = SubmissionKeyField()
    kind = forms.ChoiceField(choices=NeedKind.choices, widget=forms.RadioSelect, label="What is needed")
    text = forms.CharField(
        max_length=TEXT_MAX, label="What for", help_text="What the money is for, or what help is asked."
    )
    amount_pence = AmountField(required=False, label="How much money")
    people_wanted = forms.IntegerField(
        required=False, min_value=1, max_value=500, label="How many people", help_text="For a call for help."
    )
    budget = BudgetChoiceField(
        queryset=Budget.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Budget line",
        empty_label="None",
        help_text="For money: the line of the group's budget it would be spent from.",
    )

    def __init__(self, *args: Any, books: Books | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if books is None:
            del self.fields["budget"]
            return
        self.fields["budget"].queryset = (  # type: ignore[attr-defined]
            Budget.objects.filter(group=books)
            .select_related("category")
            .order_by("-starts_on", "category__name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == NeedKind.MONEY and not data.get("amount_pence"):
            self.add_error("amount_pence", "Say how much money is needed.")
        if data.get("kind") == NeedKind.PEOPLE and not data.get("people_wanted"):
            self.add_error("people_wanted", "Say how many people are needed.")
        if data.get("kind") == NeedKind.PEOPLE and data.get("budget"):
            self.add_error("budget", "Only a money need goes on a budget line.")
        return data
