"""The uploaded file between preview and confirm, kept on the server (contacts.ImportUpload)."""

import datetime
import uuid

from django.db import transaction

from ..models import ImportUpload

UPLOAD_MAX_AGE = datetime.timedelta(hours=2)


def upload_store(*, owner, filename: str, format: str, content: bytes, now) -> ImportUpload:
    """Keep the file for its preview; the student's expired uploads go at the same time."""
    ImportUpload.objects.filter(owner=owner, created_at__lt=now - UPLOAD_MAX_AGE).delete()
    return ImportUpload.objects.create(
        owner=owner, token=uuid.uuid4(), filename=filename[:255], format=format, content=content
    )


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
