"""Reminders that silently never arrive: the heartbeat, `manage.py health`, the staff status
page and the staff banner."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client

from reminders.email import health
from reminders.models import BeatTick, DigestRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
NOW = datetime.datetime(2027, 9, 6, 13, 30, tzinfo=UTC)


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff_client(at_now, client):
    staff = UserFactory(email="ops@example.edu", is_staff=True)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _tick(minutes_ago: int) -> None:
    health.record_tick(NOW - datetime.timedelta(minutes=minutes_ago))


def _health(capsys) -> tuple[int, str, str]:
    try:
        call_command("health")
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@time_machine.travel(NOW, tick=False)
def test_health_is_ok_when_the_scheduler_ticked_recently(capsys):
    _tick(minutes_ago=30)
    code, out, _ = _health(capsys)
    assert code == 0
    assert "OK: last scheduler tick 2027-09-06 13:00 UTC." in out


@time_machine.travel(NOW, tick=False)
def test_health_fails_and_says_why_when_no_tick_in_two_hours(capsys):
    _tick(minutes_ago=121)
    code, _, err = _health(capsys)
    assert code == 1
    assert "UNHEALTHY: No scheduler tick for 2 hours 1 minute (last at 2027-09-06 11:29 UTC)" in err


@time_machine.travel(NOW, tick=False)
def test_health_fails_when_the_scheduler_never_ticked(capsys):
    code, _, err = _health(capsys)
    assert code == 1 and "never ticked" in err


@time_machine.travel(NOW, tick=False)
def test_health_fails_on_failed_emails_in_the_last_run(capsys):
    _tick(minutes_ago=5)
    DigestRun.objects.create(started_at=NOW, finished_at=NOW, planned=3, sent=1, failed=2)
    code, _, err = _health(capsys)
    assert code == 1 and "2 weekly emails failed in the last run" in err
    # A later clean run clears it.
    DigestRun.objects.create(started_at=NOW + datetime.timedelta(minutes=1), finished_at=NOW)
    assert _health(capsys)[0] == 0


@time_machine.travel(NOW, tick=False)
def test_health_fails_on_a_run_that_never_finished(capsys):
    _tick(minutes_ago=5)
    DigestRun.objects.create(started_at=NOW - datetime.timedelta(hours=2), planned=4, sent=1)
    code, _, err = _health(capsys)
    assert code == 1 and "never finished" in err


def test_health_fails_when_the_database_is_unreachable(capsys, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "ensure_connection", refuse)
    code, _, err = _health(capsys)
    assert code == 1 and "The database is unreachable: connection refused" in err


def test_old_ticks_are_pruned():
    _tick(minutes_ago=60 * 24 * 8)
    _tick(minutes_ago=0)
    assert BeatTick.objects.count() == 1


def test_the_status_page_is_for_staff_only(student_client):
    response = Client().get("/ops/status/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert student_client.get("/ops/status/").status_code == 403


def test_the_status_page_shows_the_tick_the_last_run_and_the_queue(
    staff_client, settings, tmp_path
):
    queue = tmp_path / "queue"
    queue.mkdir()
    for number in range(3):
        (queue / f"{number}.msg").write_text("{}")
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(queue)}
    _tick(minutes_ago=10)
    DigestRun.objects.create(started_at=NOW, finished_at=NOW, planned=7, sent=6, failed=1)
    response = staff_client.get("/ops/status/")
    assert response.status_code == 200
    status = response.context["status"]
    assert status.last_tick_at == NOW - datetime.timedelta(minutes=10)
    assert (status.last_run.sent, status.last_run.failed) == (6, 1)
    assert status.queue_depth == 3 and status.broker == "filesystem"
    page = response.content.decode()
    assert "3 waiting" in page and "1 weekly email failed in the last run" in page


def test_queue_depth_reads_the_redis_list(settings):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.REDIS_URL = url
    settings.CELERY_TASK_DEFAULT_QUEUE = "advocate-test-digest-queue"
    client.delete(settings.CELERY_TASK_DEFAULT_QUEUE)
    client.rpush(settings.CELERY_TASK_DEFAULT_QUEUE, "a", "b")
    try:
        assert health.queue_depth() == 2
    finally:
        client.delete(settings.CELERY_TASK_DEFAULT_QUEUE)


def test_staff_see_a_warning_on_every_page_when_the_scheduler_stops(staff_client, client):
    _tick(minutes_ago=180)
    page = staff_client.get("/settings/").content.decode()
    assert "Weekly emails may not be going out." in page
    assert "No scheduler tick for 3 hours" in page
    student = UserFactory(email="plain@example.edu")
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    assert "Weekly emails may not be going out." not in client.get("/settings/").content.decode()
    _tick(minutes_ago=1)
    assert "may not be going out" not in staff_client.get("/settings/").content.decode()
