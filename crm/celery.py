"""The Celery app. Tasks live in each app's tasks.py; the beat schedule in reminders.schedule."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

app = Celery("crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs):
    from reminders.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
