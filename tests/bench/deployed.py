"""The weekly email and the nightly refresh as they are deployed: one real Celery worker
(`--concurrency 2`, as docker-compose.yml runs it: a process per core) doing the work through
the broker, on the same data as the one-process sections (`digests`, `nightly`).

`python -m tests.bench digests_worker nightly_worker`. With REDIS_URL, the worker's broker is
that Redis (the production set-up; start from an empty database number: older tasks would come
first); without it, a filesystem broker of the bench's own, which the worker polls once a
second, so each round of chunks waits for it. The worker runs as production does (DEBUG off)
and is up before the clock starts, which runs from the first task enqueued to the last row
written. Everything shares the machine's two cores: the worker's processes, PostgreSQL, the
SMTP sink.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.bench import harness

ROOT = Path(__file__).resolve().parents[2]
CONCURRENCY = 2


@contextlib.contextmanager
def _celery_worker(env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """A Celery worker for `env`, ready (it said so) when the block starts, stopped after it.
    Its log goes to bench-results/deployed-worker.log (a pipe nobody reads would fill up and
    stop it)."""
    log_path = ROOT / "bench-results" / "deployed-worker.log"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "crm", "worker", "--concurrency",
             str(CONCURRENCY), "--loglevel", "INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while " ready." not in log_path.read_text():
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"The Celery worker did not start: see {log_path}")
                time.sleep(0.1)
            yield worker
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def _worker_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + "k" * 50,
        **extra,
    }


def _broker() -> str:
    from django.conf import settings

    return "Redis" if settings.REDIS_URL else "the filesystem broker (polled each second)"


def _until(done, worker: subprocess.Popen, started: float) -> float:
    """Seconds from `started` until `done()` (polled), the worker stops, or two minutes pass."""
    while time.perf_counter() - started < 120 and worker.poll() is None and not done():
        time.sleep(0.05)
    return time.perf_counter() - started


def digests_worker() -> None:
    """The `digests` section's 500 students (a world of their own), their day's refresh run
    first, each on their own date (as the nightly one has by the hour the emails go); the run
    planned here and its chunks enqueued as send_due_digests enqueues them."""
    from django.conf import settings
    from django.db import connection

    from reminders import tasks
    from reminders.email import delivery
    from reminders.models import Digest, DigestRun
    from reminders.nudges.services import refresh_students
    from tests.bench.sections import DIGEST_NOW, DIGEST_STUDENTS, _digest_world
    from tests.bench.smtp_sink import smtp_sink

    broker = _broker()
    print(
        f"\n== Weekly email through one Celery worker (--concurrency {CONCURRENCY}): "
        f"{DIGEST_STUDENTS:,} students, chunks of {settings.DIGEST_CHUNK_SIZE}, {broker}"
    )
    student_ids = _digest_world(DIGEST_STUDENTS, seed=17, prefix="worker-digest")
    for start in range(0, len(student_ids), 200):  # the day's refresh, on each one's own date
        refresh_students(student_ids[start : start + 200])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with smtp_sink() as inbox:
        env = _worker_env(EMAIL_URL=f"smtp://127.0.0.1:{inbox.port}")
        with _celery_worker(env) as worker:
            run, plan = delivery.start_run(now=DIGEST_NOW, trigger=DigestRun.Trigger.COMMAND)
            rows = Digest.objects.filter(pk__in=plan.to_send)
            started = time.perf_counter()
            for chunk in delivery.chunked(plan.to_send, settings.DIGEST_CHUNK_SIZE):
                tasks.send_digest_chunk.delay(run.pk, chunk)
            seconds = _until(
                lambda: rows.filter(status="sent").count() == len(plan.to_send), worker, started
            )
            load = os.getloadavg()
            sent = rows.filter(status="sent").count()
    figures = {
        "students": DIGEST_STUDENTS,
        "worker_concurrency": CONCURRENCY,
        "chunk_size": settings.DIGEST_CHUNK_SIZE,
        "sent": sent,
        "received_by_smtp": inbox.received,
        "smtp_sink": inbox.name,
        "broker": broker,
        "seconds": round(seconds, 2),
        "emails_per_second": round(sent / seconds, 1),
        "load_average": [round(value, 2) for value in load],
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    harness.record("digests", f"send {DIGEST_STUDENTS:,} through one worker", figures)
    print(
        f"{sent} sent ({inbox.received} received by {inbox.name}) in {seconds:.2f} s: "
        f"{figures['emails_per_second']} emails/s; load average "
        + " ".join(f"{value:.2f}" for value in load)
    )
    assert sent == len(plan.to_send) == inbox.received, figures


def nightly_worker() -> None:
    """The `nightly` section's 1,000 students of 40 contacts (a world of their own): the first
    day refreshed here, then the next day's refresh through the worker, in refresh_chunk tasks
    of the engine's chunk size, as refresh_all_students enqueues them."""
    from reminders import tasks
    from reminders.engine.conf import get_conf
    from reminders.models import StudentStanding
    from reminders.nudges.services import refresh_students
    from tests.bench.sections import NIGHTLY_CONTACTS, NIGHTLY_STUDENTS, TODAY, _engine_world

    size, broker = get_conf().refresh_chunk_size, _broker()
    print(
        f"\n== Nightly refresh through one Celery worker (--concurrency {CONCURRENCY}): "
        f"{NIGHTLY_STUDENTS:,} students x {NIGHTLY_CONTACTS} contacts, chunks of {size}, {broker}"
    )
    ids = _engine_world(
        NIGHTLY_STUDENTS, seed=29, prefix="worker-nightly", contacts_each=NIGHTLY_CONTACTS
    )
    for start in range(0, len(ids), size):
        refresh_students(ids[start : start + size], today=TODAY)
    next_day = TODAY + datetime.timedelta(days=1)
    rows = StudentStanding.objects.filter(owner_id__in=ids, computed_on=next_day)
    with _celery_worker(_worker_env()) as worker:
        started = time.perf_counter()
        for start in range(0, len(ids), size):
            tasks.refresh_chunk.delay(ids[start : start + size], next_day.isoformat())
        seconds = _until(lambda: rows.count() == len(ids), worker, started)
        load = os.getloadavg()
    done = rows.count()
    figures = {
        "students": NIGHTLY_STUDENTS,
        "worker_concurrency": CONCURRENCY,
        "chunk_size": size,
        "broker": broker,
        "refreshed": done,
        "seconds": round(seconds, 2),
        "students_per_second": round(done / seconds),
        "load_average": [round(value, 2) for value in load],
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    harness.record("engine", f"nightly {NIGHTLY_STUDENTS} through one worker, next day", figures)
    print(
        f"{done} students refreshed in {seconds:.2f} s: {figures['students_per_second']} "
        "students/s; load average " + " ".join(f"{value:.2f}" for value in load)
    )
    assert done == len(ids), figures


ALL = {"digests_worker": digests_worker, "nightly_worker": nightly_worker}
