"""A task for the worker-kill test, loaded only by the test's workers (`--include`).

Its first delivery records itself and then pauses (the test kills the worker during the pause);
any later delivery records itself and does the real refresh at once."""

import os
import time
from pathlib import Path

from celery import shared_task

from reminders.nudges.services import refresh_students


@shared_task(name="tests.refresh_after_a_pause")
def refresh_after_a_pause(student_ids: list[int], today: str, journal: str) -> None:
    import datetime

    log = Path(journal)
    first = not log.exists()
    with log.open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    if first:
        time.sleep(120)  # killed long before this ends
    refresh_students(student_ids, today=datetime.date.fromisoformat(today))
