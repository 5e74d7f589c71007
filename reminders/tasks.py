"""Celery tasks: thin wrappers that take ids and call the services.

The daily refresh fans out over students in chunks; each chunk is one task, safe to retry
(refresh_students is idempotent: the same day's second run changes nothing)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import DatabaseError

from crm import resilience
from crm.models import User
from reminders.engine.conf import get_conf
from reminders.nudges.services import refresh_in_full, refresh_students


def student_id_chunks(size: int) -> list[list[int]]:
    ids = list(
        User.objects.filter(role=User.Role.STUDENT, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [ids[start : start + size] for start in range(0, len(ids), size)]


# A refresh the database refused (a restart, a failover) is tried again: 1, 2, 4... seconds
# apart, never more than a minute (a retry waiting in Redis longer than the visibility timeout,
# CELERY_VISIBILITY_TIMEOUT, would be handed to a second worker), five times at most.
_RETRIED_ON_DATABASE_ERRORS = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**_RETRIED_ON_DATABASE_ERRORS, acks_late=True)
def refresh_chunk(student_ids: list[int], today: str | None = None) -> dict[str, int]:
    day = datetime.date.fromisoformat(today) if today else None
    return refresh_students(student_ids, today=day).as_dict()


@shared_task
def refresh_all_students(today: str | None = None) -> int:
    """Enqueue one refresh_chunk per chunk of students; returns how many chunks."""
    chunks = student_id_chunks(get_conf().refresh_chunk_size)
    for chunk in chunks:
        refresh_chunk.delay(chunk, today)
    return len(chunks)


# --- One student, after a write (reminders.reactions) or a page that found nothing for today --

# How long a queued refresh keeps later changes from queueing another: the task clears it when
# it starts, so a change after that start queues the next one.
_QUEUED_SECONDS = 120


def _queued_key(student_id: int) -> str:
    return f"advocate:refresh-queued:{student_id}"


@shared_task(**_RETRIED_ON_DATABASE_ERRORS)
def refresh_student(student_id: int) -> dict[str, int]:
    """Evaluate one student in full: their nudges, the pages' standing and the baseline their
    next write's live refresh starts from; in Match Week, the plan the Match Week page and
    This week's SOAP card read too, so their first view after a change finds it ready."""
    from reminders.match_week import presenter, selectors

    resilience.cache_delete(_queued_key(student_id))
    stats = refresh_in_full(student_id=student_id)
    student = User.objects.filter(pk=student_id).first()
    if student is not None:
        today = student.local_today()
        if presenter.in_match_week_window(student, today):
            selectors.engine_answer(student, today)
    return stats.as_dict()


def refresh_student_soon(student_id: int) -> bool:
    """Ask a worker to refresh the student, once however many changes ask before it starts.
    False if no worker can be asked (the broker is down): the caller decides what then."""
    return _ask_once(refresh_student, _queued_key(student_id), student_id)


def _ask_once(task, queued: str, student_id: int) -> bool:
    """Enqueue `task` for the student unless one is queued and has not started yet (`queued`:
    the cache key the task clears as it starts; it will read what asked again too). False if
    the broker cannot take it."""
    if not resilience.cache_add(queued, 1, _QUEUED_SECONDS, when_down=True):
        return True
    if resilience.enqueue(task, student_id):
        return True
    resilience.cache_delete(queued)
    return False


# --- The calendar feed's coming week (reminders.calendar.ahead) -----------------------------


def _look_ahead_queued_key(student_id: int) -> str:
    return f"advocate:look-ahead-queued:{student_id}"


@shared_task(**_RETRIED_ON_DATABASE_ERRORS)
def look_ahead(student_id: int) -> int:
    """Work out and store the student's coming week for their calendar feed; returns how many
    items it holds."""
    from reminders.calendar import ahead

    resilience.cache_delete(_look_ahead_queued_key(student_id))
    row = ahead.work_out(student_id)
    return len(row.items) if row is not None else 0


def look_ahead_soon(student_id: int) -> bool:
    """Ask a worker for the student's coming week, once however many feed fetches ask before
    it starts (a calendar app may fetch several times in a minute). False if no worker can be
    asked: the feed is served without it, and the next fetch asks again."""
    return _ask_once(look_ahead, _look_ahead_queued_key(student_id), student_id)


# --- The weekly email (reminders.email.delivery)
# ----------------------------------------------------


@shared_task(acks_late=True)
def send_due_digests() -> dict[str, int]:
    """Hourly, from beat: record the heartbeat, plan this hour's weekly emails and fan them out
    in chunks. Safe to run twice in an hour: the rows and their claims keep it to one email."""
    from django.conf import settings
    from django.utils import timezone

    from reminders.email import delivery, health
    from reminders.models import DigestRun

    now = timezone.now()
    health.record_tick(now)
    run, plan = delivery.start_run(now=now, trigger=DigestRun.Trigger.BEAT)
    chunks = delivery.chunked(plan.to_send, settings.DIGEST_CHUNK_SIZE)
    for chunk in chunks:
        send_digest_chunk.delay(run.pk, chunk)
    # The SOAP email's backstop: one the broker never delivered goes out within the hour.
    from reminders.email import soap as soap_alert

    soap_sent = soap_alert.sweep(now)
    return {"run": run.pk, "planned": run.planned, "chunks": len(chunks), "soap": soap_sent}


@shared_task(bind=True, acks_late=True)
def send_digest_chunk(self, run_id: int, digest_ids: list[int]) -> dict[str, int]:
    """Claim and send one chunk. The claims carry this task's id: redelivered after its worker
    died, the chunk takes back the rows it had claimed once their heartbeat has expired (a
    copy redelivered while the first still runs finds them stamped and skips them); rows left
    claimed otherwise are retried by a later hourly run (stale claims)."""
    from reminders.email import delivery

    return delivery.send_batch(digest_ids, run_id=run_id, task_id=self.request.id).as_dict()


@shared_task
def send_digest_preview(student_id: int) -> bool:
    """ "Send me a preview now" from the settings page."""
    from reminders.email import delivery

    student = User.objects.filter(pk=student_id, is_active=True).first()
    if student is None:
        return False
    delivery.send_preview(student)
    return True


# --- The SOAP email (reminders.email.soap) ----------------------------------------------------


@shared_task(bind=True, acks_late=True, max_retries=10)
def send_soap_plan(self, student_id: int, year: int) -> str:
    """The SOAP email, at once, once (reminders.email.soap), enqueued when a student records
    that they did not match. A failed send, or a claim held by a worker that may have died,
    is looked at again once the claim would be stale; the row's attempts bound the retries.

    That is DIGEST_STALE_CLAIM_MINUTES away, far beyond the broker's visibility timeout: a
    retry waiting that long in Redis would be redelivered to a second worker meanwhile. So the
    task retries only when the wait fits well inside the timeout (soap_retry_countdown);
    otherwise it ends and the hourly sweep (send_due_digests) sends it once the claim is
    stale, as it does for an outcome recorded while the broker was down."""
    from reminders.email import soap as soap_alert

    result = soap_alert.send_soap_alert(student_id=student_id, year=year)
    if result in (soap_alert.Result.FAILED, soap_alert.Result.HELD):
        countdown = soap_retry_countdown()
        if countdown is not None:
            raise self.retry(countdown=countdown)
        return f"{result.value}: left to the hourly sweep"
    return result.value


def soap_retry_countdown() -> int | None:
    """Seconds until a failed SOAP email may be tried again (its claim stale), or None when
    that is longer than a retry may wait in the broker (CELERY_MAX_RETRY_COUNTDOWN)."""
    from django.conf import settings

    countdown = (settings.DIGEST_STALE_CLAIM_MINUTES + 1) * 60
    return countdown if countdown <= settings.CELERY_MAX_RETRY_COUNTDOWN else None
