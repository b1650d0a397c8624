from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.html import escape

from carecommons.expenses import payees
from carecommons.expenses.models import ExpenseState
from carecommons.expenses.receipts import ALLOWED
from carecommons.expenses.services import MAX_RECEIPTS_AT_ONCE, receipt_max_bytes
from carecommons.finances.forms import AmountField
from carecommons.finances.models import MONEY_KINDS, Account, AccountKind, Fund, Group
from carecommons.lib.dates import HAPPENED, BoundedDateField
from carecommons.lib.once import SubmissionKeyField

RECEIPT_ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif,application/pdf"


class ReceiptsInput(forms.FileInput):
    allow_multiple_selected = True


class ReceiptsField(forms.FileField):
    """Several files from one file input (phones let people pick or take more than one photo)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", ReceiptsInput(attrs={"accept": RECEIPT_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:  # type: ignore[override]
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError("Choose at least one receipt.")
        return [super(ReceiptsField, self).clean(one, initial) for one in files]


def receipts_help() -> str:
    limit = receipt_max_bytes() // (1024 * 1024)
    return f"Photos or scans: {ALLOWED}, up to {limit} MB each, {MAX_RECEIPTS_AT_ONCE} at most."


class ExpenseForm(forms.Form):
    submission = SubmissionKeyField()
    description = forms.CharField(
        label="What was it for?",
        max_length=300,
        help_text="For example: milk and bread for the Tuesday lunch.",
    )
    amount_pence = AmountField(label="Amount")
    spent_on = BoundedDateField(label="Date spent", bounds=HAPPENED, initial=timezone.localdate)
    category = forms.ModelChoiceField(
        label="Spending category", queryset=Account.objects.none(), empty_label="Choose…"
    )
    fund = forms.ModelChoiceField(
        label="Pay from a restricted fund",
        queryset=Fund.objects.none(),
        required=False,
        empty_label="No: the group's general money",
        help_text="Only if the money comes from a grant given for this kind of spending.",
    )
    receipts = ReceiptsField(label="Receipts", required=False)
    payee_name = forms.CharField(
        label="Who should be paid",
        max_length=200,
        required=False,
        help_text="Leave empty if the money goes back to you.",
    )
    payee_sort_code = forms.CharField(
        label="Their sort code",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    payee_account_number = forms.CharField(
        label="Their account number",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    public_label = forms.CharField(
        label="How the group's books name who was paid",
        max_length=120,
        required=False,
        help_text="Leave empty for the books to show only the category. Never a real name: say "
        "“A volunteer driver”. The public page never shows it.",
    )

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receipts"].help_text = receipts_help()
        categories = Account.objects.filter(group=group, kind=AccountKind.EXPENSE).order_by("name")
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        funds = Fund.objects.filter(group=group).order_by("name")
        if funds.exists():
            self.fields["fund"].queryset = funds  # type: ignore[attr-defined]
        else:
            del self.fields["fund"]

    def show_kept(self, names: list[str]) -> None:
        """Say beside the file input which receipts this form has kept from an earlier try."""
        if names:
            listed = escape(", ".join(names))  # Django's field template shows help text as markup
            text = f"{listed} kept: choose another to replace {'it' if len(names) == 1 else 'them'}. "
            # The bound field copied the help text when the form was cleaned; change both.
            self.fields["receipts"].help_text = self["receipts"].help_text = text + receipts_help()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["payee_sort_code"], data["payee_account_number"] = payees.clean_bank_details(
                data.get("payee_sort_code", ""), data.get("payee_account_number", "")
            )
            data["public_label"] = payees.clean_public_label(
                data.get("public_label", ""), data.get("payee_name", "")
            )
        except payees.PayeeProblem as problem:
            self.add_error(problem.field, str(problem))
        category, fund = data.get("category"), data.get("fund")
        if (
            category is not None
            and fund is not None
            and not fund.allowed_categories.filter(pk=category.pk).exists()
        ):
            self.add_error("fund", f"“{fund.name}” may be spent only on what it allows: {fund.conditions}")
        return data


class ReceiptForm(forms.Form):
    submission = SubmissionKeyField()
    receipts = ReceiptsField(label="Add receipts")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receipts"].help_text = receipts_help()


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why is it rejected?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person who claimed it sees this, so they can put it right or understand.",
        error_messages={"required": "Say why, so they can put it right or understand."},
    )


class PayForm(forms.Form):
    account = forms.ModelChoiceField(label="Paid from", queryset=Account.objects.none(), empty_label=None)
    paid_on = BoundedDateField(label="Date paid", bounds=HAPPENED, initial=timezone.localdate)
    public_label = forms.CharField(
        label="How the group's books name who was paid",
        max_length=120,
        required=False,
        help_text="Leave empty for the books to show only the category. Never a real name. "
        "The public page never shows it.",
    )

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        money = Account.objects.filter(group=group, kind__in=MONEY_KINDS).order_by("kind", "name")
        self.fields["account"].queryset = money  # type: ignore[attr-defined]


STATE_CHOICES = [("", "Any state"), *ExpenseState.choices]


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label="Show", choices=STATE_CHOICES, required=False)

    def chosen(self) -> str:
        return self.cleaned_data["state"] if self.is_valid() else ""
