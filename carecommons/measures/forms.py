"""Forms for setting up waves, choosing safeguarding leads and logging a safeguarding follow-up."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django import forms
from django.forms import BoundField
from django.utils import timezone
from django.utils.functional import cached_property

from carecommons.lib.dates import HAPPENED, BoundedDateTimeField
from carecommons.lib.once import SubmissionKeyField
from carecommons.measures.engine.definitions import load_instruments
from carecommons.measures.engine.schema import Instrument
from carecommons.measures.models import ContactMethod, Wave, WaveKind
from carecommons.measures.reporting import progress
from carecommons.people.models import Person
from carecommons.programmes.models import Cohort, Programme

LAST_POSITION = 1000


@dataclass(frozen=True)
class InstrumentRow:
    """One questionnaire on the wave form: its tick box and the number saying when it is asked."""

    instrument: Instrument
    ask: BoundField
    position: BoundField
    online: bool


class WaveForm(forms.Form):
    """Which questionnaires a wave asks, in which order, and when. Each questionnaire has a tick box
    and an optional number; ticked ones are asked by number, unnumbered ones after, in list order."""

    submission = SubmissionKeyField()
    # Filled from the tick boxes in clean(); errors about the questionnaires as a group go here.
    instruments = forms.Field(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        choices=WaveKind.choices,
        widget=forms.RadioSelect,
        label="When in the course",
        help_text="Baseline is the cohort's first day, mid-point halfway, end its last day.",
    )
    weeks_after_end = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=260,
        label="Weeks after the cohort ends",
        help_text="Only for a follow-up, for example 12.",
    )
    opens_days_before = forms.IntegerField(
        min_value=0,
        max_value=60,
        initial=7,
        label="Invitations go out this many days before",
    )
    stays_open_days = forms.IntegerField(
        min_value=1,
        max_value=120,
        initial=21,
        label="Links keep working this many days after",
    )

    def __init__(self, *args: Any, online: dict[str, bool], wave: Wave | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = list(load_instruments().values())
        self.online = online
        asked = wave.instruments if wave is not None else []
        if wave is not None:
            self.initial.update(
                kind=wave.kind,
                weeks_after_end=wave.weeks_after_end or None,
                opens_days_before=wave.opens_days_before,
                stays_open_days=wave.stays_open_days,
            )
        for instrument in self.catalogue:
            name = instrument.short_name
            self.fields[f"ask_{instrument.id}"] = forms.BooleanField(
                required=False, label=f"{name}: {instrument.name}", initial=instrument.id in asked
            )
            self.fields[f"position_{instrument.id}"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=99,
                label=f"Order for {name}",
                initial=asked.index(instrument.id) + 1 if instrument.id in asked else None,
                widget=forms.NumberInput(attrs={"class": "position-input"}),
            )

    @property
    def instrument_rows(self) -> list[InstrumentRow]:
        return [
            InstrumentRow(
                instrument=instrument,
                ask=self[f"ask_{instrument.id}"],
                position=self[f"position_{instrument.id}"],
                online=self.online.get(instrument.id, False),
            )
            for instrument in self.catalogue
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: list[tuple[int, int, str]] = []
        for index, instrument in enumerate(self.catalogue):
            position = data.get(f"position_{instrument.id}")
            if data.get(f"ask_{instrument.id}"):
                chosen.append((position or LAST_POSITION, index, instrument.id))
            elif position is not None:
                self.add_error(
                    f"position_{instrument.id}",
                    f"Tick {instrument.short_name} to ask it, or clear its number.",
                )
        if not chosen:
            self.add_error("instruments", "Tick at least one questionnaire.")
        else:
            data["instruments"] = [instrument_id for _, _, instrument_id in sorted(chosen)]
        if data.get("kind") == WaveKind.FOLLOW_UP and not data.get("weeks_after_end"):
            self.add_error("weeks_after_end", "Say how many weeks after the cohort ends the follow-up is.")
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "weeks_after_end": data.get("weeks_after_end") or 0,
            "instruments": data["instruments"],
            "opens_days_before": data["opens_days_before"],
            "stays_open_days": data["stays_open_days"],
        }


class LeadsForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), to_field_name="uuid", required=False, label="Safeguarding leads"
    )

    def __init__(self, *args: Any, eligible: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = eligible  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    submission = SubmissionKeyField()
    contacted_at = BoundedDateTimeField(
        bounds=HAPPENED,
        label="When",
        help_text="When you spoke to them, or tried to.",
    )
    method = forms.ChoiceField(choices=ContactMethod.choices, widget=forms.RadioSelect, label="How")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What happened",
        help_text="What was said and agreed, and who will do what next. Facts, not a risk rating.",
    )
    closes_alert = forms.BooleanField(
        required=False,
        label="This closes the alert",
        help_text="Tick when you have reached them and nothing more is needed from this alert now.",
    )

    def __init__(self, *args: Any, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        moment = timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)
        self.fields["contacted_at"].initial = moment

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("closes_alert") and data.get("method") == ContactMethod.NO_REPLY:
            self.add_error("closes_alert", "An attempt that did not reach the person cannot close the alert.")
        return data


class QuickSelect(forms.Select):
    """Django's select with each option written in place rather than through a template of its
    own: the same HTML, a fraction of the time for the hundred cohorts of a programme. Only for
    choices without groups and options without attributes of their own."""

    template_name = "measures/widgets/quick_select.html"


class OutcomeFilter(forms.Form):
    """Which people the figures count. The cohort list holds the chosen programme's cohorts, so it
    shows once a programme is chosen (no script needed: press Show in between)."""

    programme = forms.ModelChoiceField(
        queryset=Programme.objects.order_by("name"),
        to_field_name="uuid",
        required=False,
        empty_label="All programmes",
        widget=QuickSelect,
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.all(),
        to_field_name="uuid",
        required=False,
        empty_label="All its cohorts",
        widget=QuickSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cohort"]
        assert isinstance(field, forms.ModelChoiceField)
        field.label_from_instance = progress.cohort_label  # type: ignore[assignment]
        self.cohort_field = field
        try:
            programme = UUID(str(self.data.get("programme") or ""))
        except ValueError:
            return
        field.queryset = Cohort.objects.filter(programme__uuid=programme).order_by("starts_on", "name")
        field.choices = self.cohort_choices  # read once, for the list and for the figures' rows

    @cached_property
    def programme_cohorts(self) -> list[Cohort]:
        """The chosen programme's cohorts in the list's order."""
        queryset = self.cohort_field.queryset
        assert queryset is not None
        return list(queryset)

    def cohort_choices(self) -> list[tuple[str, str]]:
        cohorts = [(str(cohort.uuid), progress.cohort_label(cohort)) for cohort in self.programme_cohorts]
        return [("", str(self.cohort_field.empty_label)), *cohorts]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cohort") and not data.get("programme"):
            self.add_error(None, "Choose the cohort's programme as well as the cohort.")
        return data
