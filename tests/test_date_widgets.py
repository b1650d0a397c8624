"""Every typed date is a browser date picker and every typed moment a date-and-time picker, both
defined once in lib/dates.py (issue 12, item 3): each form shows its value in the ISO format the
browser needs and reads back what the browser sends. A module outside lib that defines its own date
widget, or builds one from Django's, fails here."""

import ast
from datetime import datetime, time
from pathlib import Path

import pytest
from django import forms
from django.utils import timezone

from carecommons.expenses.forms import ExpenseForm, PayForm
from carecommons.finances.forms import BudgetForm, IncomeForm, MemberForm
from carecommons.groups.forms import TermForm
from carecommons.guests.forms import InviteForm
from carecommons.learningsets.forms import MeetingForm
from carecommons.listening.forms import ConversationForm
from carecommons.measures.forms import FollowUpForm
from carecommons.measures.running.answer_forms import PaperForm
from carecommons.programmes.forms import CohortForm, SessionForm

APPS = Path(__file__).resolve().parent.parent / "carecommons"
LIB = APPS / "lib"
WIDGETS = {"DateInput", "DateTimeInput", "SplitDateTimeWidget"}
PICKER_TYPES = {"date", "datetime-local", "time", "month", "week"}

FormClass = type[forms.Form] | type[forms.ModelForm]
DATE_FIELDS: list[tuple[FormClass, str]] = [
    (ConversationForm, "held_on"),
    (ConversationForm, "follow_up_due"),
    (PaperForm, "answered_on"),
    (IncomeForm, "occurred_on"),
    (MemberForm, "starts_on"),
    (MemberForm, "ends_on"),
    (BudgetForm, "starts_on"),
    (ExpenseForm, "spent_on"),
    (PayForm, "paid_on"),
    (CohortForm, "starts_on"),
    (TermForm, "starts_on"),
    (TermForm, "ends_on"),
]
DATETIME_FIELDS: list[tuple[FormClass, str]] = [
    (MeetingForm, "held_at"),
    (FollowUpForm, "contacted_at"),
    (SessionForm, "starts_at"),
    (InviteForm, "valid_from"),
]


def alone(form_class: FormClass, name: str) -> type[forms.Form]:
    """A form holding only this field, so it renders and cleans as its own form would."""
    return type("Alone", (forms.Form,), {name: form_class.base_fields[name]})


def also(field: forms.Field, name: str) -> str:
    """The attributes Django adds after the picker's own: required, and the help text's id."""
    required = " required" if field.required else ""
    described = f' aria-describedby="id_{name}_helptext"' if field.help_text else ""
    return f'{required}{described} id="id_{name}"'


def ids(params: list[tuple[FormClass, str]]) -> list[str]:
    return [
        f"{form_class.__module__.split('.')[1]}.{form_class.__name__}.{name}" for form_class, name in params
    ]


@pytest.mark.parametrize(("form_class", "name"), DATE_FIELDS, ids=ids(DATE_FIELDS))
def test_a_date_field_is_a_date_picker_showing_and_reading_iso_dates(
    form_class: FormClass, name: str
) -> None:
    today = timezone.localdate()
    form = alone(form_class, name)(initial={name: today})
    html = str(form[name])
    value = today.isoformat()
    expected = f'<input type="date" name="{name}" value="{value}" min="2000-01-01"'
    assert html == expected + f"{also(form.fields[name], name)}>"
    typed = alone(form_class, name)(data={name: today.isoformat()})
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data[name] == today


@pytest.mark.parametrize(("form_class", "name"), DATETIME_FIELDS, ids=ids(DATETIME_FIELDS))
def test_a_moment_field_is_a_date_and_time_picker_showing_and_reading_iso_minutes(
    form_class: FormClass, name: str
) -> None:
    today = timezone.localdate()
    moment = timezone.make_aware(datetime.combine(today, time(9, 30)))
    form = alone(form_class, name)(initial={name: moment})
    html = str(form[name])
    shown = f"{today.isoformat()}T09:30"
    assert html == (
        f'<input type="datetime-local" name="{name}" value="{shown}" min="2000-01-01T00:00"'
        f"{also(form.fields[name], name)}>"
    )
    typed = alone(form_class, name)(data={name: shown})
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data[name] == moment


def own_date_widgets(source: str) -> list[tuple[int, str]]:
    """Each class built on a Django date widget, each call that makes one from Django's (by module
    attribute, `forms.DateInput(...)`, or by a name imported from Django), and each `attrs` that
    turns another input into a picker (`{"type": "date"}`), by line."""
    tree = ast.parse(source)
    from_django = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django")
        for alias in node.names
        if alias.name in WIDGETS
    }

    def named(node: ast.expr) -> str | None:
        if isinstance(node, ast.Attribute) and node.attr in WIDGETS:
            return node.attr
        if isinstance(node, ast.Name) and node.id in from_django:
            return node.id
        return None

    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            found.extend(
                (node.lineno, f"class {node.name}({name})") for base in node.bases if (name := named(base))
            )
        elif isinstance(node, ast.Call) and (name := named(node.func)):
            found.append((node.lineno, f"{name}(...)"))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "type"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and value.value in PICKER_TYPES
                ):
                    found.append((node.lineno, f'"type": "{value.value}"'))
    return sorted(found)


def test_no_module_outside_lib_defines_or_builds_its_own_date_widget() -> None:
    offences = [
        f"{path.relative_to(APPS.parent)}:{line} {what}"
        for path in sorted(APPS.rglob("*.py"))
        if LIB not in path.parents and "migrations" not in path.parts
        for line, what in own_date_widgets(path.read_text())
    ]
    assert offences == []


def test_the_scan_finds_date_widgets_made_outside_lib() -> None:
    source = (
        "from django import forms\n"
        "from django.forms.widgets import DateTimeInput as Moment\n"
        "DATE = forms.DateInput(attrs={'type': 'date'}, format='%Y-%m-%d')\n"
        "class Local(forms.DateTimeInput):\n"
        "    input_type = 'datetime-local'\n"
        "WHEN = Moment()\n"
        "DAY = forms.TextInput(attrs={'type': 'date'})\n"
    )
    assert own_date_widgets(source) == [
        (3, '"type": "date"'),
        (3, "DateInput(...)"),
        (4, "class Local(DateTimeInput)"),
        (6, "Moment(...)"),
        (7, '"type": "date"'),
    ]


def test_the_scan_lets_the_shared_widgets_be_used() -> None:
    source = "from carecommons.lib.dates import DateInput\nWIDGET = DateInput()\n"
    assert own_date_widgets(source) == []
