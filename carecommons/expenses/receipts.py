"""Which receipt files we accept: photos (JPEG, PNG, WebP, HEIC) and PDFs, known by their first
bytes rather than their name, since phones and apps name photos in many ways. The file is stored
under a new name with the extension and content type its contents earned, so the name it came with
never decides how it is served."""

from dataclasses import dataclass

HEAD_BYTES = 32
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str


JPEG = Kind("JPEG photo", "image/jpeg", ".jpg")
PNG = Kind("PNG image", "image/png", ".png")
WEBP = Kind("WebP image", "image/webp", ".webp")
HEIC = Kind("HEIC photo", "image/heic", ".heic")
PDF = Kind("PDF", "application/pdf", ".pdf")
ALLOWED = "a photo (JPEG, PNG, WebP or HEIC) or a PDF"


class ReceiptProblem(ValueError):
    """The file cannot be kept as a receipt; the message says why in plain words."""


def kind_of(head: bytes) -> Kind | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return HEIC
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def check_receipt(name: str, head: bytes, size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> Kind:
    """The kind of receipt this is, or ReceiptProblem. `head`: the file's first HEAD_BYTES bytes."""
    called = f"“{name}”" if name else "The file"
    if size == 0:
        raise ReceiptProblem(f"{called} is empty.")
    if size > max_bytes:
        raise ReceiptProblem(
            f"{called} is {megabytes(size)}; the largest receipt allowed is {megabytes(max_bytes)}. "
            "Take the photo at a lower size, or scan it again."
        )
    kind = kind_of(head)
    if kind is None:
        raise ReceiptProblem(f"{called} is not {ALLOWED}.")
    return kind
