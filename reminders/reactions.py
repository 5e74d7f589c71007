"""How the engine hears of record changes: crm.events.changed, sent once per change by the
records' services (contacts never imports reminders). Connected in RemindersConfig.ready().

Live: once a change commits, the student's stored nudges are refreshed, so the page after a
write is already right: in the request, from the baseline kept for the records before the
change (reminders.evaluation.baseline, a logged interaction), else by a worker
(reminders.tasks.refresh_student_soon): a request never evaluates a student in full. Changes
made unattended (crm.events.unattended: the inbound mail server) always leave it to the
worker. A transaction with many changes (an import, a cascaded delete) refreshes once: the
changes of one student join the refresh already waiting for that transaction's commit. With
no worker to ask (the broker down), the refresh is done here after all. Many students changed
in bulk (a class imported at once by a command: `bulk=True`) are refreshed together once it
commits, through the daily refresh's own batch (refresh_students, in its chunks), not one by
one.

The SOAP email: crm.events.outcome_recorded, sent when a student records their Match outcome,
enqueues reminders.tasks.send_soap_plan once the outcome is committed (the worker must see it)."""

from __future__ import annotations

import datetime
import logging
import threading

from django.db import transaction
from django.dispatch import receiver

from crm import resilience
from crm.events import changed, is_unattended, outcome_recorded
from reminders import tasks
from reminders.engine.conf import get_conf
from reminders.engine.match_week import DID_NOT_MATCH
from reminders.nudges.services import (
    close_nudges_answered_by,
    refresh_after_change,
    refresh_in_full,
    refresh_students,
)

logger = logging.getLogger(__name__)


@receiver(changed, dispatch_uid="reminders.close_nudges_answered_by")
def close_answered_nudges(sender, *, owner_id: int, interaction=None, **kwargs) -> None:
    """A newly logged interaction marks done the live nudges it answers."""
    if interaction is None:
        return
    close_nudges_answered_by(interaction=interaction)


class PendingRefresh:
    """One student's refresh, waiting for the commit: what changed, as far as it is known."""

    def __init__(self, owner_id: int, since: datetime.datetime | None):
        self.owner_id = owner_id
        self.since = since  # the records' stamp before the transaction's first change
        self.contact_ids: set[int] | None = set()  # None: anything may have changed
        self.done = False

    def add(self, interaction) -> None:
        if interaction is None or self.contact_ids is None:
            self.contact_ids = None
        else:
            self.contact_ids.add(interaction.contact_id)

    def __call__(self) -> None:
        if self.done:  # registered once per change; the first commit callback does the work
            return
        self.done = True
        stats = None
        if not is_unattended():
            stats = refresh_after_change(
                student_id=self.owner_id,
                contact_ids=frozenset(self.contact_ids) if self.contact_ids else None,
                since=self.since,
            )
        if stats is None and not tasks.refresh_student_soon(self.owner_id):
            refresh_in_full(student_id=self.owner_id)


# The refresh each student has waiting in this thread's open transaction. Every change
# registers it with on_commit again (Django drops the callbacks of a savepoint rolled back, and
# only one surviving registration is needed); the first to run does the refresh, the rest see
# it done. One left behind by a rolled-back transaction is taken up by the next change: the
# records' stamp rolled back with it, so its `since` still holds, and the contacts it names
# are only a few more to look at.
_waiting = threading.local()


def _pending_for(owner_id: int, since: datetime.datetime | None) -> PendingRefresh:
    pending_by_owner = _waiting.__dict__.setdefault("by_owner", {})
    pending = pending_by_owner.get(owner_id)
    if pending is None or pending.done:
        pending = pending_by_owner[owner_id] = PendingRefresh(owner_id, since)
    return pending


class PendingBulkRefresh:
    """The students changed in bulk in one transaction, refreshed together once it commits."""

    def __init__(self):
        self.owner_ids: dict[int, None] = {}  # in the order they changed, each once
        self.done = False

    def __call__(self) -> None:
        if self.done:  # registered once per student; the first commit callback does the work
            return
        self.done = True
        owner_ids = list(self.owner_ids)
        size = get_conf().refresh_chunk_size
        for start in range(0, len(owner_ids), size):
            chunk = owner_ids[start : start + size]
            try:
                refresh_students(chunk)
            except Exception:  # the next chunks still run; the daily refresh catches up
                logger.exception("Refreshing %d students after a bulk change failed", len(chunk))


def _bulk_pending() -> PendingBulkRefresh:
    # As _pending_for: one left behind by a rolled-back transaction is taken up by the next
    # (its students, if they still exist, are only refreshed once more).
    pending = getattr(_waiting, "bulk", None)
    if pending is None or pending.done:
        pending = _waiting.bulk = PendingBulkRefresh()
    return pending


@receiver(changed, dispatch_uid="reminders.refresh_on_commit")
def refresh_on_commit(
    sender,
    *,
    owner_id: int,
    interaction=None,
    since: datetime.datetime | None = None,
    bulk: bool = False,
    **kwargs,
) -> None:
    """Refresh the student's nudges once the change is committed (robust: a failure is logged
    and the daily refresh catches up; the write itself stands). Students changed in bulk: one
    refresh for all of them, in the daily refresh's chunks (a fixed number of queries per
    chunk, whatever its size)."""
    if bulk:
        pending = _bulk_pending()
        pending.owner_ids[owner_id] = None
    else:
        pending = _pending_for(owner_id, since)
        pending.add(interaction)
    transaction.on_commit(pending, robust=True)


@receiver(outcome_recorded, dispatch_uid="reminders.soap_plan_on_commit")
def soap_plan_on_commit(
    sender, *, owner_id: int, outcome: str, match_year: int | None, **kwargs
) -> None:
    """Did not match (or a preliminary year only): the SOAP email goes out at once, from a
    worker, once the outcome is committed. The task decides whether it is Match Week and
    whether it went already (reminders.email.soap); a matched student costs nothing."""
    if outcome not in DID_NOT_MATCH or not match_year:
        return
    # A broker that is down leaves the outcome recorded and the email to the hourly sweep.
    resilience.enqueue_on_commit(tasks.send_soap_plan, owner_id, match_year)
