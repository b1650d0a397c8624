from typing import Any

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from carecommons.finances.models import MONEY_KINDS, Account, Entry, Group
from carecommons.lib.money import format_pence
from carecommons.lib.once import SubmissionKeyField
from carecommons.lib.words import plural
from carecommons.statements.csvformat import DateFormat, DecimalMark, Mapping
from carecommons.statements.models import StatementImport
from carecommons.statements.uploads import max_bytes, upload_problem

COLUMN_HELP = "The column's name as the first line of the file spells it, or its number (1 for the first)."


def column(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=200, help_text=help_text)


class MappingForm(forms.Form):
    """Which column holds what. Filled in from the account's last statement."""

    has_header = forms.BooleanField(label="The first line names the columns", required=False)
    skip_lines = forms.IntegerField(
        label="Lines to skip at the top",
        min_value=0,
        max_value=50,
        initial=0,
        help_text="Some banks put the account name and balance above the columns. Usually 0.",
    )
    date = column("Date column", required=True, help_text=COLUMN_HELP)
    date_format = forms.ChoiceField(label="Dates are written", choices=DateFormat.choices)
    decimal_mark = forms.ChoiceField(
        label="Amounts are written",
        choices=DecimalMark.choices,
        initial=DecimalMark.AUTO,
        required=False,
        help_text="Banks outside the UK often write 1.234,56. If the file mixes both, say which.",
    )
    description = column(
        "Description column",
        required=True,
        help_text="Join several columns with +, for example: Counter Party + Reference",
    )
    amount = column(
        "Amount column", help_text="One column with money in as positive and money out as negative."
    )
    paid_in = column("Paid in column", help_text="Or, if your bank uses two columns: money in …")
    paid_out = column("Paid out column", help_text="… and money out.")
    balance = column(
        "Balance column", help_text="Optional. Lets us compare the bank’s balance with the books."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount, paid_in, paid_out = (data.get(name, "").strip() for name in ("amount", "paid_in", "paid_out"))
        if amount and (paid_in or paid_out):
            self.add_error("amount", "Give one amount column, or paid in and paid out columns, not both.")
        elif not amount and not (paid_in and paid_out):
            if paid_in or paid_out:
                self.add_error("paid_out" if paid_in else "paid_in", "Give both paid in and paid out.")
            else:
                self.add_error("amount", "Say which column holds the amount.")
        return data

    def mapping(self) -> Mapping:
        data = self.cleaned_data
        return Mapping(
            date=data["date"].strip(),
            description=data["description"].strip(),
            amount=data["amount"].strip(),
            paid_in=data["paid_in"].strip(),
            paid_out=data["paid_out"].strip(),
            balance=data["balance"].strip(),
            date_format=data["date_format"],
            decimal_mark=data.get("decimal_mark") or DecimalMark.AUTO,
            has_header=data["has_header"],
            skip_lines=data["skip_lines"],
        )


class UploadForm(MappingForm):
    submission = SubmissionKeyField()
    account = forms.ModelChoiceField(label="Statement of", queryset=Account.objects.none(), empty_label=None)
    file = forms.FileField(
        label="Statement file (CSV)", widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"})
    )
    field_order = ["submission", "account", "file"]

    def __init__(self, data: Any = None, files: Any = None, *, group: Group, **kwargs: Any) -> None:
        super().__init__(data, files, **kwargs)
        accounts = Account.objects.filter(group=group, kind__in=MONEY_KINDS).order_by("kind", "name")
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["account"].to_field_name = "uuid"  # type: ignore[attr-defined]
        self.fields[
            "file"
        ].help_text = f"Download it from your bank’s website as CSV, at most {filesizeformat(max_bytes())}."

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        problem = upload_problem(
            filename=upload.name or "", size=upload.size or 0, content_type=upload.content_type or ""
        )
        if problem:
            raise forms.ValidationError(problem)
        return upload


class ImportForm(forms.Form):
    skip_bad_rows = forms.BooleanField(required=False)

    def __init__(self, *args: Any, statement: StatementImport, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        bad = statement.bad_row_count
        if bad:
            label = f"Skip the {plural(bad, 'line')} with problems and import the rest"
            self.fields["skip_bad_rows"].label = label
        else:
            del self.fields["skip_bad_rows"]


def entry_label(entry: Entry, line_id: int) -> str:
    txn = entry.transaction
    label = f"{txn.occurred_on:%-d %b %Y} · {txn.description} · {format_pence(entry.amount_pence)}"
    try:
        suggested_for = entry.statement_match.line_id  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return label
    return f"{label} (suggested for {'this' if suggested_for == line_id else 'another'} line)"


class PickEntryForm(forms.Form):
    entry = forms.TypedChoiceField(
        label="The ledger entry this line is", coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, data: Any = None, *, candidates: list[Entry], line_id: int, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.candidates = {entry.pk: entry for entry in candidates}
        choices = [(entry.pk, entry_label(entry, line_id)) for entry in candidates]
        self.fields["entry"].choices = choices  # type: ignore[attr-defined]
        self.fields["entry"].error_messages["invalid_choice"] = "Choose one of the entries listed."

    def chosen(self) -> Entry:
        return self.candidates[self.cleaned_data["entry"]]
