"""A worker killed with SIGKILL in the middle of a refresh: its chunk is redone by another
worker within minutes, not lost until Redis' default visibility timeout (an hour).

Real processes: two Celery workers over Redis and PostgreSQL. The workers here run with a
visibility timeout of 3 s and a sweep every second (CELERY_VISIBILITY_TIMEOUT,
CELERY_RESTORE_INTERVAL) so the test takes seconds; production defaults are 300 s and 30 s."""

import datetime
import os
import signal

import pytest

from crm.celery import app
from reminders.models import Nudge
from tests.factories import ContactFactory, InteractionFactory, UserFactory
from tests.reminders.celery_process import KillableWorkers, wait_for, worker_env

TODAY = datetime.date(2027, 8, 2)


@pytest.fixture
def start_worker(db):
    env = worker_env(CELERY_VISIBILITY_TIMEOUT="3", CELERY_RESTORE_INTERVAL="1")
    workers = KillableWorkers(env)
    yield workers.queue, workers.start
    workers.stop()


@pytest.mark.django_db(transaction=True)
def test_a_chunk_whose_worker_is_killed_is_redone_by_another_worker(start_worker, tmp_path):
    queue, start = start_worker
    student = UserFactory(email="killed@example.edu")
    contact = ContactFactory(owner=student, name="Dr. Rao")
    InteractionFactory(owner=student, contact=contact, date=TODAY, kind="meeting")
    journal = tmp_path / "deliveries"

    first = start()
    app.send_task(
        "tests.refresh_after_a_pause",
        args=[[student.pk], TODAY.isoformat(), str(journal)],
        queue=queue,
    )
    wait_for(journal.exists, seconds=30, what="the first worker to take the task")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert not Nudge.objects.filter(owner=student).exists()

    second = start()
    wait_for(
        lambda: Nudge.objects.filter(owner=student, kind="thank_you", contact=contact).exists(),
        seconds=40,
        what="another worker to redo the killed worker's chunk",
    )

    deliveries = journal.read_text().split()
    assert deliveries[0] == str(first.pid)
    assert str(second.pid) in deliveries[1:]
