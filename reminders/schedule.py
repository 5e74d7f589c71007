"""The Celery beat schedule: what the scheduler runs, and when."""


def beat_schedule() -> dict:
    # The engine's daily refresh and the hourly digest check are added by reminders.tasks.
    return {}
