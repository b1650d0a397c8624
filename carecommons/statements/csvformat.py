"""Reading a bank statement CSV with the columns a person chose. Pure: no database access.

Every bank lays its export out differently, so nothing here assumes a layout: a `Mapping` names the
columns (by their heading or their number), the date format and whether a heading line comes first.
Amounts are read exactly as pence; a line the mapping cannot read is reported with its line number
and a reason in plain words, never guessed at.
"""

import re
from collections import Counter
from collections.abc import Mapping as MappingType
from dataclasses import asdict, dataclass, field, fields
from datetime import date

from django.db import models
from django.utils import timezone

from carecommons.lib.dates import EARLIEST_RECORD, DateBounds
from carecommons.lib.money import COMMA, POINT, AmountError, detect_decimal_mark, parse_pence
from carecommons.lib.spreadsheets import CsvReadError, Problem, read_records, shown, unguard

DESCRIPTION_LENGTH = 300
PREVIEW_LINES = 5
# Banks list payments a few days ahead (standing orders due); nothing before the project's time.
LINE_DATES = DateBounds(earliest=EARLIEST_RECORD, days_ahead=7)


class DateFormat(models.TextChoices):
    DMY_SLASH = "dd/mm/yyyy", "DD/MM/YYYY (31/01/2026)"
    ISO = "yyyy-mm-dd", "YYYY-MM-DD (2026-01-31)"
    DMY_DASH = "dd-mm-yyyy", "DD-MM-YYYY (31-01-2026)"
    DAY_MONTH_NAME = "dd mon yyyy", "DD Mon YYYY (31 Jan 2026)"


MONTHS = {
    name: n
    for n, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_NUMERIC_DATE = {
    DateFormat.DMY_SLASH: re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    DateFormat.ISO: re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    DateFormat.DMY_DASH: re.compile(r"^(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})$"),
}


class DecimalMark(models.TextChoices):
    AUTO = "auto", "Find out from the file"
    POINT = POINT, "1,234.56 (a point before the pence)"
    COMMA = COMMA, "1.234,56 or 1 234,56 (a comma before the pence)"


# "-1234.50": digits, the mark and two digits, as most banks export; read as pence directly. Nine
# digits of pounds at most, so never past money.MAX_PENCE.
_PLAIN_AMOUNT = {mark: re.compile(rf"-?\d{{1,9}}{re.escape(mark)}\d\d\Z") for mark in (POINT, COMMA)}
_NAMED_MONTH = re.compile(r"^(?P<d>\d{1,2})[ -](?P<m>[a-z]{3,9})[ -](?P<y>\d{4})$")


@dataclass(frozen=True)
class Mapping:
    """Where each value is. A column is its heading as the file spells it or its number from 1;
    `description` may join several with "+". Either `amount` (money out negative) or both
    `paid_in` and `paid_out`."""

    date: str
    description: str
    amount: str = ""
    paid_in: str = ""
    paid_out: str = ""
    balance: str = ""
    date_format: str = DateFormat.DMY_SLASH
    has_header: bool = True
    skip_lines: int = 0
    decimal_mark: str = DecimalMark.AUTO

    def as_dict(self) -> dict[str, str | bool | int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: MappingType[str, object]) -> "Mapping":
        known = {f.name for f in fields(cls)}
        return cls(**{name: value for name, value in values.items() if name in known})  # type: ignore[arg-type]


DEFAULT_MAPPING = Mapping(date="Date", description="Description", amount="Amount")


@dataclass(frozen=True)
class Line:
    line: int
    occurred_on: date
    description: str
    amount_pence: int
    balance_pence: int | None = None
    occurrence: int = 0

    @property
    def key(self) -> tuple[date, int, str, int]:
        """What makes a bank line the same line in two overlapping statements."""
        return (self.occurred_on, self.amount_pence, self.description, self.occurrence)


@dataclass
class CheckedStatement:
    lines: list[Line] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mapping_problems: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    row_count: int = 0
    closing_balance_pence: int | None = None

    @property
    def bad_lines(self) -> set[int]:
        return {problem.line for problem in self.problems}

    @property
    def starts_on(self) -> date | None:
        return min((line.occurred_on for line in self.lines), default=None)

    @property
    def ends_on(self) -> date | None:
        return max((line.occurred_on for line in self.lines), default=None)


class DateReader:
    """Parses dates in one format and checks them against LINE_DATES, remembering each distinct
    text (statements repeat dates): (the date, None) or (None, the reason it cannot be right)."""

    def __init__(self, date_format: str, today: date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.format = DateFormat(date_format)
        self.written = self.format.label.split(" (")[0]
        self.seen: dict[str, tuple[date | None, str | None]] = {}

    def __call__(self, text: str) -> tuple[date | None, str | None]:
        if text not in self.seen:
            self.seen[text] = self.check(text, self.parse(text.strip().lower()))
        return self.seen[text]

    def check(self, text: str, day: date | None) -> tuple[date | None, str | None]:
        if day is None:
            return None, f"the date {shown(text)} is not a date written {self.written}"
        if LINE_DATES.problem(day, self.today):
            when = (
                f"before {LINE_DATES.earliest.year}"
                if day < LINE_DATES.earliest
                else f"more than {LINE_DATES.days_ahead} days ahead"
            )
            return None, f"the date {shown(text)} is {when}, so it cannot be right"
        return day, None

    def parse(self, text: str) -> date | None:
        if self.format == DateFormat.DAY_MONTH_NAME:
            match = _NAMED_MONTH.match(text)
            month = MONTHS.get(match["m"][:3]) if match else None
        else:
            match = _NUMERIC_DATE[self.format].match(text)
            month = int(match["m"]) if match else None
        if match is None or month is None:
            return None
        try:
            return date(int(match["y"]), month, int(match["d"]))
        except ValueError:
            return None


def read_amount(text: str, decimal_mark: str = POINT) -> int:
    """'£1,234.50', '+12.00', '-3.5', '£-3.50' → pence, exactly; with a comma mark '1.234,50',
    '-12,50', '12,50 €'. Raises AmountError."""
    if _PLAIN_AMOUNT[decimal_mark].match(text):  # most cells: the same pence, without the detours
        return int(text.replace(decimal_mark, ""))
    cleaned = "".join(text.replace("£", "").replace("€", "").split())
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    return parse_pence(cleaned, allow_negative=True, decimal_mark=decimal_mark)


def normalise_heading(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).lower()


def collapse(text: str) -> str:
    return " ".join(text.split())


def column_index(reference: str, headings: list[str] | None, what: str) -> tuple[int | None, str | None]:
    """(0-based index, None) or (None, the reason it cannot be found)."""
    reference = reference.strip()
    if reference.isdigit():
        number = int(reference)
        if number < 1:
            return None, f"the {what} column number must be 1 or more"
        return number - 1, None
    if headings is None:
        return None, (
            f"the file has no line of column names, so give the {what} column as a number "
            "(1 for the first column)"
        )
    wanted = normalise_heading(reference)
    names = [normalise_heading(name) for name in headings]
    if wanted in names:
        return names.index(wanted), None
    listed = ", ".join(f"“{name}”" for name in headings if name.strip())
    return None, f"there is no column called “{reference}”; the columns are {listed}"


@dataclass(frozen=True)
class Columns:
    date: int
    description: tuple[int, ...]
    amount: int | None
    paid_in: int | None
    paid_out: int | None
    balance: int | None


def resolve(mapping: Mapping, headings: list[str] | None) -> tuple[Columns | None, list[str]]:
    reasons: list[str] = []

    def find(reference: str, what: str) -> int | None:
        if not reference.strip():
            return None
        index, reason = column_index(reference, headings, what)
        if reason:
            reasons.append(reason)
        return index

    parts = [part for part in mapping.description.split("+") if part.strip()]
    description = tuple(i for i in (find(part, "description") for part in parts) if i is not None)
    columns = Columns(
        date=find(mapping.date, "date") or 0,  # unused when not found: the reasons say why
        description=description,
        amount=find(mapping.amount, "amount"),
        paid_in=find(mapping.paid_in, "paid in"),
        paid_out=find(mapping.paid_out, "paid out"),
        balance=find(mapping.balance, "balance"),
    )
    if not mapping.date.strip():
        reasons.append("say which column holds the date")
    if not parts:
        reasons.append("say which column holds the description")
    if not mapping.amount.strip() and not (mapping.paid_in.strip() and mapping.paid_out.strip()):
        reasons.append("say which column holds the amount, or which hold paid in and paid out")
    return (None if reasons else columns), reasons


def cleaned(cells: list[str]) -> list[str]:
    """Each value without our export's formula guard and without spaces around it."""
    return [value.strip() if value[:1] != "'" else unguard(value).strip() for value in cells]


def columns_needed(columns: Columns) -> int:
    return max(i for i in (columns.date, *columns.description, columns.amount, columns.paid_in,
                           columns.paid_out) if i is not None)  # fmt: skip


def read_line(
    columns: Columns, reader: DateReader, line: int, cells: list[str], mark: str = POINT, needed: int = -1
) -> Line | list[str]:
    """The line, or the reasons it cannot be read, from `cleaned` cells. `needed`:
    columns_needed(columns), worked out once per file by check_statement."""
    if needed < 0:
        needed = columns_needed(columns)
    if needed >= len(cells):
        return [f"this line has {len(cells)} values but the mapping reads column {needed + 1}"]
    reasons = []
    occurred_on, date_reason = reader(cells[columns.date])
    if date_reason:
        reasons.append(date_reason)
    if len(columns.description) == 1:
        description = collapse(cells[columns.description[0]])[:DESCRIPTION_LENGTH]
    else:
        description = collapse(" ".join(cells[i] for i in columns.description))[:DESCRIPTION_LENGTH]
    amount, amount_reasons = read_money(columns, cells, mark)
    reasons.extend(amount_reasons)
    balance = None
    if (
        columns.balance is not None
        and columns.balance < len(cells)
        and (balance_text := cells[columns.balance])
    ):
        try:
            balance = read_amount(balance_text, mark)
        except AmountError:
            reasons.append(f"the balance {shown(balance_text)} is not an amount of money")
    if reasons or occurred_on is None or amount is None:
        return reasons
    return Line(line, occurred_on, description, amount, balance)


def example(mark: str, pence: str) -> str:
    return pence if mark == POINT else pence.replace(".", ",")


def read_money(columns: Columns, cells: list[str], mark: str = POINT) -> tuple[int | None, list[str]]:
    if columns.amount is not None:
        text = cells[columns.amount]
        if not text:
            return None, ["the amount is empty"]
        try:
            amount = read_amount(text, mark)
        except AmountError:
            return None, [
                f"the amount {shown(text)} is not an amount of money, like {example(mark, '-12.50')}"
            ]
        return (amount, []) if amount else (None, ["the amount is nothing (0.00)"])
    assert columns.paid_in is not None and columns.paid_out is not None
    paid = {}
    for what, index in (("paid in", columns.paid_in), ("paid out", columns.paid_out)):
        text = cells[index]
        try:
            paid[what] = abs(read_amount(text, mark)) if text else 0
        except AmountError:
            return None, [f"{what} {shown(text)} is not an amount of money, like {example(mark, '12.50')}"]
    if paid["paid in"] and paid["paid out"]:
        return None, ["both paid in and paid out have an amount; a line can only be one of them"]
    if not paid["paid in"] and not paid["paid out"]:
        return None, ["neither paid in nor paid out has an amount"]
    return paid["paid in"] - paid["paid out"], []


def closing_balance(lines: list[Line]) -> int | None:
    """The balance after the latest line. Files run oldest first or newest first; on the last day
    the line furthest in the file's own direction is the latest."""
    with_balance = [line for line in lines if line.balance_pence is not None]
    if not with_balance:
        return None
    newest_first = lines[0].occurred_on > lines[-1].occurred_on
    last_day = max(line.occurred_on for line in with_balance)
    on_last_day = [line for line in with_balance if line.occurred_on == last_day]
    return (on_last_day[0] if newest_first else on_last_day[-1]).balance_pence


def number_occurrences(lines: list[Line]) -> list[Line]:
    """Identical lines (same day, amount and words) are told apart by their order in the file."""
    seen: Counter[tuple[date, int, str]] = Counter()
    numbered = []
    for line in lines:
        key = (line.occurred_on, line.amount_pence, line.description)
        earlier = seen[key]
        if earlier:
            line = Line(
                line.line, line.occurred_on, line.description, line.amount_pence, line.balance_pence, earlier
            )
        numbered.append(line)
        seen[key] = earlier + 1
    return numbered


def decimal_mark_for(mapping: Mapping, columns: Columns, records: list[tuple[int, list[str]]]) -> str:
    """The mark before the pence: as the mapping says, or the one every amount in the file agrees
    on. AmountError when they disagree: the person chooses, since a wrong guess would misread
    amounts a hundred or a thousand times over."""
    if mapping.decimal_mark in (POINT, COMMA):
        return mapping.decimal_mark
    money = [i for i in (columns.amount, columns.paid_in, columns.paid_out, columns.balance) if i is not None]
    # Each distinct text once, in file order; of those like "12.50", which all say "point", the first
    # is enough to give the same answer, and the same examples when marks disagree.
    kept, plain_seen = [], False
    for text in dict.fromkeys(cells[i] for _, cells in records for i in money if i < len(cells)):
        if _PLAIN_AMOUNT[POINT].match(text):
            if plain_seen:
                continue
            plain_seen = True
        kept.append(text)
    return detect_decimal_mark(kept)


def check_statement(text: str, mapping: Mapping, today: date | None = None) -> CheckedStatement:
    """Every line the mapping reads, and every other line's number and reason. `today` bounds the
    dates (LINE_DATES); the local date when not given."""
    result = CheckedStatement()
    try:
        records = list(read_records(text))
    except CsvReadError as error:
        result.problems.append(error.problem)
        return result
    records = records[mapping.skip_lines :]
    if mapping.has_header and records:
        (_, result.headings), *records = records
    if not records:
        result.mapping_problems.append("the file has no lines with money in them")
        return result
    columns, result.mapping_problems = resolve(mapping, result.headings if mapping.has_header else None)
    if columns is None:
        return result
    records = [(number, cleaned(cells)) for number, cells in records]
    try:
        mark = decimal_mark_for(mapping, columns, records)
    except AmountError as error:
        result.mapping_problems.append(f"{error}: choose how amounts are written")
        return result
    result.row_count = len(records)
    reader = DateReader(mapping.date_format, today)
    needed = columns_needed(columns)
    good = []
    for number, cells in records:
        read = read_line(columns, reader, number, cells, mark, needed)
        if isinstance(read, Line):
            good.append(read)
        else:
            result.problems.extend(Problem(number, reason) for reason in read)
    result.lines = number_occurrences(good)
    result.closing_balance_pence = closing_balance(result.lines)
    return result
