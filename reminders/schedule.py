"""The Celery beat schedule: what the scheduler runs, and when (installed by crm/celery.py)."""

from celery.schedules import crontab

from reminders.engine.conf import get_conf


def beat_schedule() -> dict:
    # Once a day, at an hour when it is already "today" for students from Hawaii to New
    # Zealand; each student is evaluated on their own local date. Rerunning is harmless.
    return {
        "reminders-refresh-all-students": {
            "task": "reminders.tasks.refresh_all_students",
            "schedule": crontab(minute=0, hour=get_conf().refresh_hour_utc),
        },
        # Every hour: each student's weekly email goes out at their own weekday and hour, in
        # their own time zone (reminders.email.delivery); the task also records the heartbeat.
        "reminders-send-due-digests": {
            "task": "reminders.tasks.send_due_digests",
            "schedule": crontab(minute=0),
        },
        # Every hour: contact-file uploads left unconfirmed past their two hours go.
        "contacts-purge-expired-uploads": {
            "task": "contacts.tasks.purge_expired_uploads",
            "schedule": crontab(minute=30),
        },
    }
