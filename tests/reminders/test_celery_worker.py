"""A real Celery worker, over the real broker (Redis in CI), refreshes a student's nudges.

The other tests call the tasks' code directly; this one checks the wiring a student relies on:
settings → broker → worker process → database. It needs PostgreSQL (the worker, another
process, must see the test's committed rows) and a broker it can reach."""

import datetime
import time

import pytest

from reminders.models import Nudge
from reminders.tasks import refresh_chunk
from tests.factories import ContactFactory, InteractionFactory, UserFactory
from tests.reminders.celery_process import celery_worker


@pytest.fixture
def worker(db):
    with celery_worker() as queue:
        yield queue


@pytest.mark.django_db(transaction=True)
def test_a_worker_takes_the_refresh_from_the_broker_and_stores_the_nudges(worker):
    student = UserFactory(email="worker@example.edu")
    today = datetime.date(2027, 8, 2)
    contact = ContactFactory(owner=student, name="Dr. Rao")
    InteractionFactory(owner=student, contact=contact, date=today, kind="meeting")

    refresh_chunk.apply_async(args=[[student.pk], today.isoformat()], queue=worker)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Nudge.objects.filter(owner=student, kind="thank_you", contact=contact).exists():
            break
        time.sleep(0.5)
    nudge = Nudge.objects.get(owner=student, kind="thank_you", contact=contact)
    assert nudge.due == today + datetime.timedelta(days=2)
