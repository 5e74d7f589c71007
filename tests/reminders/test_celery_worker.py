"""A real Celery worker, over the real broker (Redis in CI), refreshes a student's nudges.

The other tests call the tasks' code directly; this one checks the wiring a student relies on:
settings → broker → worker process → database. It needs PostgreSQL (the worker, another
process, must see the test's committed rows) and a broker it can reach."""

import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reminders.models import Nudge
from reminders.tasks import refresh_chunk
from tests.factories import ContactFactory, InteractionFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(db):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (REDIS_URL), as in CI")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "crm", "worker", "--pool=solo", "-Q", queue,
         "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    yield queue
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output[-3000:])  # shown when the test fails


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
