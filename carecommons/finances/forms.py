"""Input for the books: amounts are typed as text and read exactly as pence."""

from typing import Any

from django import forms
from django.utils import timezone

from carecommons.finances.models import (
    MONEY_KINDS,
    Account,
    AccountKind,
    AccountPurpose,
    Fund,
    Group,
    GroupRole,
)
from carecommons.finances.roles import candidates_of, treasurer_term_months
from carecommons.finances.services import LONGEST_TERM_MONTHS, ROLE_ENDS
from carecommons.lib.dates import HAPPENED, PLANNED, BoundedDateField
from carecommons.lib.money import AmountError, format_pence, parse_pence
from carecommons.lib.once import SubmissionKeyField
from carecommons.people.models import Person


class AmountField(forms.CharField):
    """Pounds and pence typed as text ("12.50"), cleaned to whole pence. Never a float."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", "In pounds, for example 12.50")
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            pence = parse_pence(text)
        except AmountError as problem:
            raise forms.ValidationError(str(problem)) from None
        if pence <= 0:
            raise forms.ValidationError("Enter an amount more than nothing.")
        return pence

    def prepare_value(self, value: Any) -> Any:
        return format_pence(value).lstrip("£").replace(",", "") if isinstance(value, int) else value


INCOME_KINDS = [
    ("donation", "A donation"),
    ("grant", "A grant for a restricted fund"),
    ("cash", "Cash collected by a member"),
]


class IncomeForm(forms.Form):
    submission = SubmissionKeyField()
    kind = forms.ChoiceField(label="What came in", choices=INCOME_KINDS, widget=forms.RadioSelect)
    amount = AmountField(label="Amount")
    occurred_on = BoundedDateField(label="Date received", bounds=HAPPENED, initial=timezone.localdate)
    into = forms.ModelChoiceField(
        label="Paid into", queryset=Account.objects.none(), help_text="For cash, choose the cash box."
    )
    name = forms.CharField(
        label="Donor or funder",
        required=False,
        max_length=200,
        help_text="Leave empty for an anonymous donation. Needed for a grant.",
    )
    name_public = forms.BooleanField(label="The donor agreed to be named on the public page", required=False)
    fund = forms.ModelChoiceField(
        label="Restricted fund (grants only)", queryset=Fund.objects.none(), required=False
    )
    collected_by = forms.ModelChoiceField(
        label="Collected by (cash only)", queryset=Person.objects.none(), required=False
    )

    def __init__(self, data: Any = None, *, group: Group, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.group = group
        self.fields["into"].queryset = Account.objects.filter(group=group, kind__in=MONEY_KINDS)  # type: ignore[attr-defined]
        self.fields["fund"].queryset = Fund.objects.filter(group=group)  # type: ignore[attr-defined]
        self.fields["collected_by"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            id__in=candidates_of(group).values("person_id")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "grant":
            if not data.get("fund"):
                self.add_error("fund", "Choose the fund this grant is for.")
            if not (data.get("name") or "").strip():
                self.add_error("name", "Say who gave the grant.")
        if kind == "cash" and not data.get("collected_by"):
            self.add_error("collected_by", "Choose who collected the cash.")
        into = data.get("into")
        if kind == "cash" and into is not None and into.kind != AccountKind.CASH:
            self.add_error("into", "Cash goes into a cash box.")
        return data


class ReverseForm(forms.Form):
    reason = forms.CharField(label="Why is it being reversed?", max_length=200)


class AccountForm(forms.Form):
    submission = SubmissionKeyField()
    name = forms.CharField(label="Name", max_length=120)
    kind = forms.ChoiceField(label="Kind", choices=AccountKind.choices)
    purpose = forms.ChoiceField(
        label="Used for",
        choices=[("", "Nothing in particular"), *AccountPurpose.choices],
        required=False,
        help_text="Where donations, grants or cash go by default. One account of the group for each.",
    )


class FundForm(forms.Form):
    submission = SubmissionKeyField()
    name = forms.CharField(label="Name of the fund", max_length=120)
    conditions = forms.CharField(
        label="What the funder said it is for", widget=forms.Textarea(attrs={"rows": 3})
    )
    allowed_categories = forms.ModelMultipleChoiceField(
        label="May be spent on", queryset=Account.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data: Any = None, *, group: Group, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["allowed_categories"].queryset = Account.objects.filter(  # type: ignore[attr-defined]
            group=group, kind=AccountKind.EXPENSE
        )


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label="Person", queryset=Person.objects.none())
    role = forms.ChoiceField(label="Role", choices=GroupRole.choices)
    starts_on = BoundedDateField(label="From", bounds=PLANNED, initial=timezone.localdate)
    ends_on = BoundedDateField(
        label="Until", bounds=ROLE_ENDS, required=False, help_text="Leave empty for no end."
    )

    def __init__(self, data: Any = None, *, people: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end must be on or after the start.")
        return data


class PolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    approval_threshold = AmountField(
        label="Amount above which more approvals are needed",
        required=False,
        help_text="In pounds. Leave empty for every expense to need the larger number.",
    )

    # Kept on the group's treasurer role (finances/roles.py), not on the books.
    treasurer_term_months = forms.IntegerField(
        label="Longest treasurer term, in months", min_value=1, max_value=LONGEST_TERM_MONTHS, required=False
    )

    class Meta:
        model = Group
        fields = ["approvals_over_threshold", "public_page", "public_intro"]
        labels = {
            "approvals_over_threshold": "Approvals needed above that amount",
            "public_page": "Publish a public page of income and spending by category",
            "public_intro": "A few words for the public page",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["approval_threshold"] = self.instance.approval_threshold_pence or None
            self.initial["treasurer_term_months"] = treasurer_term_months(self.instance)

    def clean_approvals_over_threshold(self) -> int:
        value = self.cleaned_data["approvals_over_threshold"]
        if value < 1:
            raise forms.ValidationError("At least one approval is always needed.")
        return int(value)


class BudgetForm(forms.Form):
    category = forms.ModelChoiceField(label="Spending category", queryset=Account.objects.none())
    starts_on = BoundedDateField(label="From", bounds=PLANNED)
    ends_on = BoundedDateField(label="To (inclusive)", bounds=PLANNED)
    amount = AmountField(label="Planned spending")

    def __init__(self, data: Any = None, *, group: Group, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["category"].queryset = Account.objects.filter(  # type: ignore[attr-defined]
            group=group, kind=AccountKind.EXPENSE
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end must be on or after the start.")
        return data


class StartGroupForm(forms.Form):
    submission = SubmissionKeyField()
    name = forms.CharField(label="Name of the group", max_length=200)
    slug = forms.SlugField(
        label="Address of its public page",
        max_length=80,
        required=False,
        help_text="Small letters, digits and hyphens. Left empty, it is made from the name.",
    )
    treasurer_email = forms.EmailField(label="First treasurer's email")
    treasurer_name = forms.CharField(
        label="First treasurer's name", max_length=200, required=False,
        help_text="Needed only if they are not in the directory yet. "
        "They will get an email to make an account.",
    )  # fmt: skip
    approval_threshold = AmountField(
        label="Claims over this amount need more approvals", required=False,
        help_text="In pounds, for example 50; empty for every claim.",
    )  # fmt: skip
    approvals_over_threshold = forms.IntegerField(label="How many approvals then", min_value=1, initial=2)
    treasurer_term_months = forms.IntegerField(
        label="Longest treasurer term, in months", min_value=1, max_value=LONGEST_TERM_MONTHS, required=False,
        help_text="Empty for no limit.",
    )  # fmt: skip


class GroupsFileForm(forms.Form):
    file = forms.FileField(
        label="CSV file of groups", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )

    def clean_file(self) -> Any:
        from django.conf import settings

        from carecommons.lib.spreadsheets import upload_problem

        upload = self.cleaned_data["file"]
        problem = upload_problem(
            filename=upload.name or "", size=upload.size or 0, max_bytes=settings.CSV_IMPORT_MAX_BYTES,
            content_type=upload.content_type or "",
        )  # fmt: skip
        if problem:
            raise forms.ValidationError(problem)
        return upload
