"""The Celery app. Tasks live in each app's tasks.py; the beat schedule in reminders.schedule."""

import os

from celery import Celery, signals

from crm import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

app = Celery("crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs):
    from reminders.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()


@signals.setup_logging.connect
def _use_django_logging(**kwargs):
    """The worker and beat log through Django's LOGGING (crm.settings): the same format, JSON
    with LOG_FORMAT=json, and each line's task id, instead of Celery's own set-up."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.worker_init.connect
def _warm_up(**kwargs):
    """Before the worker takes a task (and before prefork's processes are forked from it, so
    each starts with it): what the weekly email's first batch would otherwise load mid-batch."""
    from reminders.email.delivery import warm_up

    warm_up()


signals.before_task_publish.connect(logs.add_request_id_header, weak=False)
signals.task_prerun.connect(logs.task_started, weak=False)
signals.task_postrun.connect(logs.task_finished, weak=False)
