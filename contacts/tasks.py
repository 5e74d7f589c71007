"""Celery tasks of the records (scheduled in reminders.schedule)."""

from celery import shared_task
from django.utils import timezone

from .importers.uploads import uploads_purge


@shared_task(acks_late=True)
def purge_expired_uploads() -> int:
    """Hourly, from beat: contact-file uploads nobody confirmed within their two hours."""
    return uploads_purge(now=timezone.now())
