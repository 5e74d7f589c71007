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


@shared_task(bind=True, acks_late=True, name="tests.send_digests_pausing_midway")
def send_digests_pausing_midway(self, run_id: int, digest_ids: list[int], journal: str) -> dict:
    """reminders.tasks.send_digest_chunk, except that its first delivery pauses after its
    second email (the test kills the worker there, its claims on the rest still held)."""
    from reminders.email import delivery

    log = Path(journal)
    first = not log.exists()
    with log.open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    if first:
        render = delivery.render_digest
        rendered = []

        def render_then_pause(*args, **kwargs):
            if len(rendered) == 2:
                with log.open("a") as handle:
                    handle.write("paused\n")
                time.sleep(120)  # killed long before this ends
            rendered.append(1)
            return render(*args, **kwargs)

        delivery.render_digest = render_then_pause
    return delivery.send_batch(digest_ids, run_id=run_id, task_id=self.request.id).as_dict()
