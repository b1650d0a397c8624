"""Erasing a person leaves their name, email and phone nowhere: what the law or the books keep is
kept under a pseudonym."""

import json
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.test import Client

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.expenses.models import ExpenseState, Receipt
from carecommons.finances.figures import problems_in_books
from carecommons.finances.models import Transaction
from carecommons.lib.mentions import scrub
from carecommons.people.erasure import pseudonym
from carecommons.people.models import ErasureRequest, ErasureStatus, Person
from carecommons.people.tests.everywhere import EMAIL, NAME, PHONE, Everywhere, make_everywhere

pytestmark = pytest.mark.django_db

# Rows that stay pointing at the pseudonymised person, each for a reason erasure.py gives.
KEPT_RELATIONS = {
    "expenses_submitted",
    "expense_approvals",
    "conversations_held",
    "introductions",
    "conversation_follow_ups",
    "erasure_requests",
}


def text_values(model: type[models.Model]) -> list[tuple[str, Any, str]]:
    """(column, pk, value as text) of every text column of every row, encrypted ones decrypted."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]
    found = []
    for row in model._base_manager.all():
        for field in fields:
            value = getattr(row, field.attname)
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            found.append((field.column, row.pk, text or ""))
    return found


def mentions() -> set[tuple[str, str, Any]]:
    needles = [NAME.lower(), EMAIL.lower(), PHONE.lower()]
    hits = set()
    for model in apps.get_models():
        for column, pk, text in text_values(model):
            if any(needle in text.lower() for needle in needles):
                hits.add((model._meta.db_table, column, pk))
    return hits


def test_mentions_are_replaced_as_whole_words_in_text_lists_and_keys() -> None:
    needles = ["Ann Lee", "ann@example.org"]
    value = {
        "Ann Lee": ["met ANN LEE today", "Joann Leeds", "write to jo.ann@example.org or ann@example.org."]
    }
    assert scrub(value, needles, "Erased person 1") == {
        "Erased person 1": [
            "met Erased person 1 today",
            "Joann Leeds",
            "write to jo.ann@example.org or Erased person 1.",
        ]
    }


def ask_and_erase(world: Everywhere) -> ErasureRequest:
    own = Client()
    own.force_login(world.user)
    url = f"/people/{world.person.uuid}/erase/"
    own.post(url)
    own.post(url, {"confirm": "yes"})
    request = ErasureRequest.objects.get(person=world.person)
    convenor = Client()
    convenor.force_login(world.staff)
    detail = f"/people/erasure-requests/{request.uuid}/"
    assert "cannot be undone" in convenor.post(detail, {"reason": "They asked in person"}).content.decode()
    response = convenor.post(detail, {"reason": "They asked in person", "confirm": "yes"})
    assert response.status_code == 302
    request.refresh_from_db()
    return request


def test_the_scan_finds_the_person_everywhere_before_erasure() -> None:
    make_everywhere()
    tables = {table for table, _column, _pk in mentions()}
    assert {"people_person", "listening_conversation", "measures_followup", "expenses_expense"} <= tables
    assert {
        "programmes_session",
        "networks_snapshotnode",
        "transfers_importbatch",
        "people_personmerge",
    } <= tables


def ledger_facts(transactions: Any) -> dict[int, tuple[Any, ...]]:
    """Everything about each transaction but its wording."""
    return {
        t.pk: (
            t.occurred_on,
            t.kind,
            t.posted,
            t.group_id,
            sorted(t.entries.values_list("account_id", "amount_pence")),
        )
        for t in transactions
    }


def test_the_audit_log_holds_none_of_their_name_email_or_phone_even_before_erasure() -> None:
    make_everywhere()
    assert AuditEvent.objects.filter(actor__email=EMAIL).exists()
    assert {table for table, _column, _pk in mentions()}.isdisjoint({"audit_auditevent", "audit_chainhead"})


def test_after_erasure_their_name_email_and_phone_are_nowhere_in_any_text_column() -> None:
    world = make_everywhere()
    named = set(Transaction.objects.filter(counterparty=NAME).values_list("pk", flat=True))
    named |= set(Transaction.objects.filter(description__contains=NAME).values_list("pk", flat=True))
    request = ask_and_erase(world)
    assert request.status == ErasureStatus.ERASED
    assert mentions() == set()
    kept = {item["what"]: item["count"] for item in request.receipt["kept"]}
    assert kept["ledger entries that name you"] == len(named) == 2


def test_ledger_entries_and_audit_events_are_kept_under_the_pseudonym() -> None:
    world = make_everywhere()
    named = Transaction.objects.filter(counterparty=NAME) | Transaction.objects.filter(
        description__contains=NAME
    )
    before = ledger_facts(named)
    events = AuditEvent.objects.count()
    ask_and_erase(world)
    person = Person.objects.get(pk=world.person.pk)
    after = Transaction.objects.filter(pk__in=before)
    assert len(before) == 2 and ledger_facts(after) == before
    assert all(pseudonym(person) in f"{t.counterparty} {t.description}" for t in after)
    redactions = AuditEvent.objects.filter(action="finances.ledger_text_pseudonymised")
    assert {e.target_id for e in redactions} == {str(t.uuid) for t in after}
    assert all(e.detail["person"] == str(person.uuid) and e.actor_id == world.staff.pk for e in redactions)
    assert AuditEvent.objects.count() > events


def test_erasure_keeps_the_person_as_a_pseudonym_and_nothing_else_of_theirs() -> None:
    world = make_everywhere()
    ask_and_erase(world)
    person = Person.objects.get(pk=world.person.pk)
    assert person.display_name == pseudonym(person)
    assert (person.email, person.phone, person.postal_address, person.user_id) == ("", "", "", None)
    for relation in Person._meta.related_objects:
        accessor = relation.get_accessor_name()
        if accessor in KEPT_RELATIONS or accessor is None:
            continue
        assert not getattr(person, accessor).exists(), accessor
    user = User.objects.get(pk=world.user.pk)
    assert not user.is_active and not user.has_usable_password() and EMAIL not in user.email


def test_after_erasure_the_books_balance_and_the_audit_chain_holds() -> None:
    world = make_everywhere()
    ask_and_erase(world)
    assert problems_in_books() == []
    call_command("check_audit", verbosity=0)


def test_erasure_waits_while_a_safeguarding_follow_up_is_open(convenor: User) -> None:
    from carecommons.measures.tests.factories import PHQ9_RISK, answer, invite
    from carecommons.people.erasure import erase_person, request_erasure

    person = Person.objects.get(user=convenor)
    answer(invite(person), "phq9", PHQ9_RISK)
    request = request_erasure(person=person, by=None)
    client = Client()
    client.force_login(convenor)
    page = client.get(f"/people/erasure-requests/{request.uuid}/").content.decode()
    assert "safeguarding follow-up about them is still open" in page
    with pytest.raises(Exception, match="still open"):
        erase_person(person=person, by=None, reason="Asked")
    assert Person.objects.get(pk=person.pk).email == convenor.email


def test_erasure_waits_while_an_expense_claim_of_theirs_waits_to_be_approved_or_paid() -> None:
    from carecommons.expenses.tests.factories import make_expense, make_group, member
    from carecommons.people.erasure import erase_person, plan_for

    group = make_group()
    claimant = member(group)
    person = Person.objects.get(user=claimant)
    make_expense(group, claimant)
    assert plan_for(person).blockers == [
        "An expense claim of theirs is waiting to be approved or paid: settle or cancel it first."
    ]
    with pytest.raises(Exception, match="waiting to be approved or paid"):
        erase_person(person=person, by=None, reason="Asked")
    assert Person.objects.get(pk=person.pk).email == claimant.email


def test_the_erase_person_command_erases_through_the_same_service() -> None:
    world = make_everywhere()
    out = StringIO()
    call_command("erase_person", EMAIL, reason="Asked by letter", yes=True, stdout=out)
    assert "keep 2 ledger entries that name you" in out.getvalue()
    request = ErasureRequest.objects.get(person=world.person)
    assert request.status == ErasureStatus.ERASED and request.reason == "Asked by letter"
    assert mentions() == set()


def test_receipts_of_claims_never_paid_go_with_their_files_and_paid_ones_stay(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = make_everywhere()
    receipts = Receipt.objects.filter(expense__submitted_by=world.person)
    paid = receipts.get(expense__state=ExpenseState.PAID)
    draft = receipts.exclude(expense__state=ExpenseState.PAID).get()
    assert default_storage.exists(draft.file.name) and default_storage.exists(paid.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        ask_and_erase(world)
    assert not default_storage.exists(draft.file.name) and default_storage.exists(paid.file.name)
    assert list(Receipt.objects.filter(expense__submitted_by=world.person)) == [paid]


def test_the_request_page_says_what_is_kept_is_kept_under_the_pseudonym_and_why() -> None:
    world = make_everywhere()
    own = Client()
    own.force_login(world.user)
    page = own.get(f"/people/{world.person.uuid}/erase/").content.decode()
    assert f"kept under the pseudonym “{pseudonym(world.person)}”" in page
    assert "the audit log, which holds only ids" in page
    assert "Your name in their wording is replaced by the pseudonym" in page
