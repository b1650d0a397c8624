"""The pages above the three money apps: the host view and the reversal of a transaction."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.finances import services
from carecommons.finances.models import Balance, GroupRole
from carecommons.finances.tests.factories import account, join, make_group
from carecommons.people.models import Person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_a_treasurer_reverses_a_mistake_and_both_stay_in_the_ledger(treasurer, client_for) -> None:
    group = make_group()
    join(group, treasurer, GroupRole.TREASURER)
    txn = services.record_donation(group=group, amount_pence=700, occurred_on=TODAY, by=None)
    client = client_for(treasurer)
    url = reverse("finances:transaction_reverse", args=[group.uuid, txn.uuid])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Entered twice"})
    assert response.status_code == 302
    assert client.post(url, {"reason": "Again"}).status_code == 400
    ledger = client.get(reverse("finances:ledger", args=[group.uuid])).content.decode()
    assert "Anonymous donation" in ledger and "Reversal of" in ledger
    assert Balance.objects.get(account=account(group, "Bank account")).pence == 0


def test_the_host_sees_each_groups_totals_in_a_constant_number_of_queries(treasurer, client_for) -> None:
    host = services.create_host(name="Northern Fiscal Host", by=None)
    host.staff.add(Person.objects.get(user=treasurer))
    client = client_for(treasurer)
    url = reverse("finances:host_detail", args=[host.uuid])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first = make_group("Ardwick Mutual Aid", host=host)
    services.record_donation(group=first, amount_pence=1_000, occurred_on=TODAY, by=None)
    few = count()
    for n in range(12):
        group = make_group(f"Group {n:02d}", host=host)
        services.record_donation(group=group, amount_pence=100 * (n + 1), occurred_on=TODAY, by=None)
    assert count() == few
    page = client.get(url).content.decode()
    assert "Ardwick Mutual Aid" in page and "£10.00" in page
    assert "Anonymous donation" not in page  # no ledger lines


def test_someone_not_on_a_hosts_staff_cannot_see_its_groups(outsider, client_for) -> None:
    host = services.create_host(name="Northern Fiscal Host", by=None)
    make_group("Ardwick Mutual Aid", host=host)
    assert client_for(outsider).get(reverse("finances:host_detail", args=[host.uuid])).status_code == 404
