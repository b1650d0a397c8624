"""Checks on who is paid: UK bank details as people type them, and a public label that must not
give the payee away. Pure, so the form and the service say the same thing."""

import re

_SEPARATORS = re.compile(r"[\s\-–]")


class PayeeProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def clean_sort_code(typed: str) -> str:
    """'12 34 56', '12-34-56' or '123456' → '12-34-56'; empty stays empty."""
    digits = _SEPARATORS.sub("", typed)
    if not digits:
        return ""
    if not re.fullmatch(r"\d{6}", digits):
        raise PayeeProblem("payee_sort_code", "A sort code is six numbers, like 12-34-56.")
    return f"{digits[:2]}-{digits[2:4]}-{digits[4:]}"


def clean_account_number(typed: str) -> str:
    digits = _SEPARATORS.sub("", typed)
    if not digits:
        return ""
    if not re.fullmatch(r"\d{8}", digits):
        raise PayeeProblem("payee_account_number", "An account number is eight numbers, like 31926819.")
    return digits


def clean_bank_details(sort_code: str, account_number: str) -> tuple[str, str]:
    sort_code, account_number = clean_sort_code(sort_code), clean_account_number(account_number)
    if sort_code and not account_number:
        raise PayeeProblem("payee_account_number", "Give the account number as well as the sort code.")
    if account_number and not sort_code:
        raise PayeeProblem("payee_sort_code", "Give the sort code as well as the account number.")
    return sort_code, account_number


# Words in many shops' and groups' names that say nothing about who someone is.
COMMON_WORDS = frozenset(
    {"and", "the", "for", "from", "with", "shop", "shops", "store", "stores", "bank", "food"}
    | {"community", "group", "limited", "ltd", "services"}
)


def clean_public_label(label: str, *names: str) -> str:
    """The label must not hold any of these names (the payee's, the claimant's), nor any telling
    word of them (two letters or more: "Jo" counts)."""
    label = " ".join(label.split())
    said = label.casefold()
    words = set(re.findall(r"\w+", said))
    for name in (" ".join(n.casefold().split()) for n in names):
        telling = {w for w in re.findall(r"\w+", name) if len(w) > 1 and w not in COMMON_WORDS}
        if (name and name in said) or telling & words:
            raise PayeeProblem(
                "public_label",
                "This uses the name of the person paid or of the person who claimed. Choose words "
                "that do not say who they are, like “A volunteer driver”, or leave it empty.",
            )
    return label
