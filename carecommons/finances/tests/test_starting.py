import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.finances import services
from carecommons.finances.access import get_group_for_user, is_treasurer
from carecommons.finances.models import Group, GroupRole, Host
from carecommons.finances.roles import treasurer_term_months
from carecommons.finances.starting import import_groups, plan_import
from carecommons.finances.tests.factories import held
from carecommons.groups.models import RoleTerm
from carecommons.people.models import Person
from carecommons.people.services import create_person

pytestmark = pytest.mark.django_db
HEADER = (
    "name,slug,treasurer_email,treasurer_name,approval_threshold,approvals_over_threshold,"
    "treasurer_term_months\n"
)


def host_run_by(user: User) -> Host:
    host = services.create_host(name="Northern Fiscal Host", by=None)
    person = Person.objects.filter(user=user).first() or create_person(
        by=None, given_name="Host", family_name="Staff", email=user.email
    )
    Person.objects.filter(pk=person.pk).update(user=user)
    host.staff.add(person)
    return host


def groups_file(count: int, start: int = 0) -> str:
    rows = [
        f"Group {n:03d},group-{n:03d},t{n}@example.org,Treasurer {n},50,2,12\n"
        for n in range(start, start + count)
    ]
    return HEADER + "".join(rows)


def test_host_staff_start_a_group_whose_new_treasurer_is_invited(
    treasurer, client_for, django_capture_on_commit_callbacks
) -> None:
    host = host_run_by(treasurer)
    client = client_for(treasurer)
    detail = client.get(reverse("finances:host_detail", args=[host.uuid])).content.decode()
    url = reverse("finances:group_new", args=[host.uuid])
    assert f'href="{url}"' in detail and "Start a group" in detail
    form = {
        "name": "Ardwick Mutual Aid",
        "treasurer_email": "Nadia@Example.org",
        "approvals_over_threshold": "2",
    }
    refused = client.post(url, form)  # not in the directory and no name given
    assert refused.status_code == 400 and "give their name" in refused.content.decode()
    assert 'value="Ardwick Mutual Aid"' in refused.content.decode()  # what was typed is kept
    assert not Group.objects.filter(group__name="Ardwick Mutual Aid").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form | {"treasurer_name": "Nadia Rahman", "treasurer_term_months": "12"})
    assert response.status_code == 302
    group = Group.objects.get(group__name="Ardwick Mutual Aid")
    assert (group.host, group.slug, treasurer_term_months(group)) == (host, "ardwick-mutual-aid", 12)
    nadia = Person.objects.get(email="nadia@example.org")
    assert nadia.user is not None and is_treasurer(nadia.user, group)
    assert get_group_for_user(nadia.user, group.uuid) == group
    assert held(group, GroupRole.TREASURER).get(person=nadia).ends_on is not None
    assert [m.to for m in mail.outbox] == [["nadia@example.org"]]
    assert AuditEvent.objects.filter(action="finances.group_created", target_id=str(group.uuid)).exists()


def test_someone_not_on_the_hosts_staff_cannot_start_its_groups(treasurer, outsider, client_for) -> None:
    host = host_run_by(treasurer)
    for name in ("finances:group_new", "finances:groups_import"):
        url = reverse(name, args=[host.uuid])
        assert (
            client_for(outsider).post(url, {"name": "Sneaky", "treasurer_email": "x@example.org"}).status_code
            == 404
        )
    assert not Group.objects.exists()


def test_a_treasurer_already_in_the_directory_with_an_account_is_not_invited_again(
    treasurer, client_for
) -> None:
    host = host_run_by(treasurer)
    call_command(
        "create_group",
        "--host",
        str(host.uuid),
        "--name",
        "Levenshulme Pantry",
        "--treasurer",
        treasurer.email,
    )
    group = Group.objects.get(slug="levenshulme-pantry")
    assert is_treasurer(treasurer, group) and group.host == host
    assert User.objects.filter(email=treasurer.email).count() == 1 and mail.outbox == []
    with pytest.raises(CommandError, match="taken"):
        call_command(
            "create_group",
            "--host",
            host.name,
            "--name",
            "Levenshulme Pantry",
            "--treasurer",
            treasurer.email,
        )
    with pytest.raises(CommandError, match="No host"):
        call_command("create_group", "--host", "Nobody", "--name", "X", "--treasurer", treasurer.email)


def test_importing_a_hundred_groups_is_one_transaction_that_runs_again_without_duplicates(treasurer) -> None:
    host = host_run_by(treasurer)
    text = groups_file(100)
    with CaptureQueriesContext(connection) as few:
        plan_import(host=host, text=groups_file(3))
    with CaptureQueriesContext(connection) as many:
        plan = plan_import(host=host, text=text)
    assert len(many) == len(few)  # the dry run does not grow with the rows
    assert (len(plan.create), plan.invitations, plan.problems) == (100, 100, [])
    with CaptureQueriesContext(connection) as writing:
        import_groups(host=host, text=text, by=treasurer)
    assert len(writing) <= 100 * 100  # a bounded number per group, whatever the file
    assert Group.objects.filter(host=host).count() == 100
    assert RoleTerm.objects.filter(role__name="Treasurer").count() == 100
    again = import_groups(host=host, text=groups_file(101), by=treasurer)
    assert (len(again.create), len(again.already)) == (1, 100)
    assert Group.objects.count() == 101 and User.objects.filter(email__regex=r"^t[0-9]+@").count() == 101
    group = Group.objects.get(slug="group-007")
    assert (group.approval_threshold_pence, group.approvals_over_threshold) == (5_000, 2)


def test_a_file_with_bad_rows_reports_their_lines_and_writes_nothing(treasurer) -> None:
    host = host_run_by(treasurer)
    services.create_group(name="Elsewhere", slug="taken", by=None)
    text = groups_file(3) + (
        "Bad Threshold,,a@example.org,A,lots,,\n"
        "Taken,taken,b@example.org,B,,,\n"
        "No Email,,,,,,\n"
        "Group again,group-001,c@example.org,C,,,\n"
        "Nameless Treasurer,,nobody@example.org,,,,\n"
    )
    plan = plan_import(host=host, text=text)
    assert plan.bad_lines == [5, 6, 7, 8, 9]
    reasons = " ".join(p.reason for p in plan.problems)
    assert "approval_threshold" in reasons and "already used by another group" in reasons
    assert (
        "treasurer_email is empty" in reasons and "also on line 3" in reasons and "treasurer_name" in reasons
    )
    with pytest.raises(Exception, match="line"):
        import_groups(host=host, text=text, by=treasurer)
    assert (
        not Group.objects.filter(host=host).exists()
        and not Person.objects.filter(email="t0@example.org").exists()
    )


def test_the_import_page_shows_a_dry_run_and_starts_the_groups_once_confirmed(treasurer, client_for) -> None:
    host = host_run_by(treasurer)
    client = client_for(treasurer)
    url = reverse("finances:groups_import", args=[host.uuid])
    upload = SimpleUploadedFile("groups.csv", groups_file(2).encode(), content_type="text/csv")
    review = client.post(url, {"file": upload})
    page = review.content.decode()
    assert review.status_code == 200 and "nothing has been imported yet" in page and "Group 001" in page
    assert not Group.objects.exists()
    checked = re.search(r'name="checked" value="([^"]+)"', page)
    assert checked is not None
    assert client.post(url, {"checked": checked.group(1) + "x"}).status_code == 302  # tampered: refused
    assert not Group.objects.exists()
    assert client.post(url, {"checked": checked.group(1)}).status_code == 302
    assert client.post(url, {"checked": checked.group(1)}).status_code == 302  # sent twice
    assert Group.objects.filter(host=host).count() == 2
    assert AuditEvent.objects.filter(action="finances.groups_imported").count() == 2
    bad = SimpleUploadedFile("groups.xlsx", b"PK\x03\x04", content_type="application/vnd.ms-excel")
    assert "ends in .csv" in client.post(url, {"file": bad}).content.decode()


def test_the_import_command_checks_reports_and_imports(treasurer, tmp_path: Path) -> None:
    host = host_run_by(treasurer)
    good, bad = tmp_path / "groups.csv", tmp_path / "bad.csv"
    good.write_text(groups_file(2), encoding="utf-8")
    bad.write_text(HEADER + "Only a name,,,,,,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_groups", str(good), "--host", host.name, "--dry-run", stdout=out)
    assert "Would start 2 group(s)" in out.getvalue() and not Group.objects.exists()
    call_command("import_groups", str(good), "--host", str(host.uuid), stdout=out)
    assert Group.objects.count() == 2
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_groups", str(bad), "--host", host.name, stderr=err)
    assert "Line 2: treasurer_email is empty" in err.getvalue()
