"""Celery tasks: thin wrappers that take ids and call the services.

The daily refresh fans out over students in chunks; each chunk is one task, safe to retry
(refresh_students is idempotent: the same day's second run changes nothing)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import DatabaseError

from crm.models import User

from .conf import get_conf
from .services import refresh_students


def student_id_chunks(size: int) -> list[list[int]]:
    ids = list(
        User.objects.filter(role=User.Role.STUDENT, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [ids[start : start + size] for start in range(0, len(ids), size)]


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
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
