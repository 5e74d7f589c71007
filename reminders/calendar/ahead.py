"""The coming week in the calendar feed: what the engine will first ask over the next
AHEAD_DAYS days, on the day it will be due and in the words it will have then, before it is a
nudge on This week. The same look ahead as the weekly email's "Later this week"
(reminders.engine.horizon: one evaluation and one pass over the rules' calendars).

A feed request never evaluates anyone. A worker works the look ahead out
(reminders.tasks.look_ahead, `work_out` here) and stores it (reminders.models.LookAhead) for
the records as they were; the feed reads it back (`for_feed`, three queries at most). While
the records stay as they were, the look ahead stays exact day after day (each item is first
asked on its day, whichever day the reader is on), so the feed keeps the items from today on
and asks the worker for a fresh week. After any change to the records it shows none until
the worker has looked again; calendar apps fetch again within hours (feed.REFRESH_INTERVAL).
"""

from __future__ import annotations

import dataclasses
import datetime

from contacts.models import Contact
from crm.models import User
from reminders.engine.conf import get_conf
from reminders.engine.horizon import horizon
from reminders.evaluation.loader import load_records, records_version
from reminders.models import LookAhead, Nudge

# The coming week: a calendar shows a week at a glance.
AHEAD_DAYS = 7


@dataclasses.dataclass(frozen=True)
class AheadItem:
    """A task the engine will ask from a later day, due on `due`, about `contact` (or no
    one)."""

    key: str
    kind: str
    contact: Contact | None
    due: datetime.date
    reason: str


def work_out(student_id: int) -> LookAhead | None:
    """Look ahead for the student from their local today and store it (a worker's job: one
    evaluation of the whole network). None if there is no such student."""
    student = User.objects.filter(pk=student_id, role=User.Role.STUDENT).first()
    if student is None:
        return None
    today = student.local_today()
    # Read before the records: a change in between leaves an older version stored, which the
    # feed then takes for stale (never the reverse).
    version = records_version(student)
    records, _tz = load_records([student_id])[student_id]
    found = horizon(records, today, today + datetime.timedelta(days=AHEAD_DAYS), get_conf())
    items = [
        {
            "key": item.spec.key,
            "kind": item.spec.kind,
            "contact_id": item.spec.contact_id,
            "day": item.day.isoformat(),
            "due": item.spec.due.isoformat(),
            "reason": item.spec.reason,
        }
        for item in sorted(found.ahead, key=lambda item: (item.spec.due, item.spec.key))
    ]
    row, _created = LookAhead.objects.update_or_create(
        owner_id=student_id,
        defaults={"computed_on": today, "records_version": version, "items": items},
    )
    return row


def for_feed(student: User, today: datetime.date) -> list[AheadItem]:
    """The items to show on `today`, asking a worker to look again when the stored week is
    missing, of another day or of other records (reminders.tasks.look_ahead_soon). Items
    already stored as a nudge, in any state (on the feed already, or done or dismissed for
    good), are left out, and so are those about a contact since deleted. At most three
    queries, whatever the number of items."""
    row = LookAhead.objects.filter(owner=student).first()
    current = row is not None and row.records_version == records_version(student)
    if not current or row.computed_on != today:
        from reminders.tasks import look_ahead_soon  # the tasks sit above the feed's reads

        look_ahead_soon(student.pk)
    if not current:
        return []
    kept = [item for item in row.items if datetime.date.fromisoformat(item["day"]) >= today]
    if not kept:
        return []
    stored = set(
        Nudge.objects.filter(owner=student, key__in=[item["key"] for item in kept]).values_list(
            "key", flat=True
        )
    )
    kept = [item for item in kept if item["key"] not in stored]
    wanted = {item["contact_id"] for item in kept if item["contact_id"] is not None}
    contacts = Contact.objects.filter(owner=student, pk__in=wanted).in_bulk() if wanted else {}
    return [
        AheadItem(
            key=item["key"],
            kind=item["kind"],
            contact=contacts.get(item["contact_id"]),
            due=datetime.date.fromisoformat(item["due"]),
            reason=item["reason"],
        )
        for item in kept
        if item["contact_id"] is None or item["contact_id"] in contacts
    ]
