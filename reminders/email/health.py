"""Is the weekly email still going out? The heartbeat, the runs, the queue, and what is wrong.

Reminders that silently never arrive are the failure that matters most here, and nobody
notices an email that did not come. So the hourly task leaves a BeatTick; the status page
(/ops/status/), a banner for staff on every page, and `manage.py health` read it.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from reminders.models import BeatTick, Digest, DigestRun, DigestStatus

logger = logging.getLogger(__name__)

TICK_RETENTION = datetime.timedelta(days=7)
# Celery's Redis transport keeps priorities in sibling lists named queue + "\x06\x16" + digit.
_REDIS_PRIORITY_SUFFIXES = ["", "\x06\x163", "\x06\x166", "\x06\x169"]


def record_tick(now: datetime.datetime | None = None) -> BeatTick:
    now = now or timezone.now()
    tick = BeatTick.objects.create(ticked_at=now)
    BeatTick.objects.filter(ticked_at__lt=now - TICK_RETENTION).delete()
    return tick


def last_tick_at() -> datetime.datetime | None:
    return BeatTick.objects.order_by("-ticked_at").values_list("ticked_at", flat=True).first()


def tick_max_age() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.HEALTH_TICK_MAX_AGE_MINUTES)


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _ago(delta: datetime.timedelta) -> str:
    """ "45 minutes", "2 hours 1 minute", "3 days"."""
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return _count(hours // 24, "day")
    if not hours:
        return _count(minutes, "minute")
    return _count(hours, "hour") + (f" {_count(minutes, 'minute')}" if minutes else "")


def tick_problem(now: datetime.datetime | None = None) -> str | None:
    """Why the scheduler looks stopped, or None. One query."""
    now = now or timezone.now()
    last = last_tick_at()
    if last is None:
        return "The scheduler has never ticked: is celery beat running, with a worker?"
    if now - last > tick_max_age():
        return (
            f"No scheduler tick for {_ago(now - last)} (last at {last:%Y-%m-%d %H:%M} UTC): "
            "is celery beat running, with a worker?"
        )
    return None


def queue_depth() -> int | None:
    """Messages waiting in the default Celery queue, or None if the broker cannot be asked."""
    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    try:
        if settings.REDIS_URL:
            import redis

            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            )
            try:
                return sum(client.llen(queue + suffix) for suffix in _REDIS_PRIORITY_SUFFIXES)
            finally:
                client.close()
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in")
        if not folder:
            return None
        path = Path(folder)
        return sum(1 for entry in path.iterdir() if entry.is_file()) if path.is_dir() else 0
    except Exception:
        logger.warning("Could not read the Celery queue depth", exc_info=True)
        return None


def last_finished_run() -> DigestRun | None:
    return DigestRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()


def problems(now: datetime.datetime | None = None) -> list[str]:
    """Everything an operator should hear about, most basic first; empty when all is well."""
    now = now or timezone.now()
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return [f"The database is unreachable: {error}".strip()]
    found = []
    if reason := tick_problem(now):
        found.append(reason)
    run = last_finished_run()
    if run is not None and run.failed:
        noun = "email" if run.failed == 1 else "emails"
        found.append(
            f"{run.failed} weekly {noun} failed in the last run "
            f"(started {run.started_at:%Y-%m-%d %H:%M} UTC); see /ops/status/."
        )
    stuck_since = now - 2 * datetime.timedelta(minutes=settings.DIGEST_STALE_CLAIM_MINUTES)
    unfinished = DigestRun.objects.filter(finished_at__isnull=True, started_at__lt=stuck_since)
    if latest := unfinished.order_by("-started_at").first():
        found.append(
            f"The digest run started {latest.started_at:%Y-%m-%d %H:%M} UTC never finished: "
            "are the workers running?"
        )
    return found


@dataclasses.dataclass
class Status:
    now: datetime.datetime
    last_tick_at: datetime.datetime | None
    ticks_last_day: int
    last_run: DigestRun | None
    recent_runs: list[DigestRun]
    sent_last_week: int
    failed_last_week: int
    waiting: int  # ready or claimed right now
    queue_depth: int | None
    broker: str
    problems: list[str]


def status(now: datetime.datetime | None = None) -> Status:
    """For /ops/status/."""
    now = now or timezone.now()
    week_ago = now - datetime.timedelta(days=7)
    counts = dict(
        Digest.objects.filter(created_at__gte=week_ago)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    recent_runs = list(DigestRun.objects.order_by("-started_at")[:10])
    return Status(
        now=now,
        last_tick_at=last_tick_at(),
        ticks_last_day=BeatTick.objects.filter(
            ticked_at__gte=now - datetime.timedelta(days=1)
        ).count(),
        last_run=recent_runs[0] if recent_runs else None,
        recent_runs=recent_runs,
        sent_last_week=counts.get(DigestStatus.SENT, 0),
        failed_last_week=counts.get(DigestStatus.FAILED, 0),
        waiting=counts.get(DigestStatus.READY, 0) + counts.get(DigestStatus.SENDING, 0),
        queue_depth=queue_depth(),
        broker="Redis" if settings.REDIS_URL else "filesystem",
        problems=problems(now),
    )


def scheduler_warning(request: HttpRequest) -> dict[str, str]:
    """Context processor: staff see, on every page, when the scheduler has stopped ticking.
    Nobody else pays for it (no query unless the user is staff)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {}
    try:
        reason = tick_problem()
    except DatabaseError:
        return {}
    return {"scheduler_warning": reason} if reason else {}
