"""The uploaded file between preview and confirm, kept on the server (contacts.ImportUpload).

What one student may hold is bounded: uploads expire after UPLOAD_MAX_AGE (purged hourly by
beat, contacts.tasks.purge_expired_uploads, and whenever the student uploads), and the bytes
held per student stay under IMPORT_UPLOAD_BYTES_PER_STUDENT: a new upload makes room by
dropping the student's oldest (a preview left open in another tab then asks for the file
again). How often a student may upload is crm.throttle's (contacts.views.imports)."""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Length

from ..models import ImportUpload

UPLOAD_MAX_AGE = datetime.timedelta(hours=2)


def upload_store(*, owner, filename: str, format: str, content: bytes, now) -> ImportUpload:
    """Keep the file for its preview; the student's expired uploads go at the same time, and
    their oldest until what they hold, this one included, fits the per-student cap (the newest
    upload is always kept)."""
    cap = settings.IMPORT_UPLOAD_BYTES_PER_STUDENT
    with transaction.atomic():
        # One upload at a time per student, so parallel uploads cannot each find room.
        get_user_model().objects.select_for_update().filter(pk=owner.pk).exists()
        ImportUpload.objects.filter(owner=owner, created_at__lt=now - UPLOAD_MAX_AGE).delete()
        held = list(
            ImportUpload.objects.filter(owner=owner)
            .order_by("-created_at", "-pk")
            .annotate(size=Length("content"))
            .values_list("pk", "size")
        )
        room = cap - len(content)
        keep, drop = 0, []
        for pk, size in held:
            if keep + (size or 0) <= room:
                keep += size or 0
            else:
                drop.append(pk)
        if drop:
            ImportUpload.objects.filter(pk__in=drop).delete()
        return ImportUpload.objects.create(
            owner=owner,
            token=uuid.uuid4(),
            filename=filename[:255],
            format=format,
            content=content,
        )


def uploads_purge(*, now) -> int:
    """Delete every expired upload (beat, hourly); returns how many."""
    deleted, _ = ImportUpload.objects.filter(created_at__lt=now - UPLOAD_MAX_AGE).delete()
    return deleted


def upload_for(*, owner, token) -> ImportUpload | None:
    """The student's own upload with this token (None for anyone else's)."""
    return ImportUpload.objects.owned_by(owner).filter(token=token).first()


def upload_expired(upload: ImportUpload, *, now) -> bool:
    return upload.created_at < now - UPLOAD_MAX_AGE


def upload_claim(upload: ImportUpload) -> bool:
    """Take the upload for applying: true for exactly one of two confirms racing. Call inside
    the transaction that applies it, so a failed import leaves the upload to try again."""
    assert transaction.get_connection().in_atomic_block
    deleted, _ = ImportUpload.objects.filter(pk=upload.pk).delete()
    return deleted > 0
