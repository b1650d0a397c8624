"""Forms for answering a questionnaire through a link, entering a paper form, and sending a link.

Every item is optional at form level: a draft may have gaps, and the service decides what a sent
questionnaire must answer, so its "Please choose an answer." lands beside the right question.
"""

from dataclasses import dataclass
from typing import Any

from django import forms

from carecommons.lib.dates import HAPPENED, BoundedDateField
from carecommons.lib.once import SubmissionKeyField
from carecommons.measures.engine.schema import Instrument, Item
from carecommons.measures.engine.scoring import Answer
from carecommons.measures.engine.texts import InstrumentText


def field_name(item: Item) -> str:
    return f"item_{item.id}"


def option_label(item: Item, value: int, wording: InstrumentText | None) -> str:
    """The response label exactly as the instrument words it; scales that label only their ends
    (SCS-SF, CEAS) show the number beside the label so the points between make sense."""
    label = wording.label(item.response_set.id, value) if wording else ""
    if len(item.response_set.labelled) == len(item.response_set.values):
        return label or str(value)
    return f"{value} – {label}" if label else str(value)


@dataclass(frozen=True)
class Question:
    item: Item
    field: forms.BoundField

    @property
    def number(self) -> int:
        return self.item.position

    @property
    def optional(self) -> bool:
        return not self.item.required


class ItemsForm(forms.Form):
    """One field per item, named item_<id>; `answers()` gives them back in item order."""

    def __init__(self, instrument: Instrument, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument

    @property
    def questions(self) -> list[Question]:
        return [Question(item, self[field_name(item)]) for item in self.instrument.items]

    def answers(self) -> list[Answer]:
        return [self.cleaned_data.get(field_name(item)) for item in self.instrument.items]

    @staticmethod
    def initial_from(instrument: Instrument, answers: list[Answer]) -> dict[str, int]:
        return {
            field_name(item): answer
            for item, answer in zip(instrument.items, answers, strict=False)
            if answer is not None
        }


class AnswerForm(ItemsForm):
    """The online questionnaire: one radio group per item, with the instrument's own words."""

    def __init__(self, instrument: Instrument, wording: InstrumentText, *args: Any, **kwargs: Any) -> None:
        super().__init__(instrument, *args, **kwargs)
        for item in instrument.items:
            self.fields[field_name(item)] = forms.TypedChoiceField(
                label=wording.items[item.id],
                choices=[(value, option_label(item, value, wording)) for value in item.response_set.values],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Please choose one of the answers shown."},
            )


class PaperForm(ItemsForm):
    """A paper form typed in as it came back: a number per item, blank where it was left blank."""

    answered_on = BoundedDateField(
        bounds=HAPPENED,
        label="Date the form was filled in",
        help_text="As written on the form, or the day you received it.",
        error_messages={
            "required": "Enter the date the form was filled in.",
            "invalid": "Enter a real date.",
        },
    )

    def __init__(
        self, instrument: Instrument, wording: InstrumentText | None, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(instrument, *args, **kwargs)
        for item in instrument.items:
            low, high = item.response_set.min, item.response_set.max
            plain = f"Enter a whole number from {low} to {high}, or leave it blank."
            self.fields[field_name(item)] = forms.IntegerField(
                label=f"Item {item.id}",
                help_text=wording.items[item.id] if wording else "",
                required=False,
                min_value=low,
                max_value=high,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "paper-answer"}),
                error_messages={"invalid": plain, "min_value": plain, "max_value": plain},
            )


class InviteForm(forms.Form):
    """Sent by the buttons on the cohort's questionnaires page; `paper` means "to enter a form"."""

    submission = SubmissionKeyField()
    wave = forms.UUIDField()
    person = forms.UUIDField()
    paper = forms.CharField(required=False, max_length=40)
