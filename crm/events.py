"""The one hook between the records and what is derived from them.

A student's records live below the engine (`contacts` never imports `reminders`), yet the engine
must hear of every change: the standing cache is keyed on `User.records_changed_at`, and logging
an interaction closes the nudges it answers. So each service that changes a student's records
calls `records_changed(...)` once, after its writes (`records_changed_in_bulk` for many
students at once); it stamps the student and sends the `changed` signal, to which the engine
(and anything above the records) connects in its AppConfig.ready(). One explicit call per
change, no model signals: a bulk import or a cascaded delete stamps once, not once per row.
"""

import contextlib
import datetime
import threading
from collections.abc import Sequence

from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Greatest
from django.dispatch import Signal
from django.utils import timezone

# Sent with owner_id (int) and, where a single interaction was logged, interaction=<Interaction>
# and since=<the student's records_changed_at before this change> (the engine's live refresh
# builds on the answer it kept for that stamp). With bulk=True, one of many students changed at
# once (records_changed_in_bulk): a receiver may gather them and do its work once for all.
# Receivers run inside the writer's transaction; work that must see committed data uses
# transaction.on_commit.
changed = Signal()

# Sent with owner_id (int), outcome (a crm.match.MatchOutcome value, never empty) and
# match_year (int | None) when a student records their Match outcome or changes it, after
# `changed`. Inside the writer's transaction, like `changed`: the SOAP email (reminders)
# enqueues itself on commit.
outcome_recorded = Signal()


def _moved_stamp() -> Greatest:
    """The new records stamp, in SQL: now, or a microsecond after the stamp it replaces. It
    always moves, even when the clock does not (a second write in the same microsecond, a
    frozen clock in tests, a web process whose clock is behind): every cache keyed on it must
    see the change."""
    moved = F("records_changed_at") + datetime.timedelta(microseconds=1)
    return Greatest(Value(timezone.now(), output_field=DateTimeField()), moved)


def records_changed(*, owner_id: int, interaction=None, since=None) -> None:
    """Stamp the student's records as changed and tell whoever listens. Call once per change;
    with a logged interaction, pass the owner's stamp as it was before (`since`)."""
    from .models import User  # crm.models imports nothing above it; kept local for app loading

    User.objects.filter(pk=owner_id).update(records_changed_at=_moved_stamp())
    changed.send(sender=User, owner_id=owner_id, interaction=interaction, since=since)


def records_changed_in_bulk(*, owner_ids: Sequence[int]) -> None:
    """Many students' records changed in one transaction (a class imported at once): one
    update stamps them all, and `changed` is sent once per student with bulk=True, so every
    receiver still hears of each student, and the engine can refresh them together after the
    commit instead of one by one."""
    from .models import User

    User.objects.filter(pk__in=owner_ids).update(records_changed_at=_moved_stamp())
    for owner_id in owner_ids:
        changed.send(sender=User, owner_id=owner_id, interaction=None, since=None, bulk=True)


def match_outcome_recorded(*, owner_id: int, outcome: str, match_year: int | None) -> None:
    """Tell whoever listens that the student recorded this Match outcome (a new value)."""
    from .models import User

    outcome_recorded.send(sender=User, owner_id=owner_id, outcome=outcome, match_year=match_year)


# --- Who is waiting for the change --------------------------------------------------------

_unattended = threading.local()


@contextlib.contextmanager
def unattended():
    """Changes made inside are not followed by a page (a message read by the inbound server):
    what reacts to them may leave its work to a worker instead of doing it before the next
    page is drawn."""
    depth = getattr(_unattended, "depth", 0)
    _unattended.depth = depth + 1
    try:
        yield
    finally:
        _unattended.depth = depth


def is_unattended() -> bool:
    return getattr(_unattended, "depth", 0) > 0
