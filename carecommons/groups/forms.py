"""Input for the group pages. Choices are narrowed by the view to what the member may pick."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from carecommons.groups.access import MONEY_POWERS, person_with_email
from carecommons.groups.models import ROLE_POWERS, CommunityGroup, Joining, Power
from carecommons.lib.dates import PLANNED, BoundedDateField
from carecommons.lib.once import SubmissionKeyField
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort, Programme, Session


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}, {obj.cohort.name} ({obj.starts_at:%d %B %Y})"


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.programme.name}: {obj.name}"


class StartGroupForm(forms.Form):
    submission = SubmissionKeyField()
    name = forms.CharField(max_length=200, help_text="A name the members will recognise.")
    purpose = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the group is for, in its own words. Every member sees it, and so does anyone "
        "you send the link to join.",
    )
    joining = forms.ChoiceField(
        choices=Joining.choices,
        initial=Joining.INVITATION,
        widget=forms.RadioSelect,
        label="How people join",
        help_text="With asking to join, members can share a link where people ask; a member who may "
        "invite people answers.",
    )
    formed_at = SessionChoiceField(
        queryset=Session.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Formed at a gathering",
        empty_label="Not formed at a gathering",
        help_text="A session in the last 90 days that you took part in or ran.",
    )
    lab = forms.ModelChoiceField(
        queryset=Programme.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Belongs to a Care Lab",
        empty_label="No Care Lab",
    )
    cohort = CohortChoiceField(
        queryset=Cohort.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Belongs to a cohort",
        empty_label="No cohort",
    )
    parent = forms.ModelChoiceField(
        queryset=CommunityGroup.objects.none(),
        to_field_name="uuid",
        required=False,
        label="A working group of",
        empty_label="Not a working group of another group",
        help_text="One of your groups, such as a mutual aid group, that this group works for.",
    )

    def __init__(
        self,
        *args: Any,
        labs: QuerySet[Programme],
        cohorts: QuerySet[Cohort],
        gatherings: QuerySet[Session],
        parents: QuerySet[CommunityGroup],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["formed_at"].queryset = gatherings  # type: ignore[attr-defined]
        self.fields["lab"].queryset = labs  # type: ignore[attr-defined]
        self.fields["cohort"].queryset = cohorts  # type: ignore[attr-defined]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.may_belong = labs.exists() or cohorts.exists()
        if not self.may_belong:
            del self.fields["lab"], self.fields["cohort"]
        if not parents.exists():
            del self.fields["parent"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [name for name in ("lab", "cohort", "parent") if data.get(name) is not None]
        if len(chosen) > 1:
            self.add_error(
                chosen[-1], "A group belongs to one Care Lab, one cohort or one other group, not several."
            )
        return data


class InviteForm(forms.Form):
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Someone the group knows",
        empty_label="Choose someone",
    )
    email = forms.EmailField(
        required=False,
        label="Or their email address",
        help_text="The address they use here. Only someone who already has a record can be invited.",
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["person"].help_text = (
            "Members of the Care Lab, cohort or group this one belongs to who are not in it yet."
            if people.exists()
            else "Nobody to choose from: the group belongs to nothing to invite from, or all are in."
        )
        self.fields["person"].error_messages["invalid_choice"] = (
            "They can no longer be chosen: they may have been invited or joined meanwhile."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, email = data.get("person"), data.get("email")
        if person is not None and email:
            self.add_error("email", "Choose someone or give an email address, not both.")
        elif person is None and email:
            found = person_with_email(email)
            if not found:
                self.add_error(
                    "email", "Nobody here has that email address. Check it, or ask them to sign up."
                )
            elif len(found) > 1:
                self.add_error(
                    "email", "More than one record has that address; ask a convenor to merge them."
                )
            else:
                data["person"] = found[0]
        elif person is None and "email" not in self.errors:
            self.add_error("person", "Choose someone, or give their email address.")
        return data


class RoleForm(forms.Form):
    submission = SubmissionKeyField()
    name = forms.CharField(max_length=100, help_text="Such as facilitator, note-taker or treasurer.")
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="What the role does."
    )
    term_months = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=60,
        label="Term length in months",
        help_text="How long one term lasts; empty for no limit.",
    )
    max_consecutive_terms = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=20,
        label="Terms in a row",
        help_text="How many terms in a row one person may serve; after that they sit out a whole term. "
        "Empty for no limit.",
    )
    seats = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=50,
        help_text="How many people hold it at once; empty for no limit.",
    )
    powers = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="What its holders may do. Every member proposes, votes and sees the group anyway.",
        error_messages={"invalid_choice": "Only a member who may give money roles can give money powers."},
    )

    def __init__(self, *args: Any, money: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ROLE_POWERS if money else ROLE_POWERS - MONEY_POWERS
        self.fields["powers"].choices = [(p.value, p.label) for p in Power if p in allowed]  # type: ignore[attr-defined]


class TermForm(forms.Form):
    person = PersonChoiceField(
        queryset=Person.objects.none(), to_field_name="uuid", label="Who", empty_label="Choose a member"
    )
    starts_on = BoundedDateField(
        initial=timezone.localdate,
        bounds=PLANNED,
        label="From",
        help_text="Today, or a day ahead to plan the rotation.",
    )
    ends_on = BoundedDateField(
        bounds=PLANNED,
        required=False,
        label="Until (the first day they no longer hold it)",
        help_text="Empty for a full term, or no end for a role without a term length.",
    )

    def __init__(self, *args: Any, members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members  # type: ignore[attr-defined]
