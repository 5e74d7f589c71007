"""Issue 21, item 6: no task waits for its retry longer than the broker's visibility timeout
(Redis would redeliver the waiting retry to a second worker)."""

import pytest
from django.conf import settings

from crm.celery import app
from reminders import tasks
from reminders.email import soap as soap_alert


def test_the_soap_retry_never_waits_past_the_visibility_timeout(monkeypatch):
    monkeypatch.setattr(soap_alert, "send_soap_alert", lambda **kwargs: soap_alert.Result.FAILED)
    retries = []
    monkeypatch.setattr(tasks.send_soap_plan, "retry", lambda **kw: retries.append(kw))
    result = tasks.send_soap_plan.run(1, 2027)
    # 31 minutes is far beyond 300 s: left to the hourly sweep, not parked in Redis.
    assert retries == [] and "left to the hourly sweep" in result
    assert settings.CELERY_MAX_RETRY_COUNTDOWN * 2 < settings.CELERY_VISIBILITY_TIMEOUT


@pytest.mark.parametrize("stale_minutes", [1, 2])
def test_a_short_enough_wait_is_still_retried_within_the_timeout(settings, stale_minutes):
    settings.DIGEST_STALE_CLAIM_MINUTES = stale_minutes
    settings.DIGEST_SMTP_TIMEOUT_SECONDS = 1
    settings.CELERY_MAX_RETRY_COUNTDOWN = 200
    countdown = tasks.soap_retry_countdown()
    assert countdown is not None and countdown <= settings.CELERY_MAX_RETRY_COUNTDOWN


def test_every_autoretrying_task_backs_off_within_the_timeout():
    app.loader.import_default_modules()
    for name, task in app.tasks.items():
        if not name.startswith(("reminders.", "contacts.", "advisors.", "crm.")):
            continue
        if getattr(task, "autoretry_for", ()) and getattr(task, "retry_backoff", False):
            assert task.retry_backoff_max * 2 < settings.CELERY_VISIBILITY_TIMEOUT, name
