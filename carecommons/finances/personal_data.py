"""What group money holds about a person: memberships, host staff places, and ledger entries whose
wording names them, kept for six years with the name replaced on erasure (decision 0026)."""

from typing import Any

from django.db.models import Q, QuerySet

from carecommons.finances.models import Host, Membership, Transaction
from carecommons.finances.redaction import pseudonymise_ledger_text
from carecommons.people.holdings import Collector, Erasing, Holding, Kept, Row, names_of, row
from carecommons.people.models import Person


def memberships(person: Person) -> list[Row]:
    groups = [
        row(group=m.group.name, role=m.get_role_display(), starts_on=m.starts_on, ends_on=m.ends_on)
        for m in Membership.objects.filter(person=person).select_related("group")
    ]
    return groups + [row(host_staff_of=h.name) for h in Host.objects.filter(staff=person)]


def ledger_mentions(person: Person) -> Q:
    """Ledger transactions whose text names them (a donation, cash they collected)."""
    query = Q(pk__in=[])
    for name in names_of(person):
        query |= Q(counterparty__iexact=name) | Q(description__icontains=name)
    return query


def donations(person: Person) -> list[Row]:
    return [
        row(
            group=t.group.name,
            occurred_on=t.occurred_on,
            kind=t.get_kind_display(),
            description=t.description,
            named_as=t.counterparty,
            named_in_public=t.counterparty_public,
        )
        for t in Transaction.objects.filter(ledger_mentions(person), posted=True).select_related("group")
    ]


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [("group memberships", Membership.objects.filter(person=person))]


def unlink(person: Person, erasing: Erasing) -> None:
    Host.staff.through.objects.filter(person_id=person.pk).delete()
    pseudonymise_ledger_text(
        person=person, mentions=erasing.mentions, pseudonym=erasing.pseudonym, by=erasing.by
    )


MONEY_TITLE = "Group money: memberships and approvals"
LEDGER_NOTE = "Entries in a group's books whose text names you, such as a donation or cash you collected."
LEDGER_REASON = (
    "Accounting records must be kept for six years (Charities Act 2011 s.131, HMRC), and the "
    "database refuses any change to their amounts, dates and accounts, so the books can always be "
    "trusted. Your name in their wording is replaced by the pseudonym; nothing else changes."
)

PERSONAL_DATA = Holding(
    covers=("host.staff", "membership.person"),
    sections=(
        Collector("money", MONEY_TITLE, memberships),
        Collector("donations", "Donations and other entries that name you", donations, LEDGER_NOTE),
    ),
    deleted=deleted,
    kept=(
        Kept(
            "ledger",
            "ledger entries that name you",
            lambda person: Transaction.objects.filter(ledger_mentions(person)).count(),
            LEDGER_REASON,
        ),
    ),
    unlink=unlink,
)
