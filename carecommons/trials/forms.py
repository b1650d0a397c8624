"""Trial forms: the design (one page, no JavaScript), the analysis plan, screening, discontinuing."""

from typing import Any

from django import forms

from carecommons.accounts.models import Role, User
from carecommons.lib.dates import HAPPENED, BoundedDateField
from carecommons.lib.once import SubmissionKeyField
from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.models import Wave
from carecommons.programmes.models import Enrolment, EnrolmentStatus, Programme
from carecommons.trials.flow import wave_words
from carecommons.trials.models import SAP_FIELDS, AllocationUnit, Method, Trial
from carecommons.trials.services import ArmSpec, Design, FactorSpec, OutcomeSpec, QuestionSpec

YES_NO = [("yes", "Yes"), ("no", "No")]


def wave_label(wave: Wave) -> str:
    return wave_words(wave)


def outcome_choices(waves: list[Wave]) -> list[tuple[str, str]]:
    return [
        (f"{instrument}@{wave.uuid}", f"{get_instrument(instrument).short_name} at {wave_label(wave)}")
        for wave in waves
        if wave.kind != "baseline"
        for instrument in wave.instruments
    ]


class TrialForm(forms.Form):
    submission = SubmissionKeyField()
    title = forms.CharField(max_length=200)
    registration = forms.CharField(max_length=60, required=False, help_text="A registry number, if any.")
    programme_arm = forms.CharField(max_length=100, initial="Radical Self-Care course", label="Programme arm")
    programme_ratio = forms.IntegerField(
        min_value=1, max_value=9, initial=1, label="Its share of allocations"
    )
    comparison_arm = forms.CharField(max_length=100, initial="Waiting list", label="Comparison arm")
    comparison_ratio = forms.IntegerField(
        min_value=1, max_value=9, initial=1, label="Its share of allocations"
    )
    third_arm = forms.CharField(max_length=100, required=False, label="Another comparison arm (optional)")
    third_ratio = forms.IntegerField(min_value=1, max_value=9, initial=1, required=False, label="Its share")
    unit = forms.ChoiceField(choices=AllocationUnit.choices, label="Unit of allocation")
    method = forms.ChoiceField(choices=Method.choices, label="Randomisation method")
    block_multiples = forms.CharField(
        max_length=40,
        initial="1, 2, 3",
        label="Block sizes",
        help_text="Multiples of the shares' total, drawn at random for each block: 1, 2, 3 with 1:1 "
        "gives blocks of 2, 4 and 6.",
    )
    best_probability = forms.FloatField(
        min_value=0.51,
        max_value=1,
        initial=0.8,
        label="Minimisation: chance of the best-balancing arm",
        help_text="Below 1, so the next allocation is never certain.",
    )
    factors = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Stratification factors",
        help_text="One per line, the name, a colon, then its levels separated by commas: "
        "“Site: Hackney, Salford”.",
    )
    baseline_wave = forms.ModelChoiceField(queryset=Wave.objects.none(), label="Baseline wave")
    primary_outcome = forms.ChoiceField(label="Primary outcome")
    secondary_outcomes = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Secondary outcomes"
    )
    questions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Eligibility questions",
        help_text="One per line, each asked so that “yes” means eligible.",
    )
    received_min_sessions = forms.IntegerField(
        min_value=1, max_value=50, initial=4, label="Sessions that count as having received the programme"
    )
    statistician = forms.ModelChoiceField(queryset=User.objects.none(), label="Trial statistician")

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        waves = list(programme.waves.order_by("weeks_after_end", "id"))
        self.waves = {str(w.uuid): w for w in waves}
        baseline = [w.pk for w in waves if w.kind == "baseline"]
        field = self.fields["baseline_wave"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = programme.waves.filter(pk__in=baseline)
        field.label_from_instance = wave_label  # type: ignore[method-assign,assignment]
        choices = outcome_choices(waves)
        self.fields["primary_outcome"].choices = choices  # type: ignore[attr-defined]
        self.fields["secondary_outcomes"].choices = choices  # type: ignore[attr-defined]
        statistician = self.fields["statistician"]
        assert isinstance(statistician, forms.ModelChoiceField)
        statistician.queryset = User.objects.filter(
            role_grants__role=Role.EVALUATOR, is_active=True
        ).distinct()

    def clean_block_multiples(self) -> tuple[int, ...]:
        text = self.cleaned_data["block_multiples"]
        try:
            values = tuple(sorted({int(part) for part in text.replace(" ", "").split(",") if part}))
        except ValueError:
            raise forms.ValidationError("Write whole numbers separated by commas, such as 1, 2, 3.") from None
        if not values or any(v < 1 or v > 5 for v in values):
            raise forms.ValidationError("Each block size is a multiple from 1 to 5.")
        return values

    def clean_factors(self) -> tuple[FactorSpec, ...]:
        factors = []
        for number, line in enumerate(self.cleaned_data["factors"].splitlines(), start=1):
            if not line.strip():
                continue
            name, colon, rest = line.partition(":")
            levels = tuple(dict.fromkeys(level.strip() for level in rest.split(",") if level.strip()))
            if not colon or not name.strip() or len(levels) < 2:
                raise forms.ValidationError(
                    f"Line {number}: write the factor's name, a colon, then two or more levels "
                    "separated by commas."
                )
            if len(name.strip()) > 60 or any(len(level) > 60 for level in levels):
                raise forms.ValidationError(f"Line {number}: names and levels are 60 characters at most.")
            factors.append(FactorSpec(name.strip(), levels))
        if len(factors) > 4:
            raise forms.ValidationError("Stratify by four factors at most: more leaves strata nearly empty.")
        return tuple(factors)

    def clean_questions(self) -> tuple[QuestionSpec, ...]:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]
        if any(len(line) > 300 for line in lines):
            raise forms.ValidationError("Each question is 300 characters at most.")
        if len(lines) > 20:
            raise forms.ValidationError("Twenty questions at most.")
        return tuple(QuestionSpec(line, True) for line in lines)

    def outcome(self, value: str, *, primary: bool) -> OutcomeSpec:
        instrument, _, wave_uuid = value.partition("@")
        return OutcomeSpec(instrument, self.waves[wave_uuid], primary)

    def design(self) -> Design:
        data = self.cleaned_data
        arms = [ArmSpec(data["programme_arm"].strip(), data["programme_ratio"], True)]
        arms.append(ArmSpec(data["comparison_arm"].strip(), data["comparison_ratio"], False))
        if data.get("third_arm", "").strip():
            arms.append(ArmSpec(data["third_arm"].strip(), data.get("third_ratio") or 1, False))
        primary = data["primary_outcome"]
        secondary = [value for value in data["secondary_outcomes"] if value != primary]
        return Design(
            programme=self.programme,
            title=data["title"].strip(),
            registration=data["registration"].strip(),
            unit=data["unit"],
            method=data["method"],
            block_multiples=data["block_multiples"],
            best_probability=data["best_probability"],
            baseline_wave=data["baseline_wave"],
            received_min_sessions=data["received_min_sessions"],
            statistician=data["statistician"],
            arms=tuple(arms),
            factors=data["factors"],
            outcomes=(
                self.outcome(primary, primary=True),
                *(self.outcome(value, primary=False) for value in secondary),
            ),
            questions=data["questions"],
        )


def initial_from(trial: Trial) -> dict[str, object]:
    arms = list(trial.arms.all())
    treatment = next(a for a in arms if a.is_treatment)
    others = [a for a in arms if not a.is_treatment]
    outcomes = list(trial.outcomes.select_related("wave"))
    return {
        "title": trial.title,
        "registration": trial.registration,
        "programme_arm": treatment.name,
        "programme_ratio": treatment.ratio,
        "comparison_arm": others[0].name if others else "",
        "comparison_ratio": others[0].ratio if others else 1,
        "third_arm": others[1].name if len(others) > 1 else "",
        "third_ratio": others[1].ratio if len(others) > 1 else 1,
        "unit": trial.unit,
        "method": trial.method,
        "block_multiples": ", ".join(str(m) for m in trial.block_multiples),
        "best_probability": trial.best_probability,
        "factors": "\n".join(f"{f.name}: {', '.join(f.levels)}" for f in trial.factors.all()),
        "baseline_wave": trial.baseline_wave_id,
        "primary_outcome": next((f"{o.instrument}@{o.wave.uuid}" for o in outcomes if o.primary), ""),
        "secondary_outcomes": [f"{o.instrument}@{o.wave.uuid}" for o in outcomes if not o.primary],
        "questions": "\n".join(q.text for q in trial.eligibility_questions.all()),
        "received_min_sessions": trial.received_min_sessions,
        "statistician": trial.statistician_id,
    }


class PlanForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why the locked plan changes",
        help_text="Needed once the plan is locked: the report lists every change with its reason.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in reversed(SAP_FIELDS):
            self.fields = {
                name: forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4}), required=False, label=label, max_length=20_000
                ),
                **self.fields,
            }

    def plan(self) -> dict[str, str]:
        return {name: self.cleaned_data[name].strip() for name, _ in SAP_FIELDS}


class ScreeningForm(forms.Form):
    enrolment = forms.ChoiceField(label="Person and cohort")
    declined = forms.BooleanField(required=False, label="They declined to take part")
    other = forms.CharField(
        max_length=300, required=False, label="Not taking part for another reason (say which)"
    )

    def __init__(self, *args: Any, trial: Trial, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trial = trial
        enrolments = (
            Enrolment.objects.filter(cohort__programme_id=trial.programme_id)
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .exclude(person__trial_places__trial=trial, person__trial_places__list_name=trial.current_list)
            .select_related("person", "cohort")
            .order_by("cohort__starts_on", "person__sort_key", "id")
        )
        self.enrolments = {str(e.uuid): e for e in enrolments}
        self.fields["enrolment"].choices = [  # type: ignore[attr-defined]
            ("", "Choose…"),
            *((key, f"{e.person} — {e.cohort.name}") for key, e in self.enrolments.items()),
        ]
        self.questions = list(trial.eligibility_questions.all())
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                choices=YES_NO, widget=forms.RadioSelect, label=question.text, required=False
            )
        self.factors = list(trial.factors.all())
        for factor in self.factors:
            self.fields[f"f{factor.pk}"] = forms.ChoiceField(
                choices=[("", "Choose…"), *((level, level) for level in factor.levels)], label=factor.name
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("declined") and not data.get("other", "").strip():
            for question in self.questions:
                if not data.get(f"q{question.pk}"):
                    self.add_error(f"q{question.pk}", "Answer yes or no.")
        return data

    def chosen(self) -> Enrolment:
        return self.enrolments[self.cleaned_data["enrolment"]]

    def answers(self) -> dict[int, bool]:
        return {
            q.pk: self.cleaned_data[f"q{q.pk}"] == "yes"
            for q in self.questions
            if self.cleaned_data.get(f"q{q.pk}")
        }

    def levels(self) -> dict[int, str]:
        return {f.pk: self.cleaned_data[f"f{f.pk}"] for f in self.factors}


class CohortAllocationForm(forms.Form):
    def __init__(self, *args: Any, trial: Trial, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.factors = list(trial.factors.all())
        for factor in self.factors:
            self.fields[f"f{factor.pk}"] = forms.ChoiceField(
                choices=[("", "Choose…"), *((level, level) for level in factor.levels)], label=factor.name
            )

    def levels(self) -> dict[str, str]:
        return {str(f.pk): self.cleaned_data[f"f{f.pk}"] for f in self.factors}


class DiscontinueForm(forms.Form):
    on = BoundedDateField(bounds=HAPPENED, label="Day they stopped")
    because = forms.CharField(max_length=300, label="Why, in a few words")
