"""Which session materials we accept: the file's own first bytes must match its name."""

from dataclasses import dataclass

ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Kind:
    content_type: str
    signatures: tuple[bytes, ...]  # empty: text, checked by decoding


KINDS = {
    ".pdf": Kind("application/pdf", (b"%PDF-",)),
    ".png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    ".pptx": Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,)),
    ".odt": Kind("application/vnd.oasis.opendocument.text", (ZIP,)),
    ".txt": Kind("text/plain", ()),
}


def allowed_names() -> str:
    return ", ".join(sorted(KINDS))


def check_material(name: str, head: bytes, size: int, max_bytes: int) -> tuple[str | None, str]:
    """(problem or None, content type). `head` is the file's first bytes (at least 1 KiB if it has them)."""
    if size == 0:
        return "The file is empty.", ""
    if size > max_bytes:
        return f"The file is {size // 1024:,} KB; the largest allowed is {max_bytes // 1024:,} KB.", ""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = KINDS.get(extension)
    if kind is None:
        return f"Files of this type cannot be shared here. Allowed: {allowed_names()}.", ""
    if kind.signatures and not head.startswith(kind.signatures):
        return f"This file's contents are not a real {extension} file.", ""
    if not kind.signatures:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            if len(head) < 1024:
                return "A .txt file must be plain text (UTF-8).", ""
    return None, kind.content_type
