"""Staff are warned, and /health says so, when no worker is running to send emails and run imports."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.home import heartbeat
from carecommons.home.models import WorkerHeartbeat
from carecommons.people.services import create_organisation
from carecommons.people.tasks import reindex_organisation_people

WARNING = "the background worker is not running"
ClientFor = Callable[[User], Client]


@pytest.fixture
def database_tasks(settings: Any) -> None:
    """As in a real installation: tasks wait in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queue_a_task() -> None:
    organisation = create_organisation(by=None, name="Gorton Parents Together", kind="grassroots")
    reindex_organisation_people.enqueue(organisation.pk)


def worker_beat(*, minutes_ago: int = 0) -> None:
    heartbeat.beat(worker_id="worker-under-test", started_at=timezone.now())
    if minutes_ago:
        WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=minutes_ago))


def home_page(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("database_tasks")
def test_convenor_is_warned_when_no_worker_has_run_and_a_task_is_waiting(
    convenor: User, client_for: ClientFor
) -> None:
    queue_a_task()

    page = home_page(client_for(convenor))

    assert WARNING in page
    assert "It has not run on this site yet." in page
    assert "carecommons worker" in page


@pytest.mark.usefixtures("database_tasks")
@pytest.mark.parametrize("persona", ["facilitator", "organiser", "treasurer"])
def test_other_staff_are_warned_about_a_missing_worker_too(
    persona: str, make_persona: Callable[[str], User], client_for: ClientFor
) -> None:
    queue_a_task()

    assert WARNING in home_page(client_for(make_persona(persona)))


@pytest.mark.usefixtures("database_tasks")
def test_participant_and_signed_out_visitor_are_not_warned_about_the_worker(
    participant: User, client_for: ClientFor
) -> None:
    queue_a_task()

    assert WARNING not in home_page(client_for(participant))
    assert WARNING not in home_page(Client())


@pytest.mark.usefixtures("database_tasks")
def test_a_fresh_heartbeat_removes_the_warning(convenor: User, client_for: ClientFor) -> None:
    queue_a_task()
    worker_beat()

    assert WARNING not in home_page(client_for(convenor))


@pytest.mark.usefixtures("database_tasks")
def test_a_worker_last_seen_over_ten_minutes_ago_is_warned_about_with_nothing_waiting(
    convenor: User, client_for: ClientFor
) -> None:
    worker_beat(minutes_ago=11)

    page = home_page(client_for(convenor))

    assert WARNING in page
    assert "It was last seen 11\xa0minutes ago" in page


@pytest.mark.usefixtures("database_tasks")
def test_a_worker_seen_nine_minutes_ago_is_still_counted_as_running(
    convenor: User, client_for: ClientFor
) -> None:
    worker_beat(minutes_ago=9)

    assert WARNING not in home_page(client_for(convenor))


@pytest.mark.usefixtures("database_tasks")
def test_a_new_site_with_nothing_queued_and_no_worker_yet_shows_no_warning(
    convenor: User, client_for: ClientFor
) -> None:
    assert WARNING not in home_page(client_for(convenor))


def test_no_warning_when_tasks_run_at_once_without_a_worker(convenor: User, client_for: ClientFor) -> None:
    worker_beat(minutes_ago=60)

    assert WARNING not in home_page(client_for(convenor))


@pytest.mark.usefixtures("database_tasks")
def test_the_worker_check_costs_one_query_and_is_remembered_for_a_few_seconds(db: None) -> None:
    worker_beat(minutes_ago=30)

    with CaptureQueriesContext(connection) as first:
        assert heartbeat.remembered_status().warn
    with CaptureQueriesContext(connection) as second:
        assert heartbeat.remembered_status().warn

    assert (len(first), len(second)) == (1, 0)


@pytest.mark.usefixtures("database_tasks")
def test_health_reports_a_missing_worker_as_degraded_and_fails_only_monitors_that_require_it(
    db: None,
) -> None:
    queue_a_task()
    client = Client()

    response = client.get("/health")
    required = client.get("/health?worker=required")

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "degraded",
        "database": "ok",
        "worker": "missing",
        "worker_last_seen_seconds": None,
        "tasks_waiting": 1,
    }
    assert required.status_code == 503
    assert "no-store" in response["Cache-Control"]


@pytest.mark.usefixtures("database_tasks")
def test_health_reports_a_stale_worker_with_the_age_of_its_last_heartbeat(db: None) -> None:
    worker_beat(minutes_ago=20)

    report = json.loads(Client().get("/health").content)

    assert report["worker"] == "missing"
    assert 20 * 60 <= report["worker_last_seen_seconds"] < 21 * 60


@pytest.mark.usefixtures("database_tasks")
def test_health_reports_a_running_worker_as_ok(db: None) -> None:
    worker_beat()
    client = Client()

    report = json.loads(client.get("/health").content)

    assert report["status"] == "ok"
    assert report["worker"] == "ok"
    assert report["worker_last_seen_seconds"] < 60
    assert client.get("/health?worker=required").status_code == 200


def test_a_second_beat_of_the_same_worker_updates_its_one_row(db: None) -> None:
    started = timezone.now() - timedelta(hours=1)
    heartbeat.beat(worker_id="worker-under-test", started_at=started)
    WorkerHeartbeat.objects.update(beat_at=started)

    heartbeat.beat(worker_id="worker-under-test", started_at=started)

    row = WorkerHeartbeat.objects.get()
    assert row.started_at == started
    assert row.beat_at > started
