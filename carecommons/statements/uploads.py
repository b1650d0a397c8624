"""Is this upload a bank statement we can read? Judged by its contents, not its name alone."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from carecommons.lib.spreadsheets import ACCEPTED_CONTENT_TYPES, UploadError, decode_upload

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
SUFFIXES = (".csv", ".txt")
DELIMITERS = (",", ";", "\t")


def max_bytes() -> int:
    return int(getattr(settings, "STATEMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_problem(*, filename: str, size: int, content_type: str = "") -> str | None:
    if not filename.lower().endswith(SUFFIXES):
        return "Choose a CSV file (its name ends in .csv). Most banks offer “Download as CSV”."
    if content_type.split(";")[0].strip().lower() not in ACCEPTED_CONTENT_TYPES:
        return "This file is not a CSV file. Download the statement from your bank as CSV and upload that."
    if size > max_bytes():
        return (
            f"This file is {filesizeformat(size)}; the largest statement you can import is "
            f"{filesizeformat(max_bytes())}. Download a shorter period from your bank."
        )
    if size == 0:
        return "This file is empty."
    return None


def decode_statement(raw: bytes) -> str:
    """The text of a CSV file: UTF-8, or Windows-1252 as some banks still export. Raises UploadError
    for anything else: a spreadsheet, a PDF, a web page, binary data."""
    if raw.lstrip().startswith(b"%PDF"):
        raise UploadError("This is a PDF. Download the statement from your bank as CSV instead.")
    try:
        text = decode_upload(raw)
    except UploadError:
        if raw.startswith(b"PK\x03\x04") or b"\x00" in raw:
            raise
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise UploadError(
                "This file is not text we can read. Download the statement from your bank as CSV."
            ) from None
    if text.lstrip().startswith("<"):
        raise UploadError("This is a web page or an Excel file, not CSV. Download the statement as CSV.")
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:10_000]):
        raise UploadError("This file holds binary data, not text. Download the statement as CSV.")
    if not any(delimiter in text[:10_000] for delimiter in DELIMITERS):
        raise UploadError("This file has no columns: a CSV file separates them with commas.")
    return text
