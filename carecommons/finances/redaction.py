"""Pseudonymising a person in the wording of the books, and nothing else (decision 0010).

Only erasure calls this (people/erasure.py). The database lets a posted transaction's description
and counterparty change and refuses every other column and every entry (migration 0005), so the
amounts, dates and accounts of the books stay exactly as they were."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.finances.models import Transaction
from carecommons.lib.mentions import scrub
from carecommons.people.models import Person

WORDING = ("description", "counterparty")


@transaction.atomic
def pseudonymise_ledger_text(
    *, person: Person, mentions: Sequence[str], pseudonym: str, by: User | None
) -> int:
    """Replace every whole-word mention of the person (names, email, phone) in transactions'
    wording with the pseudonym, one audit event (ids only) per transaction; how many changed."""
    needles = [m for m in mentions if m.strip()]
    match = Q(pk__in=[])
    for needle in needles:
        for name in WORDING:
            match |= Q(**{f"{name}__icontains": needle})
    changed = 0
    for txn in Transaction.objects.filter(match).only("pk", "uuid", *WORDING).order_by("pk"):
        values = {}
        for name in WORDING:
            limit = getattr(Transaction._meta.get_field(name), "max_length", None)
            values[name] = scrub(getattr(txn, name), needles, pseudonym)[:limit]
        fields = sorted(name for name, value in values.items() if value != getattr(txn, name))
        if not fields:
            continue
        Transaction.objects.filter(pk=txn.pk).update(**{name: values[name] for name in fields})
        record_event(
            actor=by,
            action="finances.ledger_text_pseudonymised",
            target=txn,
            detail={"person": str(person.uuid), "fields": fields},
        )
        changed += 1
    return changed
