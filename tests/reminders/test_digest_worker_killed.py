"""A worker SIGKILLed in the middle of a chunk of weekly emails: the chunk's redelivered task
takes over the rows the dead worker had claimed (the claims carry the task's id and their
heartbeat has expired), so every student gets exactly one email, within minutes rather than
after the 30-minute stale claim.

Real processes: Celery workers over Redis and PostgreSQL, the emails written by Django's file
backend. The timers are shortened a hundredfold: a visibility timeout of 3 s (production 300 s),
a claim expiry of 3 s (120 s) and a heartbeat every second (20 s), so "within 10 minutes"
becomes "within 6 s" of the redelivery; the bound below adds the second worker's start-up on a
busy machine, and is still far below the 30 minutes a stale claim waits."""

import datetime
import os
import signal
import time
from email import message_from_bytes
from pathlib import Path

import pytest

from crm.celery import app
from reminders.email import delivery
from reminders.models import Digest, DigestStatus
from tests.factories import UserFactory
from tests.reminders.celery_process import KillableWorkers, wait_for, worker_env

MONDAY_0800_CHICAGO = datetime.datetime(2026, 9, 7, 13, 0, tzinfo=datetime.UTC)


def _recipients(outbox: Path) -> list[str]:
    found = []
    for path in outbox.glob("*.log"):
        # The file backend writes each message followed by a line of dashes.
        for part in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if part.strip():
                found.append(message_from_bytes(part.strip())["To"])
    return found


@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_emails_are_sent_once_by_the_redelivered_task(tmp_path):
    students = [
        UserFactory(email=f"killed{n}@example.edu", timezone="America/Chicago") for n in range(6)
    ]
    outbox, journal = tmp_path / "outbox", tmp_path / "journal"
    outbox.mkdir()
    env = worker_env(
        CELERY_VISIBILITY_TIMEOUT="3",
        CELERY_RESTORE_INTERVAL="1",
        DIGEST_SMTP_TIMEOUT_SECONDS="1",
        DIGEST_CLAIM_HEARTBEAT_SECONDS="1",
        DIGEST_CLAIM_EXPIRY_SECONDS="3",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(outbox),
    )
    workers = KillableWorkers(env, prefix="test-digest-killed")
    queue, start = workers.queue, workers.start

    try:
        run, plan = delivery.start_run(now=MONDAY_0800_CHICAGO, trigger="command")
        assert len(plan.to_send) == len(students)
        first = start()
        app.send_task(
            "tests.send_digests_pausing_midway",
            args=[run.pk, plan.to_send, str(journal)],
            queue=queue,
        )
        wait_for(
            lambda: journal.exists() and "paused" in journal.read_text(),
            seconds=60,
            what="the first worker to send two emails and pause",
        )
        assert Digest.objects.filter(status=DigestStatus.SENT).count() == 2
        assert Digest.objects.filter(status=DigestStatus.SENDING).count() == 4
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()

        start()
        wait_for(
            lambda: Digest.objects.filter(status=DigestStatus.SENT).count() == len(students),
            seconds=60,
            what="the redelivered task to send the killed worker's claimed emails",
        )
        # Well within the scaled "10 minutes", and nowhere near the 30-minute stale claim.
        assert time.monotonic() - killed_at < 60
        recipients = _recipients(outbox)
        assert sorted(recipients) == sorted(student.email for student in students)
        assert set(Digest.objects.values_list("attempts", flat=True)) <= {1, 2}
    finally:
        workers.stop()
