"""Northside Mutual Aid's money for the demo: a year of donations and cash, a food grant, about 150
expenses in every state, budgets, a treasurer rotation and a bank statement to reconcile — all
through the same services the pages use, so the books balance because the ledger says so."""

import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.expenses import services as expenses
from carecommons.expenses.models import Expense
from carecommons.finances import services as finances
from carecommons.finances.models import Account, AccountPurpose, Entry, Group, GroupRole
from carecommons.finances.portable import decimal_pounds
from carecommons.lib.dates import add_months
from carecommons.people.models import Organisation, Person
from carecommons.statements import services as statements
from carecommons.statements.csvformat import DateFormat, Mapping

HOST = "Greater Manchester Community Fund"
SLUG = "northside-mutual-aid"
DONORS = ["Corner Shop on Rochdale Road", "St Chad's Parish", "Harpurhey Running Club", "Moston Bakery"]
WHAT = {
    "Food and essentials": [
        "Food parcel shopping",
        "Nappies and baby milk",
        "Fresh veg for the Tuesday lunch",
    ],
    "Travel": ["Bus fares to the hospital", "Taxi to the food bank", "Petrol for deliveries"],
    "Phone and data": ["Phone top-up", "Data for job applications"],
    "Utilities and bills": ["Electricity top-up", "Gas top-up"],
    "Medicine and prescriptions": ["Prescription charge"],
    "Running costs": ["Printing leaflets", "Hall hire"],
}
# About 150 claims over the year: settled ones (paid, rejected, cancelled) spread through it, and
# the open ones (approved, waiting for approval, drafts) in the last few weeks, as in a real group.
SETTLED = ["paid"] * 118 + ["rejected"] * 6 + ["cancelled"] * 5
OPEN = ["approved"] * 10 + ["submitted"] * 9 + ["draft"] * 4
GIFTS = [500, 1000, 1500, 2000, 2500, 5000, 10000]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def account(group: Group, name: str) -> Account:
    return Account.objects.get(group=group, name=name)


def load_money(*, convenor: User, organisation: Organisation, logins: dict[str, User]) -> Group:
    """`logins` by demo persona: treasurer, member, approver, approver2 (their people exist)."""
    rng = random.Random(20261202)
    today = timezone.localdate()
    host = finances.create_host(name=HOST, by=convenor)
    host.staff.add(Person.objects.get(user=convenor))
    group = finances.create_group(
        name="Northside Mutual Aid", slug=SLUG, by=convenor, host=host, organisation=organisation,
        approval_threshold_pence=5_000, approvals_over_threshold=2, treasurer_term_months=3,
    )  # fmt: skip
    finances.update_policy(
        group=group, by=convenor, public_page=True,
        public_intro="Neighbours helping neighbours in North Manchester since 2020. Every penny in the open.",
    )  # fmt: skip
    roles(group, organisation, logins, today, convenor)
    treasurer = logins["treasurer"]
    income(group, treasurer, today, rng)
    spend(group, logins, today, rng)
    for name, pence in (("Food and essentials", 120_000), ("Travel", 25_000), ("Phone and data", 10_000)):
        finances.set_budget(
            group=group, category=account(group, name), starts_on=date(today.year, 1, 1),
            ends_on=date(today.year, 12, 31), amount_pence=pence, by=treasurer,
        )  # fmt: skip
    statement(group, treasurer, today)
    return group


def roles(group: Group, organisation: Organisation, logins: dict[str, User], today: date, by: User) -> None:
    people = Person.objects.filter(affiliations__organisation=organisation).distinct()
    year_ago = today - timedelta(days=365)
    for person in people:
        finances.add_member(group=group, person=person, role=GroupRole.MEMBER, by=by, starts_on=year_ago)
    # The treasurer role rotates: Sophie served three months, then handed over to Declan.
    sophie = people.get(given_name="Sophie")
    started = add_months(today, -4)
    finances.add_member(
        group=group, person=sophie, role=GroupRole.TREASURER, by=by, starts_on=started,
        ends_on=add_months(started, 3),
    )  # fmt: skip
    declan = Person.objects.get(user=logins["treasurer"])
    handover = add_months(started, 3)
    finances.add_member(
        group=group, person=declan, role=GroupRole.TREASURER, by=by, starts_on=handover,
        ends_on=add_months(handover, 3),
    )  # fmt: skip
    for key in ("approver", "approver2", "treasurer"):
        finances.add_member(
            group=group, person=Person.objects.get(user=logins[key]), role=GroupRole.APPROVER, by=by,
            starts_on=year_ago,
        )  # fmt: skip


def income(group: Group, treasurer: User, today: date, rng: random.Random) -> None:
    collector = Person.objects.get(given_name="Kwame", family_name="Asante")
    for week in range(52, 0, -1):
        day = today - timedelta(weeks=week, days=rng.randrange(7))
        for _ in range(rng.choice([1, 1, 2])):
            named = rng.random() < 0.25
            finances.record_donation(
                group=group, amount_pence=rng.choice(GIFTS), occurred_on=day,
                by=treasurer, donor=rng.choice(DONORS) if named else "", donor_public=named,
            )  # fmt: skip
        if week % 4 == 0:
            finances.record_cash(
                group=group, amount_pence=rng.randint(40, 180) * 100 + rng.choice([0, 50]), occurred_on=day,
                collected_by=collector, by=treasurer,
            )  # fmt: skip
    food_and_travel = [account(group, "Food and essentials"), account(group, "Travel")]
    fund = finances.create_fund(
        group=group, name="Winter food grant", by=treasurer, categories=food_and_travel,
        conditions="Manchester Community Foundation: food, and travel to collect it, this winter only.",
    )  # fmt: skip
    finances.record_grant(
        group=group, fund=fund, amount_pence=300_000, occurred_on=today - timedelta(days=70),
        funder="Manchester Community Foundation", by=treasurer,
    )  # fmt: skip
    mistake = finances.record_donation(
        group=group,
        amount_pence=20_000,
        occurred_on=today - timedelta(days=20),
        by=treasurer,
        donor="Moston Bakery",
    )
    finances.reverse_transaction(
        txn=mistake, reason="Entered twice", by=treasurer, on=today - timedelta(days=19)
    )


def spend(group: Group, logins: dict[str, User], today: date, rng: random.Random) -> None:
    claimants = [logins["member"], logins["member"], logins["approver"], logins["approver2"]]
    approvers = [logins["approver"], logins["approver2"], logins["treasurer"]]
    treasurer, bank = logins["treasurer"], Account.objects.for_purpose(group, AccountPurpose.BANK)
    fund = group.funds.get()
    settled, still_open = list(SETTLED), list(OPEN)
    rng.shuffle(settled)
    rng.shuffle(still_open)
    for n, state in enumerate(settled + still_open):
        category = rng.choices(list(WHAT), weights=[50, 20, 10, 8, 5, 7])[0]
        recent = n >= len(settled)
        spent_on = today - timedelta(days=rng.randrange(1, 30) if recent else rng.randrange(8, 360))
        claimant = claimants[n % len(claimants)]
        in_fund = category in ("Food and essentials", "Travel") and spent_on > today - timedelta(days=60)
        pence = rng.choice([350, 780, 1200, 1650, 2400, 3200, 4500, 6800, 9500])
        expense = expenses.create_expense(
            group=group, by=claimant, amount_pence=pence, category=account(group, category),
            description=rng.choice(WHAT[category]), spent_on=spent_on,
            fund=fund if in_fund and state == "paid" else None,
            public_label="A family we support" if category == "Food and essentials" and n % 3 == 0 else "",
            payee_name=claimant.display_name, payee_sort_code="04-00-04",
            payee_account_number=f"{10000000 + n}",
            receipts=[SimpleUploadedFile(f"receipt-{n}.pdf", PDF)] if n % 5 == 0 else [],
            submit=state != "draft",
        )  # fmt: skip
        if state in ("draft", "submitted"):
            continue
        if state == "cancelled":
            expenses.cancel_expense(expense=expense, by=claimant)
            continue
        if state == "rejected":
            expenses.reject_expense(
                expense=expense, by=approver_for(approvers, claimant), reason="No receipt; please add one."
            )
            continue
        approve(expense, approvers, claimant)
        if state == "paid":
            expenses.pay_expense(
                expense=expense, by=treasurer, account=bank,
                paid_on=min(spent_on + timedelta(days=rng.randrange(1, 5)), today),
            )  # fmt: skip


def approver_for(approvers: list[User], claimant: User) -> User:
    return next(user for user in approvers if user != claimant)


def approve(expense: Expense, approvers: list[User], claimant: User) -> None:
    needed = expense.group.approvals_needed(expense.amount_pence)
    for user in [user for user in approvers if user != claimant][:needed]:
        expenses.approve_expense(expense=expense, by=user)


def statement(group: Group, treasurer: User, today: date) -> None:
    """The bank's CSV for the last two months: every ledger movement on the bank account, plus a
    bank charge the ledger does not have yet; then suggestions, a few of them confirmed."""
    since = today - timedelta(days=60)
    rows = ["Date,Description,Amount,Balance"]
    bank = Account.objects.for_purpose(group, AccountPurpose.BANK)
    entries = (
        Entry.objects.filter(account=bank, transaction__posted=True)
        .filter(transaction__occurred_on__gte=since)
        .select_related("transaction")
        .order_by("transaction__occurred_on", "id")
    )
    for entry in entries:
        words = "FASTER PAYMENT" if entry.amount_pence > 0 else "CARD PAYMENT"
        amount = decimal_pounds(entry.amount_pence)
        rows.append(f"{entry.transaction.occurred_on:%d/%m/%Y},{words} {entry.pk},{amount},")
    rows.append(f"{today - timedelta(days=3):%d/%m/%Y},MONTHLY ACCOUNT FEE,-5.00,")
    mapping = Mapping(
        date="Date", description="Description", amount="Amount", date_format=DateFormat.DMY_SLASH
    )
    checked = statements.check_statement(
        group=group, account=bank, filename="northside-bank-last-2-months.csv",
        raw_bytes="\n".join(rows).encode(), mapping=mapping, by=treasurer,
    )  # fmt: skip
    imported = statements.run_import(statement=checked, skip_bad_rows=False, by=treasurer)
    for line in imported.lines.filter(match__isnull=False).order_by("occurred_on", "id")[:10]:
        statements.confirm_match(line=line, by=treasurer)
