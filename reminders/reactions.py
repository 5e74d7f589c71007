"""How the engine hears of record changes: crm.events.changed, sent once per change by the
records' services (contacts never imports reminders). Connected in RemindersConfig.ready().

Live: every change refreshes the student's stored nudges once its transaction commits, so the
page after a write is already right. A transaction with many changes (an import, a cascaded
delete) refreshes once: the changes of one student join the refresh already waiting for that
transaction's commit.

The SOAP email: crm.events.outcome_recorded, sent when a student records their Match outcome,
enqueues reminders.tasks.send_soap_plan once the outcome is committed (the worker must see it)."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.dispatch import receiver

from crm.events import changed, outcome_recorded
from reminders import tasks
from reminders.engine.match_week import DID_NOT_MATCH
from reminders.nudges.services import close_nudges_answered_by, refresh_after_change

logger = logging.getLogger(__name__)


@receiver(changed, dispatch_uid="reminders.close_nudges_answered_by")
def close_answered_nudges(sender, *, owner_id: int, interaction=None, **kwargs) -> None:
    """A newly logged interaction marks done the live nudges it answers."""
    if interaction is None:
        return
    close_nudges_answered_by(interaction=interaction)


class _PendingRefresh:
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
        self.done = True
        refresh_after_change(
            student_id=self.owner_id,
            contact_ids=frozenset(self.contact_ids) if self.contact_ids else None,
            since=self.since,
        )


def _waiting(owner_id: int) -> _PendingRefresh | None:
    # Django keeps the callbacks of the open transaction in run_on_commit (dropping those of a
    # savepoint rolled back): one already there for this student will see this change too.
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for _sids, callback, *_ in connection.run_on_commit:
        if (
            isinstance(callback, _PendingRefresh)
            and callback.owner_id == owner_id
            and not callback.done
        ):
            return callback
    return None


def _stamp_before(interaction) -> datetime.datetime | None:
    # The student as the request loaded them (the service's `owner`): their stamp before this
    # change, the key of the answer the live refresh may build on.
    owner = interaction._state.fields_cache.get("owner") if interaction is not None else None
    return owner.records_changed_at if owner is not None else None


@receiver(changed, dispatch_uid="reminders.refresh_on_commit")
def refresh_on_commit(sender, *, owner_id: int, interaction=None, **kwargs) -> None:
    """Refresh the student's nudges once the change is committed (robust: a failure is logged
    and the daily refresh catches up; the write itself stands)."""
    pending = _waiting(owner_id)
    if pending is not None:
        pending.add(interaction)
        return
    pending = _PendingRefresh(owner_id, _stamp_before(interaction))
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
    transaction.on_commit(lambda: tasks.send_soap_plan.delay(owner_id, match_year), robust=True)
