"""The "Weekly email" settings section, the in-app preview and "send me a preview now"."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from reminders import tasks
from tests.factories import AdvisorFactory
from tests.reminders.digest_world import make_nudge

pytestmark = pytest.mark.django_db


def test_the_settings_page_has_a_weekly_email_section(student_client, student):
    page = student_client.get("/settings/weekly-email/").content.decode()
    assert 'id="weekly-email"' in page
    assert "<strong>America/Chicago</strong>" in page
    assert 'name="digest_weekday"' in page and 'name="digest_hour"' in page
    assert 'name="digest_opt_out"' in page
    assert "Send me a preview now" in page and 'href="/email/preview/"' in page


def test_saving_the_weekly_email_settings(student_client, student):
    response = student_client.post(
        "/email/settings/", {"digest_weekday": "4", "digest_hour": "18"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/settings/weekly-email/"
    assert "Your weekly email comes Fridays at 18:00, America/Chicago time." in (
        response.content.decode()
    )
    student.refresh_from_db()
    assert (student.digest_weekday, student.digest_hour, student.digest_opt_out) == (4, 18, False)


def test_opting_out_from_settings(student_client, student):
    student_client.post(
        "/email/settings/", {"digest_weekday": "0", "digest_hour": "7", "digest_opt_out": "on"}
    )
    student.refresh_from_db()
    assert student.digest_opt_out is True
    assert (
        "The weekly email is off." in student_client.get("/settings/weekly-email/").content.decode()
    )


def test_a_bad_hour_changes_nothing(student_client, student):
    student_client.post("/email/settings/", {"digest_weekday": "0", "digest_hour": "25"})
    student.refresh_from_db()
    assert student.digest_hour == 7


def test_the_preview_page_shows_both_parts(student_client, student):
    make_nudge(student, due=student.local_today(), reason="Write to Dr. Rao this week.")
    response = student_client.get("/email/preview/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>Subject:</strong> 1 follow-up this week" in page
    assert '<iframe src="/email/preview/email.html"' in page
    assert "Write to Dr. Rao this week." in page  # in the plain-text part
    frame = student_client.get("/email/preview/email.html")
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert "Write to Dr. Rao this week." in frame.content.decode()


def test_the_preview_is_for_signed_in_students(client):
    assert client.get("/email/preview/").status_code == 302
    advisor = AdvisorFactory()
    client.force_login(advisor, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/email/preview/").status_code == 403


def test_send_me_a_preview_now(
    student_client, student, monkeypatch, django_capture_on_commit_callbacks
):
    cache.clear()  # the one-a-minute guard lives in the cache
    monkeypatch.setattr(
        tasks.send_digest_preview, "delay", lambda pk: tasks.send_digest_preview.apply((pk,)).get()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post("/email/preview/send/", follow=True)
    assert "A preview is on its way to ada@example.edu." in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["ada@example.edu"]
    assert message.subject.startswith("Preview: ")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Pressing again within a minute does not send another.
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post("/email/preview/send/", follow=True)
    assert "already on its way" in response.content.decode()
    assert len(mail.outbox) == 1


def test_the_settings_endpoints_are_post_only(student_client):
    assert student_client.get("/email/settings/").status_code == 405
    assert student_client.get("/email/preview/send/").status_code == 405
    assert Client().post("/email/settings/").status_code == 302
