from typing import Any

from django import forms
from django.forms import BoundField
from django.http import QueryDict
from django.utils.html import format_html

from carecommons.lib.once import SubmissionKeyField
from carecommons.people.models import ConsentPurpose, ConsentWording
from carecommons.people.services import current_wording
from carecommons.programmes.models import Cohort, SignupQuestion
from carecommons.signups import spam

# Purposes asked on the public form. Sharing needs a named partner, so it is asked elsewhere.
SIGNUP_PURPOSES = (ConsentPurpose.CONTACT, ConsentPurpose.PROGRAMME, ConsentPurpose.RESEARCH)
YES_NO = [("yes", "Yes"), ("no", "No")]


def signup_wordings() -> list[ConsentWording]:
    return [w for w in (current_wording(p) for p in SIGNUP_PURPOSES) if w is not None]


def versions_of(wordings: list[ConsentWording]) -> str:
    return ",".join(f"{w.purpose}:{w.version}" for w in wordings)


class SignupForm(forms.Form):
    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Please tell us your first name."}
    )
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    pronouns = forms.CharField(
        max_length=40, required=False, help_text="Optional. For example: she/her, they/them."
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will send you a confirmation and our decision here.",
        error_messages={
            "required": "Please give your email address, so we can tell you our decision.",
            "invalid": "This does not look like an email address. Please check it.",
        },
    )
    phone = forms.CharField(
        label="Phone number", max_length=40, required=False, help_text="Optional, if you would like a call."
    )
    organisation_name = forms.CharField(
        label="The group or organisation you represent",
        max_length=200,
        required=False,
        help_text="Leave this empty if you are applying for yourself.",
    )
    access_needs = forms.CharField(
        label="Anything that would help you take part",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: step-free access, large print, a quiet space, an interpreter, "
        "breaks, or times that suit you. Only the programme team sees this.",
    )
    # A honeypot: hidden from people (see the template), tempting to robots.
    website = forms.CharField(
        label="Leave this box empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    wording_versions = forms.CharField(required=False, widget=forms.HiddenInput)

    ABOUT_YOU = ("given_name", "family_name", "pronouns", "email", "phone")
    TAKING_PART = ("organisation_name", "access_needs")

    def __init__(
        self,
        data: Any = None,
        *,
        cohort: Cohort,
        questions: list[SignupQuestion],
        wordings: list[ConsentWording],
    ) -> None:
        super().__init__(data, initial={"started": spam.form_token(str(cohort.uuid))})
        self.cohort, self.questions, self.wordings = cohort, questions, wordings
        self.initial["wording_versions"] = versions_of(wordings)
        for question in questions:
            self.fields[f"q_{question.pk}"] = question_field(question)
        for wording in wordings:
            self.fields[f"consent_{wording.purpose}"] = consent_field(wording)

    def visible_fields(self) -> list[BoundField]:
        return [field for field in super().visible_fields() if field.name != "website"]

    def groups(self) -> list[tuple[str, list[BoundField]]]:
        groups = [
            ("About you", [self[name] for name in self.ABOUT_YOU]),
            ("Taking part", [self[name] for name in self.TAKING_PART]),
        ]
        if self.questions:
            groups.append(("Questions from the programme team", [self[f"q_{q.pk}"] for q in self.questions]))
        if self.wordings:
            groups.append(("Your choices", [self[f"consent_{w.purpose}"] for w in self.wordings]))
        return groups

    def _replace_hidden(self, name: str, value: str) -> None:
        """Re-render with a fresh value, so sending again can succeed."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[name] = value
        self.data = data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            self.add_error(None, spam.MESSAGES["honeypot"])
        problem = spam.token_problem(data.get("started") or "", str(self.cohort.uuid))
        if problem:
            self.add_error(None, spam.MESSAGES[problem])
            if problem != "fast":
                self._replace_hidden("started", spam.form_token(str(self.cohort.uuid)))
        if data.get("wording_versions") != versions_of(self.wordings):
            self.add_error(
                None,
                "The wording of the choices at the end of this form has changed since you opened it. "
                "Please read it again and tick the boxes you agree with.",
            )
            self._replace_hidden("wording_versions", versions_of(self.wordings))
        return data

    def application(self) -> dict[str, Any]:
        """The keyword arguments signups.services.apply takes from this form."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in (*self.ABOUT_YOU, *self.TAKING_PART)},
            "answers": {str(q.pk): data[f"q_{q.pk}"] for q in self.questions if data[f"q_{q.pk}"]},
            "consents": {w.purpose: data[f"consent_{w.purpose}"] for w in self.wordings},
        }


def question_field(question: SignupQuestion) -> forms.Field:
    messages = {
        "required": "Please answer this question.",
        "invalid_choice": "Choose one of the answers given.",
    }
    common: dict[str, Any] = {
        "label": question.text,
        "required": question.required,
        "error_messages": messages,
    }
    if question.kind == SignupQuestion.Kind.CHOICE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if question.kind == SignupQuestion.Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)


def consent_field(wording: ConsentWording) -> forms.BooleanField:
    needed = wording.purpose == ConsentPurpose.PROGRAMME
    field = forms.BooleanField(
        label=f"Yes, I agree to {wording.get_purpose_display().lower()}",
        # Django's field template shows help text as HTML: the wording is words someone typed.
        help_text=format_html(
            "{} (Wording version {}.){}",
            wording.text,
            wording.version,
            "" if needed else " You can say no: it does not affect your application.",
        ),
        required=needed,
        error_messages={
            "required": "We need your agreement to this to give you a place. "
            "If you have questions about it, please ask the programme team before applying."
        },
    )
    return field


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("waitlist", "Waiting list"), ("decline", "Decline")]
    )


class OfferResponseForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[("accept", "Yes, I will take the place"), ("decline", "No, thank you")]
    )


class QuestionForm(forms.Form):
    submission = SubmissionKeyField()
    text = forms.CharField(label="Question", max_length=300)
    kind = forms.ChoiceField(
        label="How people answer",
        choices=SignupQuestion.Kind.choices,
        widget=forms.RadioSelect,
        initial=SignupQuestion.Kind.TEXT,
    )
    choices = forms.CharField(
        label="Choices",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only for “one of several choices”: one choice on each line.",
    )
    required = forms.BooleanField(label="People must answer this", required=False)

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == SignupQuestion.Kind.CHOICE and len(data.get("choices") or []) < 2:
            self.add_error("choices", "Give at least two choices, one on each line.")
        return data
