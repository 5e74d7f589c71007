"""Issue 21: Redis (cache) or the broker down. Real parts: the cache and the broker point at a
closed port on this machine, so every call is refused as it would be by a stopped Redis.
Nothing answers 500, every write is kept once, and an email not enqueued is still sent."""

import datetime
import logging

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from contacts.models import Contact, Interaction
from crm import resilience
from crm.models import User
from reminders import tasks
from tests.factories import ContactFactory

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1
TUESDAY = datetime.datetime(2027, 3, 16, 14, 0, tzinfo=datetime.UTC)  # Match Week 2027


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    resilience._last_warned.clear()
    yield
    resilience._last_warned.clear()


@pytest.fixture
def broker_down(monkeypatch):
    """The Celery app publishes to a closed port (and the tests' own stand-ins are removed,
    so every `.delay` really tries the broker)."""
    from crm.celery import app

    monkeypatch.undo()  # tests/conftest.py's stand-in for send_soap_plan.delay

    def fresh_pools():
        # Celery keeps a connection pool and a producer pool made from the broker URL.
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    before = (app.conf.broker_url, app.conf.broker_transport_options)
    fresh_pools()
    app.conf.broker_url, app.conf.broker_transport_options = CLOSED, {}
    yield
    fresh_pools()
    app.conf.broker_url, app.conf.broker_transport_options = before


def _warnings(caplog):
    return [r for r in caplog.records if r.name == "advocate.resilience"]


def test_with_redis_down_sign_in_pages_and_saves_answer_without_500(
    cache_down, client, student, password, caplog
):
    caplog.set_level(logging.WARNING, logger="advocate.resilience")
    # Login: a wrong password (the throttle counts nothing, refuses nothing), then the right one.
    wrong = client.post(reverse("login"), {"username": student.email, "password": "nope"})
    assert wrong.status_code == 200
    right = client.post(reverse("login"), {"username": student.email, "password": password})
    assert right.status_code == 302 and "_auth_user_id" in client.session

    assert client.get(reverse("home")).status_code == 200  # This week, evaluated uncached

    contact = ContactFactory(owner=student, name="Dr. Maya Patel")
    payload = {"kind": "meeting", "date": "2027-07-10", "direction": "outbound"}
    logged = client.post(reverse("contacts:interaction_create"), {**payload, "contact": contact.pk})
    assert logged.status_code == 302
    assert Interaction.objects.filter(owner=student).count() == 1  # saved once

    created = client.post(reverse("contacts:create"), {"name": "Dr. Lee", "role": "attending"})
    assert created.status_code in (200, 302)
    assert created.status_code == 200 or Contact.objects.filter(name="Dr. Lee").exists()

    reset = client.post(reverse("password_reset"), {"email": student.email})
    assert reset.status_code == 302

    # One warning for the whole outage minute, not one per call.
    assert len(_warnings(caplog)) == 1
    assert "Cache unreachable" in _warnings(caplog)[0].getMessage()


def test_with_redis_down_the_preview_button_still_sends(cache_down, student_client, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.send_digest_preview, "delay", lambda pk: sent.append(pk))
    response = student_client.post("/email/preview/send/", follow=True)
    assert response.status_code == 200
    assert "A preview is on its way" in response.content.decode()
    assert len(sent) == 1


def test_with_the_broker_down_the_preview_says_try_again(broker_down, student_client):
    response = student_client.post("/email/preview/send/", follow=True)
    assert response.status_code == 200
    assert "start the preview just now" in response.content.decode()
    # The cooldown was given back: once the broker is back, the button works at once.


def test_with_the_broker_down_did_not_match_is_kept_and_the_sweep_sends_the_email(
    broker_down, client, student
):
    from reminders.email import soap

    student.match_year = 2027
    student.save()
    with time_machine.travel(TUESDAY, tick=False):
        client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
        response = client.post("/match-week/outcome/", {"outcome": "unmatched"})
        assert response.status_code == 302
        assert User.objects.get(pk=student.pk).match_outcome == "unmatched"  # the write stands
        assert mail.outbox == []
        # The hourly beat task's sweep sends what the broker never took, once.
        assert soap.sweep(TUESDAY) == 1
        assert soap.sweep(TUESDAY) == 0
    assert [m.to for m in mail.outbox] == [[student.email]]


def test_with_redis_and_the_broker_down_the_calendar_feed_still_answers(
    cache_down, broker_down, client, student
):
    """The feed asks a worker for the coming week (reminders.calendar.ahead): neither part
    answers, and the feed is served with the stored nudges."""
    response = client.get(reverse("reminders:calendar_feed", args=[student.calendar_token]))
    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR")


def test_with_the_broker_down_no_enqueue_raises(broker_down, db):
    """Every task a request may publish: each is refused by the broker, none raises."""
    for task, args in [
        (tasks.send_digest_preview, (1,)),
        (tasks.send_soap_plan, (1, 2027)),
        (tasks.refresh_chunk, ([1], None)),
        (tasks.look_ahead, (1,)),
    ]:
        assert resilience.enqueue(task, *args) is False


def test_the_filesystem_broker_makes_its_own_folders(tmp_path, monkeypatch):
    """A fresh checkout without var/celery/ (the embedded default, no REDIS_URL): reading the
    settings makes the broker's folders, so the first publish works without `make`."""
    import runpy
    import shutil
    from pathlib import Path

    import crm.settings

    copy = tmp_path / "crm" / "settings.py"
    copy.parent.mkdir()
    shutil.copy(Path(crm.settings.__file__), copy)
    monkeypatch.setenv("REDIS_URL", "")
    assert not (tmp_path / "var").exists()
    options = runpy.run_path(str(copy))["CELERY_BROKER_TRANSPORT_OPTIONS"]
    for folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        assert Path(options[folder]).is_dir()
        assert Path(options[folder]).is_relative_to(tmp_path / "var" / "celery")
