"""The crisis services every questionnaire page and the support page name (settings.CRISIS_SIGNPOSTING)."""

import re
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class CrisisService:
    name: str
    contact: str
    detail: str
    tel: str  # the number to dial, or "" when the contact is not a phone number


def dialable(contact: str) -> str:
    """The digits to dial when a contact is a phone number (three digits or more, not an email), else ""."""
    digits = re.sub(r"[^\d+]", "", contact)
    return digits if len(digits) >= 3 and "@" not in contact else ""


def crisis_services() -> list[CrisisService]:
    found = []
    for service in settings.CRISIS_SIGNPOSTING:
        contact = str(service.get("contact", ""))
        name, detail = str(service.get("name", "")), str(service.get("detail", ""))
        found.append(CrisisService(name=name, contact=contact, detail=detail, tel=dialable(contact)))
    return found
