from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html

from carecommons.accounts.models import Role
from carecommons.lib.dates import HAPPENED, PLANNED, BoundedDateField
from carecommons.lib.once import SubmissionKeyField
from carecommons.listening.models import Conversation, ConversationMethod, EngagementLevel
from carecommons.listening.notes import notes_shown_with
from carecommons.people.models import Consent, ConsentWording, Person
from carecommons.programmes.models import EnrolmentStatus, Programme

NOTE_HELP = "Kept only if they agreed to notes being kept. Otherwise only the facts are saved."


def people_of_lab(lab: Programme, *, also: Sequence[int | None] = ()) -> QuerySet[Person]:
    """The lab's accepted members and its organisers (plus `also`, so an edit keeps its choices)."""
    members = Q(enrolments__cohort__programme=lab, enrolments__status=EnrolmentStatus.ACCEPTED)
    ids = Person.objects.filter(members | Q(facilitator_links__cohort__programme=lab)).values("id")
    return Person.objects.filter(Q(id__in=ids) | Q(id__in=[i for i in also if i])).order_by("sort_key", "id")


def organisers_of_lab(lab: Programme, *, also: Sequence[int | None] = ()) -> QuerySet[Person]:
    """People who may own a follow-up: the lab's organisers, and convenors."""
    organisers = Q(facilitator_links__cohort__programme=lab, user__role_grants__role=Role.ORGANISER)
    ids = Person.objects.filter(organisers | Q(user__role_grants__role=Role.CONVENOR)).values("id")
    return Person.objects.filter(Q(id__in=ids) | Q(id__in=[i for i in also if i])).order_by("sort_key", "id")


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.email})" if obj.email else obj.display_name


class ConversationForm(forms.Form):
    """Record (or, with `conversation`, change) a one-to-one. `consent` is the person's current
    decision about notes when it is known (editing), `wording` the words they are asked to agree to."""

    submission = SubmissionKeyField()
    person = PersonChoice(
        queryset=Person.objects.none(), required=False, label="Someone in the lab", empty_label="Choose…"
    )
    person_email = forms.EmailField(
        required=False,
        label="Or someone else: their email",
        help_text="If they are in the directory we find them. If not, give their name below to add them.",
    )
    new_given_name = forms.CharField(
        max_length=100, required=False, label="Their first name, if they are new"
    )
    new_family_name = forms.CharField(
        max_length=100, required=False, label="Their last name, if they are new"
    )
    listener = PersonChoice(queryset=Person.objects.none(), label="Who listened", empty_label=None)
    held_on = BoundedDateField(bounds=HAPPENED, label="Date", initial=timezone.localdate)
    method = forms.ChoiceField(choices=ConversationMethod.choices, widget=forms.RadioSelect, label="How")
    introduced_by = PersonChoice(
        queryset=Person.objects.none(),
        required=False,
        label="Introduced by",
        empty_label="Nobody",
        help_text="Who suggested talking to them, if anyone.",
    )
    consent_given = forms.BooleanField(required=False, label="They agreed to notes being kept")
    story = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}), label="Their story")
    cares_about = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="What they care about"
    )
    gifts = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Gifts and skills they offered"
    )
    concerns = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Concerns they raised"
    )
    suggested_contacts = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="People they suggested talking to",
        help_text="People not in Care Commons yet.",
    )
    suggested_people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="People in the lab they suggested talking to",
    )
    engagement = forms.ModelChoiceField(
        queryset=EngagementLevel.objects.none(),
        required=False,
        label="Engagement level",
        empty_label="Not set",
    )
    follow_up = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="What was agreed to do next"
    )
    follow_up_owner = PersonChoice(
        queryset=Person.objects.none(), required=False, label="Who follows up", empty_label="Nobody"
    )
    follow_up_due = BoundedDateField(bounds=PLANNED, required=False, label="Follow up by")

    FACTS = (
        "listener",
        "held_on",
        "method",
        "introduced_by",
        "engagement",
        "follow_up_owner",
        "follow_up_due",
    )
    NOTES = (
        "story",
        "cares_about",
        "gifts",
        "concerns",
        "suggested_contacts",
        "suggested_people",
        "follow_up",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        lab: Programme,
        wording: ConsentWording | None,
        conversation: Conversation | None = None,
        consent: Consent | None = None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        self.conversation = conversation
        self.consent = consent
        self.wording = wording
        also: list[int | None] = []
        if conversation is not None:
            initial = {f: getattr(conversation, f) for f in self.FACTS}
            if notes_shown_with(conversation, consent):
                initial |= {f: getattr(conversation, f) for f in self.NOTES if f != "suggested_people"}
                initial["suggested_people"] = list(conversation.suggested_people.all())
            also = [conversation.listener_id, conversation.introduced_by_id, conversation.follow_up_owner_id]
            also += [p.pk for p in initial.get("suggested_people", [])]
        super().__init__(data, initial=initial)
        people = people_of_lab(lab, also=also)
        for name in ("person", "listener", "introduced_by", "suggested_people"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        owners = organisers_of_lab(lab, also=[conversation.follow_up_owner_id] if conversation else [])
        self.fields["follow_up_owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["engagement"].queryset = EngagementLevel.objects.filter(lab=lab)  # type: ignore[attr-defined]
        for name in ("story", "cares_about", "gifts", "concerns", "suggested_contacts", "follow_up"):
            self.fields[name].help_text = " ".join(
                filter(None, [str(self.fields[name].help_text), NOTE_HELP])
            )
        if conversation is not None:
            for name in ("submission", "person", "person_email", "new_given_name", "new_family_name"):
                del self.fields[name]
        self.setup_consent()

    def setup_consent(self) -> None:
        field = self.fields["consent_given"]
        if self.wording is None:
            field.disabled = True
            field.help_text = (
                "No wording about conversation notes has been published yet, so only the facts can be kept."
            )
        else:
            # Django's field template shows help text as HTML: the wording is words someone typed.
            field.help_text = format_html("What they agreed to: “{}”", self.wording.text)
        if self.consent is None:
            return
        del self.fields["consent_given"]
        if not self.consent.given:
            for name in self.NOTES:
                self.fields[name].disabled = True

    @property
    def notes_closed(self) -> bool:
        """True when the person has withdrawn consent: the note fields are shown but not saved."""
        return self.consent is not None and not self.consent.given

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.conversation is None:
            self.check_who(data)
        owner, due = data.get("follow_up_owner"), data.get("follow_up_due")
        if owner is not None and due is None and "follow_up_due" not in self.errors:
            self.add_error("follow_up_due", "Give a date for the follow-up, or choose nobody to follow up.")
        if due is not None and owner is None:
            self.add_error("follow_up_owner", "Choose who will follow up, or clear the date.")
        person = data.get("person") if self.conversation is None else self.conversation.person
        if person is not None and person == data.get("listener"):
            self.add_error("listener", "The listener and the person listened to must be different people.")
        return data

    def check_who(self, data: dict[str, Any]) -> None:
        email = (data.get("person_email") or "").strip().lower()
        if data.get("person") is not None:
            if email or data.get("new_given_name"):
                self.add_error(
                    "person_email", "Choose someone in the lab, or give someone else's details, not both."
                )
            return
        if email:
            found = list(Person.objects.filter(email=email)[:2])
            if len(found) > 1:
                self.add_error(
                    "person_email",
                    "More than one person has this email. Merge them in the directory first.",
                )
            elif found:
                data["person"] = found[0]
                return
        if "person_email" in self.errors:
            return
        if not (data.get("new_given_name") or "").strip():
            if email:
                self.add_error(
                    "new_given_name",
                    "Nobody in the directory has this email: give their first name to add them.",
                )
            else:
                self.add_error("person", "Choose who you listened to, or give someone else's email or name.")

    def service_values(self) -> dict[str, Any]:
        """The cleaned data as keyword arguments for services.record_conversation/update_conversation."""
        data = dict(self.cleaned_data)
        data.pop("submission", None)
        email = data.pop("person_email", "") or ""
        if self.conversation is None:
            data["new_email"] = email.strip().lower() if data.get("person") is None else ""
        if self.notes_closed:
            for name in self.NOTES:
                data.pop(name, None)
        return data


FOLLOW_UP_STATES = [
    ("", "Any"),
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("done", "Done"),
    ("none", "No follow-up"),
]


class ConversationFilterForm(forms.Form):
    listener = PersonChoice(queryset=Person.objects.none(), required=False, empty_label="Anyone")
    engagement = forms.ModelChoiceField(
        queryset=EngagementLevel.objects.none(), required=False, empty_label="Any", label="Engagement level"
    )
    method = forms.ChoiceField(
        choices=[("", "Any"), *ConversationMethod.choices], required=False, label="How"
    )
    follow_up = forms.ChoiceField(choices=FOLLOW_UP_STATES, required=False, label="Follow-up")

    def __init__(self, data: Any, *, lab: Programme) -> None:
        super().__init__(data)
        held = Conversation.objects.filter(lab=lab).values("listener_id")
        self.fields["listener"].queryset = Person.objects.filter(id__in=held)  # type: ignore[attr-defined]
        self.fields["engagement"].queryset = EngagementLevel.objects.filter(lab=lab)  # type: ignore[attr-defined]

    def apply(self, conversations: QuerySet[Conversation], today: date) -> QuerySet[Conversation]:
        if not self.is_valid():
            return conversations
        data = self.cleaned_data
        if data["listener"] is not None:
            conversations = conversations.filter(listener=data["listener"])
        if data["engagement"] is not None:
            conversations = conversations.filter(engagement=data["engagement"])
        if data["method"]:
            conversations = conversations.filter(method=data["method"])
        open_ = Q(follow_up_due__isnull=False, follow_up_done_at__isnull=True)
        state = {
            "open": open_,
            "overdue": open_ & Q(follow_up_due__lt=today),
            "done": Q(follow_up_done_at__isnull=False),
            "none": Q(follow_up_due__isnull=True),
        }.get(data["follow_up"])
        return conversations if state is None else conversations.filter(state)


class LevelForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(
        max_length=300, required=False, help_text="What reaching this rung looks like."
    )

    def __init__(
        self, *args: Any, lab: Programme, level: EngagementLevel | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lab, self.level = lab, level

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        same = EngagementLevel.objects.filter(lab=self.lab, name__iexact=name)
        if self.level is not None:
            same = same.exclude(pk=self.level.pk)
        if same.exists():
            raise forms.ValidationError("The ladder already has a level with this name.")
        return name
