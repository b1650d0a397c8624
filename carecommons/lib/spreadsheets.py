"""Spreadsheet safety and reading for every CSV the site writes or takes in. No database access.

Cells we write are guarded against formula injection (OWASP "CSV injection") and read back exactly;
uploads must be UTF-8 CSV text; records carry the physical line a spreadsheet shows, so every
problem can say where it is. The formats themselves (people, groups, bank statements) live in
their apps and read through here.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHOWN_LENGTH = 40
ACCEPTED_CONTENT_TYPES = frozenset(
    {
        "",
        "text/csv",
        "text/plain",
        "text/x-csv",
        "text/comma-separated-values",
        "application/csv",
        "application/x-csv",
        # Windows labels .csv files as Excel; some browsers send no better guess than octet-stream.
        # The content itself is checked by decode_upload either way.
        "application/vnd.ms-excel",
        "application/octet-stream",
    }
)


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str

    def as_dict(self) -> dict[str, int | str]:
        return {"line": self.line, "reason": self.reason}


class UploadError(ValueError):
    """The upload is not a UTF-8 CSV file; the message says so in plain words."""


class CsvReadError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


def guard(value: str) -> str:
    """Make a cell safe to open in a spreadsheet; unguard() gives the original back exactly."""
    return "'" + value if value.lstrip("'")[:1] in FORMULA_TRIGGERS else value


def csv_text(header: Sequence[str], records: Iterable[Sequence[object]]) -> str:
    """CSV text, a header then the records, every cell guarded (the header is ours and safe)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for record in records:
        writer.writerow([guard(str(cell)) for cell in record])
    return out.getvalue()


def unguard(value: str) -> str:
    if value.startswith("'") and value.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def upload_problem(*, filename: str, size: int, max_bytes: int, content_type: str = "") -> str | None:
    if not filename.lower().endswith(".csv"):
        return "Choose a file whose name ends in .csv. Save spreadsheets as “CSV UTF-8” first."
    if content_type.split(";")[0].strip().lower() not in ACCEPTED_CONTENT_TYPES:
        return "This file is not a CSV file. Save your spreadsheet as “CSV UTF-8” and upload that."
    if size > max_bytes:
        return (
            f"This file is {filesizeformat(size)}; the largest file you can import is "
            f"{filesizeformat(max_bytes)}. Split it into smaller files."
        )
    if size == 0:
        return "This file is empty."
    return None


def decode_upload(raw: bytes) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise UploadError("This looks like an Excel or zip file. Save it as “CSV UTF-8” and upload that.")
    if b"\x00" in raw:
        raise UploadError("This file holds binary data, not text. Upload a CSV file saved as “CSV UTF-8”.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError(
            "This file is not saved as UTF-8 text. In your spreadsheet choose “CSV UTF-8” when saving."
        ) from None


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    if "," not in first_line:
        for candidate in (";", "\t"):
            if candidate in first_line:
                return candidate
    return ","


def read_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(physical line where the record starts, its cells) for each record with something in it.

    Raises CsvReadError if the CSV itself cannot be read (an unclosed quote, a huge field).
    """
    source = io.StringIO(text.removeprefix("\ufeff"), newline="")
    reader = csv.reader(source, delimiter=_delimiter(text), strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = f"the file cannot be read from here on: {plain(error)}"
            raise CsvReadError(Problem(start, reason)) from None
        # A guarded blank ("'" before a tab) is still blank: our own export must read back the same.
        if any(unguard(cell).strip() for cell in cells):
            yield start, cells
        start = reader.line_num + 1


def plain(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return 'a value opens a quote mark (") that is never closed'
    if "expected after" in message:
        return 'a closing quote mark (") is followed by more text in the same value'
    if "field larger than field limit" in message:
        return "a value is far too long"
    return message


def normalise_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def shown(value: str) -> str:
    return f"'{value[:SHOWN_LENGTH]}…'" if len(value) > SHOWN_LENGTH else f"'{value}'"


def read_table(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The column names (normalised) and the records under them, for a file whose first line names
    its columns. Raises CsvReadError when the file cannot be read or is empty."""
    records = list(read_records(text))
    if not records:
        raise CsvReadError(Problem(1, "the file is empty; the first line must name the columns"))
    (_, header_cells), *data = records
    return [normalise_header(name) for name in header_cells], data
