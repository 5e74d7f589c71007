"""Issue 21, item 4: uploads cannot fill the disk: a per-student throttle, a cap on the bytes
one student holds, and an hourly purge of expired uploads (beat)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contacts.importers.uploads import UPLOAD_MAX_AGE, upload_store
from contacts.models import ImportUpload
from contacts.tasks import purge_expired_uploads
from reminders.schedule import beat_schedule

CSV = b"name,email\nDr. Lee,lee@example.edu\n"


def _upload(client, content=CSV):
    return client.post(
        reverse("contacts:import_start"),
        {"file": SimpleUploadedFile("c.csv", content, "text/csv"), "format": ""},
    )


def test_many_uploads_in_a_moment_are_throttled(student_client, settings):
    settings.IMPORT_UPLOADS_PER_STUDENT = 5
    statuses = [_upload(student_client).status_code for _ in range(8)]
    assert statuses == [302] * 5 + [429] * 3
    assert ImportUpload.objects.count() == 5


def test_the_bytes_one_student_holds_are_capped(student, other_student, settings):
    settings.IMPORT_UPLOAD_BYTES_PER_STUDENT = 1000
    now = timezone.now()
    for _ in range(10):
        upload_store(owner=student, filename="a.csv", format="csv", content=b"x" * 300, now=now)
    upload_store(owner=other_student, filename="b.csv", format="csv", content=b"y" * 300, now=now)
    held = [len(bytes(u.content)) for u in ImportUpload.objects.filter(owner=student)]
    assert sum(held) <= 1000 and len(held) == 3  # the newest three
    assert ImportUpload.objects.filter(owner=other_student).count() == 1  # not theirs


def test_expired_uploads_are_purged_by_beat(student, other_student):
    now = timezone.now()
    old = upload_store(owner=student, filename="a.csv", format="csv", content=CSV, now=now)
    ImportUpload.objects.filter(pk=old.pk).update(
        created_at=now - UPLOAD_MAX_AGE - datetime.timedelta(minutes=1)
    )
    fresh = upload_store(owner=other_student, filename="b.csv", format="csv", content=CSV, now=now)
    assert purge_expired_uploads.apply().get() == 1
    assert list(ImportUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert any(
        entry["task"] == "contacts.tasks.purge_expired_uploads"
        for entry in beat_schedule().values()
    )
