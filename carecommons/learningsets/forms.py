import uuid
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.dateformat import format as format_date
from django.utils.timezone import localtime

from carecommons.learningsets.models import MAX_MEMBERS, MIN_MEMBERS, ActionCommitment
from carecommons.learningsets.services import (
    ACTION_MAX_LENGTH,
    NOBODY_PRESENTED,
    ActionReview,
    PresentationInput,
)
from carecommons.lib.action_states import ActionStatus
from carecommons.lib.dates import HAPPENED, BoundedDateTimeField
from carecommons.lib.once import SubmissionKeyField
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort, EnrolmentStatus

NO_LONGER_AVAILABLE = (
    "Someone you chose is no longer available: they may have joined another set or left the cohort."
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def people_without_a_set(cohort: Cohort) -> QuerySet[Person]:
    return Person.objects.filter(
        enrolments__cohort=cohort, enrolments__status=EnrolmentStatus.ACCEPTED
    ).exclude(learning_set_memberships__cohort=cohort)


class LearningSetForm(forms.Form):
    submission = SubmissionKeyField()
    name = forms.CharField(
        max_length=120, help_text="A name the members will recognise, such as “Tuesday set”."
    )
    facilitator = PersonChoiceField(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label="No facilitator yet",
        help_text="One of the cohort's facilitators.",
    )
    members = PeopleChoiceField(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            f"Choose {MIN_MEMBERS} to {MAX_MEMBERS} people. Only accepted members of the cohort "
            "who are not yet in a set are listed."
        ),
        error_messages={
            "required": f"Choose {MIN_MEMBERS} to {MAX_MEMBERS} people for the set.",
            "invalid_choice": NO_LONGER_AVAILABLE,
        },
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = Person.objects.filter(facilitator_links__cohort=cohort)  # type: ignore[attr-defined]
        self.fields["members"].queryset = people_without_a_set(cohort)  # type: ignore[attr-defined]


class AddMemberForm(forms.Form):
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        label="Add a member",
        empty_label="Choose someone",
        help_text="Accepted members of the cohort who are not yet in a set.",
        error_messages={"invalid_choice": NO_LONGER_AVAILABLE},
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_without_a_set(cohort)  # type: ignore[attr-defined]


class RemoveMemberForm(forms.Form):
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "This person is no longer in the set."},
    )

    def __init__(self, *args: Any, members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    held_at = BoundedDateTimeField(bounds=HAPPENED, label="When the set met")
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything the set agreed to keep a note of. Not a record of what people shared.",
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def clean_submission_key(self) -> uuid.UUID:
        # A missing or mangled key only loses double-click protection; it never blocks saving.
        try:
            return uuid.UUID(self.cleaned_data["submission_key"])
        except ValueError:
            return uuid.uuid4()


class PresentationForm(forms.Form):
    presenter = PersonChoiceField(
        queryset=Person.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Who presented",
        empty_label="Nobody (leave this row empty)",
    )
    question = forms.CharField(
        required=False, label="The question they brought", widget=forms.Textarea(attrs={"rows": 2})
    )
    actions = forms.CharField(
        required=False,
        label="Actions they committed to",
        help_text="One action per line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = members  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        presenter, question = data.get("presenter"), data.get("question", "").strip()
        lines = [line.strip() for line in data.get("actions", "").splitlines() if line.strip()]
        if presenter is None and (question or lines):
            self.add_error("presenter", "Choose who presented, or clear this row.")
        elif presenter is not None and not question:
            self.add_error("question", "Write the question they brought.")
        if any(len(line) > ACTION_MAX_LENGTH for line in lines):
            self.add_error("actions", f"Keep each action under {ACTION_MAX_LENGTH} characters.")
        data["action_lines"] = tuple(lines)
        return data


class BasePresentationFormSet(forms.BaseFormSet):
    def initial_form_count(self) -> int:
        # Rows carried over by "add another presenter" are pre-filled, but still optional.
        return super().initial_form_count() if self.is_bound else 0

    def clean(self) -> None:
        if any(form.errors for form in self.forms):
            return
        seen: set[int] = set()
        for form in self.forms:
            presenter = form.cleaned_data.get("presenter")
            if presenter is None:
                continue
            if presenter.pk in seen:
                form.add_error("presenter", f"{presenter.display_name} is already listed above.")
            seen.add(presenter.pk)
        if not seen:
            raise forms.ValidationError(NOBODY_PRESENTED)


REVIEW_CHOICES = [
    (ActionStatus.OPEN, "Not followed up yet: keep it open"),
    (ActionStatus.DONE, "Done"),
    (ActionStatus.PARTLY, "Partly done"),
    (ActionStatus.NOT_DONE, "Not done"),
]


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        choices=REVIEW_CHOICES, widget=forms.RadioSelect, required=False, label="What happened"
    )
    note = forms.CharField(required=False, max_length=ACTION_MAX_LENGTH, label="How it went (optional)")

    def __init__(self, *args: Any, action: ActionCommitment, **kwargs: Any) -> None:
        typed = {key: value for key, value in (kwargs.get("initial") or {}).items() if value}
        kwargs["initial"] = {"status": ActionStatus.OPEN, **typed}
        kwargs["prefix"] = f"action-{action.pk}"
        super().__init__(*args, **kwargs)
        self.action = action
        meeting, presenter = action.presentation.meeting, action.presentation.presenter
        when = format_date(localtime(meeting.held_at), "j F")
        self.heading = f"{presenter.display_name} ({when}): {action.text}"

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or ActionStatus.OPEN


PRESENTER_ROWS = 3


def presentation_formset(
    data: Any = None, *, members: QuerySet[Person], rows: int = PRESENTER_ROWS, initial: Any = None
) -> BasePresentationFormSet:
    formset_class = forms.formset_factory(
        PresentationForm,
        formset=BasePresentationFormSet,
        extra=rows,
        max_num=MAX_MEMBERS,
        absolute_max=MAX_MEMBERS,
    )
    formset = formset_class(data, initial=initial, prefix="presenters", form_kwargs={"members": members})
    return cast(BasePresentationFormSet, formset)


def typed_values(form: forms.Form) -> dict[str, Any]:
    return {name: form[name].data for name in form.fields}


@dataclass
class MeetingForms:
    """The meeting, one row per presenter, and one follow-up choice per action still open."""

    meeting: MeetingForm
    presentations: BasePresentationFormSet
    reviews: list[ReviewForm]

    @classmethod
    def build(
        cls, data: Any, *, members: QuerySet[Person], open_actions: list[ActionCommitment]
    ) -> "MeetingForms":
        return cls(
            meeting=MeetingForm(data),
            presentations=presentation_formset(data, members=members),
            reviews=[ReviewForm(data, action=action) for action in open_actions],
        )

    @classmethod
    def with_another_row(
        cls, data: Any, *, members: QuerySet[Person], open_actions: list[ActionCommitment]
    ) -> "MeetingForms":
        """What was typed so far, not yet checked, plus one blank presenter row. Works without JavaScript."""
        typed = cls.build(data, members=members, open_actions=open_actions)
        rows = [typed_values(form) for form in typed.presentations.forms]
        return cls(
            meeting=MeetingForm(initial=typed_values(typed.meeting)),
            presentations=presentation_formset(
                members=members, rows=min(len(rows) + 1, MAX_MEMBERS, members.count()), initial=rows
            ),
            reviews=[ReviewForm(action=f.action, initial=typed_values(f)) for f in typed.reviews],
        )

    def is_valid(self) -> bool:
        checks = [self.meeting.is_valid(), self.presentations.is_valid()]
        checks += [form.is_valid() for form in self.reviews]
        return all(checks)

    def presentation_inputs(self) -> list[PresentationInput]:
        rows = [form.cleaned_data for form in self.presentations.forms]
        return [
            PresentationInput(
                presenter=row["presenter"], question=row["question"], actions=row["action_lines"]
            )
            for row in rows
            if row.get("presenter")
        ]

    def action_reviews(self) -> list[ActionReview]:
        return [
            ActionReview(
                action=form.action, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
            for form in self.reviews
        ]
