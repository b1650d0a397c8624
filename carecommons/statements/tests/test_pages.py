import re
from datetime import date, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.audit.models import AuditEvent
from carecommons.finances import services as books
from carecommons.finances.models import Entry, GroupRole
from carecommons.finances.tests.factories import held, join
from carecommons.statements import services
from carecommons.statements.models import ImportStatus, Match, StatementImport, StatementLine
from carecommons.statements.tests.factories import bank, check, imported, statement_csv, treasurers_group

pytestmark = pytest.mark.django_db

NOVEMBER = [
    ("01/11/2026", "Gift from Ann", "25.00", "125.00"),
    ("03/11/2026", "TESCO STORES", "-12.49", "112.51"),
]


def submission_key(html: str) -> str:
    return re.search(r'name="submission" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def upload_data(key: str, raw: bytes, **mapping: str) -> dict[str, object]:
    return {
        "submission": key,
        "file": SimpleUploadedFile("november.csv", raw, content_type="text/csv"),
        "has_header": "on",
        "skip_lines": "0",
        "date": "Date",
        "date_format": "dd/mm/yyyy",
        "description": "Description",
        "amount": "Amount",
        "balance": "Balance",
        **mapping,
    }


def test_a_treasurer_checks_a_statement_sees_its_problems_and_imports_the_good_lines(
    treasurer, client_for
) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    books.record_donation(group=group, amount_pence=2500, occurred_on=date(2026, 10, 30), by=None)
    client = client_for(treasurer)
    upload_url = reverse("statements:statement_upload", args=[group.uuid])
    page = client.get(upload_url, {"account": str(bank(group).uuid)}).content.decode()
    assert 'value="Amount"' in page
    raw = statement_csv([*NOVEMBER, ("04/11/2026", "Bus", "2.50p", "")])
    data = upload_data(submission_key(page), raw, account=str(bank(group).uuid))
    response = client.post(upload_url, data)
    statement = StatementImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{statement.uuid}/check/")
    review = client.get(response["Location"]).content.decode()
    assert "The amount &#x27;2.50p&#x27; is not an amount of money" in review
    assert "<td>4</td>" in review and "Gift from Ann" in review
    assert not StatementLine.objects.exists()
    response = client.post(response["Location"], {"action": "import", "skip_bad_rows": "on"})
    detail = client.get(response["Location"], follow=True)
    html = detail.content.decode()
    assert "Suggested matches to check (1)" in html and "Not matched (1)" in html
    assert StatementLine.objects.count() == 2


def test_the_same_upload_sent_twice_makes_one_dry_run(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    client = client_for(treasurer)
    url = reverse("statements:statement_upload", args=[group.uuid])
    key = submission_key(client.get(url).content.decode())
    for _ in range(2):
        response = client.post(url, upload_data(key, statement_csv(NOVEMBER), account=str(bank(group).uuid)))
        assert response.status_code == 302
    assert StatementImport.objects.count() == 1


def test_an_upload_that_is_not_csv_is_refused_beside_the_file_field(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    client = client_for(treasurer)
    url = reverse("statements:statement_upload", args=[group.uuid])
    data = upload_data("", b"%PDF-1.4 binary", account=str(bank(group).uuid))
    html = client.post(url, data).content.decode()
    assert "This is a PDF" in html
    data = upload_data("", statement_csv(NOVEMBER), account=str(bank(group).uuid), amount="", paid_in="In")
    assert "Give both paid in and paid out." in client.post(url, data).content.decode()
    assert not StatementImport.objects.exists()


def test_the_mapping_can_be_changed_on_the_dry_run_page(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    statement = check(group, b"When,What,Money\n2026-11-01,Gift,5.00\n", by=treasurer)
    client = client_for(treasurer)
    url = reverse("statements:statement_review", args=[group.uuid, statement.uuid])
    assert "there is no column called" in client.get(url).content.decode().lower()
    data = {"action": "recheck", "skip_lines": "0", "has_header": "on", "date": "1", "description": "What",
            "amount": "Money", "date_format": "yyyy-mm-dd"}  # fmt: skip
    client.post(url, data)
    statement.refresh_from_db()
    assert statement.new_line_count == 1 and statement.mapping["date"] == "1"


def test_confirming_and_rejecting_through_the_page_are_audited_and_a_double_click_does_nothing(
    treasurer, client_for
) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    books.record_donation(group=group, amount_pence=2500, occurred_on=date(2026, 11, 1), by=None)
    books.record_donation(group=group, amount_pence=1000, occurred_on=date(2026, 11, 1), by=None)
    statement = imported(group, statement_csv([*NOVEMBER, ("02/11/2026", "Gift", "10.00", "")]), by=treasurer)
    client = client_for(treasurer)
    gift_ann = StatementLine.objects.get(description="Gift from Ann")
    gift = StatementLine.objects.get(description="Gift")
    confirm = reverse("statements:match_confirm", args=[group.uuid, statement.uuid, gift_ann.pk])
    for _ in range(2):
        response = client.post(confirm, {"show": "suggested", "page": "1"})
        assert response.status_code == 302 and response["Location"].endswith("?show=suggested&page=1")
    reject = reverse("statements:match_reject", args=[group.uuid, statement.uuid, gift.pk])
    client.post(reject)
    client.post(reject)
    actions = AuditEvent.objects.filter(target_id=str(statement.uuid), actor=treasurer).values_list(
        "action", flat=True
    )
    assert list(actions).count("statements.match_confirmed") == 1
    assert list(actions).count("statements.match_rejected") == 1
    assert Match.objects.get().line == gift_ann and not Match.objects.filter(line=gift).exists()


def test_a_treasurer_picks_the_entry_for_an_unmatched_line_from_a_short_list(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    statement = imported(group, statement_csv(NOVEMBER))
    txn = books.record_donation(group=group, amount_pence=2400, occurred_on=date(2026, 11, 20), by=None)
    entry = Entry.objects.get(transaction=txn, account=bank(group))
    line = StatementLine.objects.get(description="Gift from Ann")
    client = client_for(treasurer)
    url = reverse("statements:line_match", args=[group.uuid, statement.uuid, line.pk])
    page = client.get(url).content.decode()
    assert "20 Nov 2026 · Anonymous donation · £24.00" in page
    assert client.post(url, {"entry": "999999"}).status_code == 400
    response = client.post(url, {"entry": str(entry.pk), "show": "unmatched"})
    assert response.status_code == 302
    assert Match.objects.get(line=line).entry == entry
    assert StatementLine.objects.get(pk=line.pk).reconciled


def test_the_reconciliation_page_compares_closing_balance_with_the_ledger(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    books.record_donation(group=group, amount_pence=10000, occurred_on=date(2026, 10, 1), by=None)
    statement = imported(group, statement_csv(NOVEMBER))
    html = client_for(treasurer).get(
        reverse("statements:statement_detail", args=[group.uuid, statement.uuid])
    )
    text = html.content.decode()
    assert "Closing balance on the statement (3 Nov 2026): £112.51" in text
    assert "The ledger says £100.00" in text
    assert "They differ by £12.51" in text


def test_the_reconciliation_page_runs_the_same_number_of_queries_for_few_and_many_lines(
    treasurer, client_for
) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    client = client_for(treasurer)
    counts = []
    for size, name in ((3, "few.csv"), (60, "many.csv")):
        start = date(2026, 1, 1) if size == 3 else date(2026, 6, 1)
        days = [start + timedelta(days=n) for n in range(size)]
        for day in days[::2]:
            books.record_donation(group=group, amount_pence=700, occurred_on=day, by=None)
        rows = [(f"{day:%d/%m/%Y}", f"Gift {n}", "7.00", "") for n, day in enumerate(days)]
        statement = imported(group, statement_csv(rows), filename=name)
        suggested = StatementLine.objects.filter(statement=statement, match__isnull=False).first()
        assert suggested is not None and services.confirm_match(line=suggested, by=treasurer)
        url = reverse("statements:statement_detail", args=[group.uuid, statement.uuid])
        for show in ("suggested", "unmatched", "confirmed"):
            client.get(url, {"show": show})
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, {"show": show}).status_code == 200
            counts.append(len(queries))
    assert counts[:3] == counts[3:]


def test_the_list_shows_each_statement_with_its_unmatched_lines(treasurer, client_for) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    imported(group, statement_csv(NOVEMBER), filename="november.csv")
    check(group, statement_csv([("01/12/2026", "Gift", "1.00", "")]), filename="december.csv")
    html = client_for(treasurer).get(reverse("statements:statement_list", args=[group.uuid])).content.decode()
    assert "november.csv" in html and "december.csv" in html
    assert '<span class="table-note">2 lines not matched</span>' in html
    assert StatementImport.objects.filter(status=ImportStatus.DRY_RUN).count() == 1


def test_members_former_treasurers_and_other_groups_treasurers_get_404(
    treasurer, participant, convenor, client_for
) -> None:  # type: ignore[no-untyped-def]
    group = treasurers_group(treasurer)
    join(group, participant, GroupRole.APPROVER)
    TOTP.activate(participant, generate_totp_secret())  # an approver signs in with a second factor
    statement = imported(group, statement_csv(NOVEMBER))
    line = StatementLine.objects.first()
    assert line is not None
    held(group, GroupRole.TREASURER).update(starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31))
    treasurers_group(convenor, name="Another group")
    args = [group.uuid, statement.uuid]
    urls = [
        ("get", reverse("statements:statement_list", args=[group.uuid])),
        ("get", reverse("statements:statement_upload", args=[group.uuid])),
        ("get", reverse("statements:statement_detail", args=args)),
        ("get", reverse("statements:statement_review", args=args)),
        ("post", reverse("statements:suggest_again", args=args)),
        ("post", reverse("statements:match_confirm", args=[*args, line.pk])),
        ("post", reverse("statements:match_reject", args=[*args, line.pk])),
        ("get", reverse("statements:line_match", args=[*args, line.pk])),
    ]
    for user in (treasurer, participant, convenor):
        client = client_for(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (user, url)


def test_discarding_an_upload_asks_first_and_only_the_yes_discards_it(treasurer, client_for) -> None:
    group = treasurers_group(treasurer)
    statement = check(group, statement_csv(NOVEMBER))
    url = reverse("statements:statement_review", args=[group.uuid, statement.uuid])
    client = client_for(treasurer)
    asked = client.post(url, {"action": "discard"})
    page = asked.content.decode()
    assert asked.status_code == 200 and "Yes, discard this upload" in page and "No, go back" in page
    assert 'name="action" value="discard"' in page
    assert StatementImport.objects.get().status == ImportStatus.DRY_RUN
    client.post(url, {"action": "discard", "confirm": "yes"})
    assert StatementImport.objects.get().status == ImportStatus.DISCARDED


def test_a_file_mixing_decimal_marks_asks_how_amounts_are_written_and_reads_it_once_told(
    treasurer, client_for
) -> None:
    group = treasurers_group(treasurer)
    client = client_for(treasurer)
    upload_url = reverse("statements:statement_upload", args=[group.uuid])
    page = client.get(upload_url).content.decode()
    assert "Amounts are written" in page
    raw = b'Date,Description,Amount\n01/11/2026,Rent,-400.50\n02/11/2026,Gift,"12,50"\n'
    data = upload_data(submission_key(page), raw, account=str(bank(group).uuid), balance="")
    review = client.get(client.post(upload_url, data)["Location"]).content.decode()
    assert "so we cannot tell how to read them: choose how amounts are written." in review
    statement = StatementImport.objects.get()
    recheck = {**data, "action": "recheck", "decimal_mark": ","}
    del recheck["file"], recheck["submission"], recheck["account"]
    client.post(reverse("statements:statement_review", args=[group.uuid, statement.uuid]), recheck)
    statement.refresh_from_db()
    assert statement.mapping["decimal_mark"] == "," and statement.readable and statement.good_row_count == 1
