"""Forms for proposing and voting. Every ballot is plain radio buttons, checkboxes and numbers, so
it works without JavaScript: a ranking is a rank number per option, dots are numbers with a total."""

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from carecommons.decisions.models import DecisionOption, Method, Results
from carecommons.decisions.schema import Kind, carries_steps
from carecommons.decisions.services import OptionInput
from carecommons.groups.models import HandoverStep
from carecommons.lib.dates import PLANNED, BoundedDateField, BoundedDateTimeField, TimeInput
from carecommons.lib.once import SubmissionKeyField
from carecommons.listening.models import Issue, Theme
from carecommons.people.models import Person

# Rows the form shows at first; a link asks for every row the kind allows (most_options), and the
# form posts back to the same address, so the count holds without JavaScript.
LISTED_ROWS = 8
SLOT_ROWS = 6


def rows_for(kind: Kind, asked: str | None) -> int:
    first = SLOT_ROWS if kind.makes_calendar else LISTED_ROWS
    wanted = int(asked) if asked and asked.isdigit() else first
    return max(min(first, kind.most_options or first), min(wanted, kind.most_options or first))


class ProposeForm(forms.Form):
    submission = SubmissionKeyField()
    title = forms.CharField(max_length=200, help_text="The question or proposal, in a line.")
    details = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Background, and what it would mean.",
    )
    closes_at = BoundedDateTimeField(
        bounds=PLANNED, label="Closes at", help_text="Between an hour and 90 days from now."
    )
    results = forms.ChoiceField(
        choices=Results.choices,
        widget=forms.RadioSelect,
        initial=Results.AFTER_VOTE,
        label="Members see results",
    )

    def __init__(
        self,
        *args: Any,
        kind: Kind,
        issues: QuerySet[Issue] | None = None,
        themes: QuerySet[Theme] | None = None,
        steps: QuerySet[HandoverStep] | None = None,
        rows: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.rows = rows or rows_for(kind, None)
        if carries_steps(kind) and steps is not None and steps.exists():
            self.fields["handover_step"] = TitledChoiceField(
                queryset=steps,
                required=False,
                to_field_name="uuid",
                label="Carries a step of the handover",
                help_text="If the group agrees, the step is done the day the decision closes.",
            )
        if kind.anonymous:
            self.fields["anonymous"] = forms.BooleanField(
                required=False,
                label="Anonymous ballots",
                help_text="Nobody, staff included, can see how anyone voted; only that they did.",
            )
        if kind.quorum:
            self.fields["quorum_percent"] = forms.IntegerField(
                required=False, min_value=1, max_value=100, label="Quorum (% of members who must vote)"
            )
        if kind.vote_share:
            self.fields["share_percent"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=100,
                label="Vote share needed to pass (%)",
                help_text="Leave empty for more than half of those who took a side.",
            )
        if kind.shape == "dots":
            self.fields["dots"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=50,
                label="Dots each",
                help_text=f"{kind.dots} if left empty.",
            )
        if kind.options_from == "decision" and not kind.makes_calendar:
            for i in range(1, self.rows + 1):
                self.fields[f"option_{i}"] = forms.CharField(
                    required=False, max_length=200, label=f"Option {i}"
                )
                if issues is not None and issues.exists():
                    self.fields[f"option_{i}_issue"] = TitledChoiceField(
                        queryset=issues,
                        required=False,
                        to_field_name="uuid",
                        label=f"Option {i} answers the issue",
                    )
                if themes is not None and themes.exists():
                    self.fields[f"option_{i}_theme"] = TitledChoiceField(
                        queryset=themes,
                        required=False,
                        to_field_name="uuid",
                        label=f"Option {i} answers the theme",
                    )
        if kind.makes_calendar:
            for i in range(1, self.rows + 1):
                self.fields[f"slot_{i}_day"] = BoundedDateField(
                    bounds=PLANNED, required=False, label=f"Time {i}: day"
                )
                self.fields[f"slot_{i}_from"] = forms.TimeField(
                    required=False,
                    label=f"Time {i}: from",
                    widget=TimeInput,
                )
                self.fields[f"slot_{i}_until"] = forms.TimeField(
                    required=False,
                    label=f"Time {i}: until",
                    widget=TimeInput,
                )

    def options(self) -> list[OptionInput]:
        data = self.cleaned_data
        if self.kind.makes_calendar:
            slots = []
            for i in range(1, self.rows + 1):
                day, start, end = (
                    data.get(f"slot_{i}_day"),
                    data.get(f"slot_{i}_from"),
                    data.get(f"slot_{i}_until"),
                )
                if day and start and end:
                    slots.append(OptionInput(starts_at=at(day, start), ends_at=at(day, end)))
            return slots
        return [
            OptionInput(
                label=data.get(f"option_{i}", ""),
                issue=data.get(f"option_{i}_issue"),
                theme=data.get(f"option_{i}_theme"),
            )
            for i in range(1, self.rows + 1)
        ]

    def settings(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "details": data["details"],
            "closes_at": data["closes_at"],
            "results": data["results"],
            "anonymous": data.get("anonymous", False),
            "quorum_percent": data.get("quorum_percent"),
            "share_percent": data.get("share_percent"),
            "dots": data.get("dots"),
            "options": self.options(),
            "handover_step": data.get("handover_step"),
        }


class TitledChoiceField(forms.ModelChoiceField[Any]):
    """An issue or a theme, shown by its title or name only."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def at(day: Any, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


class BallotForm(forms.Form):
    """The ballot for one decision's kind; `ballot()` gives choices and marks for `cast_vote`."""

    def __init__(
        self,
        *args: Any,
        kind: Kind,
        options: Sequence[DecisionOption],
        dots: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.options = kind, list(options)
        self.dot_budget = dots or kind.dots
        choices = [(o.key, o.label) for o in self.options]
        meanings = {o.key: o.meaning for o in kind.options}
        if kind.shape == "one":
            self.fields["choice"] = forms.ChoiceField(
                choices=[
                    (key, f"{label} — {meanings[key]}" if meanings.get(key) else label)
                    for key, label in choices
                ],
                widget=forms.RadioSelect,
                label=kind.words.prompt,
                error_messages={"required": "Choose one option."},
            )
        elif kind.shape == "some":
            self.fields["choices"] = forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                label=kind.words.prompt,
                error_messages={"required": "Choose at least one option."},
            )
        elif kind.shape == "ranking":
            for o in self.options:
                self.fields[f"rank_{o.key}"] = forms.IntegerField(
                    required=False,
                    min_value=1,
                    max_value=len(self.options),
                    label=f"Rank for “{o.label}”",
                    help_text="1 is your first choice; leave empty to leave it out.",
                )
        elif kind.shape == "dots":
            for o in self.options:
                self.fields[f"dots_{o.key}"] = forms.IntegerField(
                    required=False, min_value=0, max_value=self.dot_budget, label=f"Dots on “{o.label}”"
                )
        elif kind.shape == "marks":
            scale = [(str(p.value), p.label) for p in kind.scale]
            for o in self.options:
                self.fields[f"mark_{o.key}"] = forms.ChoiceField(
                    choices=scale,
                    widget=forms.RadioSelect,
                    label=o.label,
                    error_messages={"required": "Give this option a mark."},
                )
        required = kind.reason == "required"
        self.fields["reason"] = forms.CharField(
            required=required,
            widget=forms.Textarea(attrs={"rows": 3}),
            label=kind.words.prompt if kind.shape == "words" else kind.words.reason_prompt,
            error_messages={"required": "Write your answer."},
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind.shape == "ranking":
            ranks = [data.get(f"rank_{o.key}") for o in self.options if data.get(f"rank_{o.key}")]
            if len(set(ranks)) != len(ranks):
                raise forms.ValidationError("Give each rank once: two options have the same number.")
            if not ranks:
                raise forms.ValidationError("Rank at least one option.")
        if self.kind.shape == "dots":
            placed = sum(data.get(f"dots_{o.key}") or 0 for o in self.options)
            if placed > self.dot_budget:
                raise forms.ValidationError(f"You have {self.dot_budget} dots; you placed {placed}.")
        return data

    def ballot(self) -> dict[str, Any]:
        data, shape = self.cleaned_data, self.kind.shape
        choices: list[str] = []
        marks: dict[str, int] = {}
        if shape == "one":
            choices = [data["choice"]]
        elif shape == "some":
            choices = list(data["choices"])
        elif shape == "ranking":
            ranked = sorted(
                (data[f"rank_{o.key}"], o.position, o.key) for o in self.options if data.get(f"rank_{o.key}")
            )
            choices = [key for _, _, key in ranked]
        elif shape == "dots":
            marks = {o.key: data.get(f"dots_{o.key}") or 0 for o in self.options}
        elif shape == "marks":
            marks = {o.key: int(data[f"mark_{o.key}"]) for o in self.options}
        return {"choices": choices, "marks": marks, "reason": data.get("reason", "")}


def initial_from(kind: Kind, marks: dict[str, int], reason: str) -> dict[str, Any]:
    """A stored ballot's marks as the form's initial values, to change a vote."""
    shape = kind.shape
    initial: dict[str, Any] = {"reason": reason}
    if shape == "one" and marks:
        initial["choice"] = next(iter(marks))
    elif shape == "some":
        initial["choices"] = list(marks)
    else:
        prefix = {"ranking": "rank_", "dots": "dots_", "marks": "mark_"}.get(shape)
        if prefix:
            initial |= {
                f"{prefix}{key}": str(value) if shape == "marks" else value for key, value in marks.items()
            }
    return initial


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return obj.display_name


class RecordForm(forms.Form):
    """Whose vote is recorded, and how it was given; the ballot itself is a `BallotForm` beside it."""

    person = PersonChoiceField(queryset=Person.objects.none(), to_field_name="uuid", label="Whose vote")
    method = forms.ChoiceField(
        choices=[(Method.IN_ROOM, Method.IN_ROOM.label), (Method.PHONE, Method.PHONE.label)],
        widget=forms.RadioSelect,
        initial=Method.IN_ROOM,
        label="How they gave it",
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members  # type: ignore[attr-defined]


class OutsideAdviceForm(forms.Form):
    source = forms.CharField(
        max_length=200, label="Whose advice", help_text="Their name or role, as they agreed."
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Their advice")


class ResolveForm(forms.Form):
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="How it was resolved")


class OutcomeForm(forms.Form):
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="What the group decided")
    review_on = BoundedDateField(
        bounds=PLANNED,
        required=False,
        label="Review on",
        help_text="When to look at this again; it comes back to the home page.",
    )
