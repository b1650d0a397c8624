"""What group money holds about a person: money roles, host staff places, and ledger entries whose
wording names them, kept for six years with the name replaced on erasure (decision 0026).

Memberships and money-role terms are the community group's rows (decision 0030), shown and erased
by `groups/personal_data.py`; this section names the money roles among them. The rows kept before
decision 0030 (`Membership`, read by nothing now) are still erased until a migration drops them."""

from typing import Any

from django.db.models import Q, QuerySet

from carecommons.finances.models import Host, Membership, Transaction
from carecommons.finances.redaction import pseudonymise_ledger_text
from carecommons.finances.roles import MONEY_POWERS
from carecommons.groups.models import RoleTerm
from carecommons.people.holdings import Collector, Erasing, Holding, Kept, Row, names_of, row
from carecommons.people.models import Person


def memberships(person: Person) -> list[Row]:
    terms = RoleTerm.objects.filter(
        person=person, role__powers__power__in=MONEY_POWERS, role__group__books__isnull=False
    ).distinct()
    groups = [
        row(group=t.role.group.name, role=t.role.name, starts_on=t.starts_on, ends_on=t.ends_on)
        for t in terms.select_related("role__group").order_by("starts_on", "id")
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
        for t in Transaction.objects.filter(ledger_mentions(person), posted=True).select_related(
            "group__group"
        )
    ]


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [("group money roles kept before groups named them", Membership.objects.filter(person=person))]


def unlink(person: Person, erasing: Erasing) -> None:
    Host.staff.through.objects.filter(person_id=person.pk).delete()
    pseudonymise_ledger_text(
        person=person, mentions=erasing.mentions, pseudonym=erasing.pseudonym, by=erasing.by
    )


MONEY_TITLE = "Group money: money roles and host staff places"
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
