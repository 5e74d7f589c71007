"""How a refresh turns what the engine says into row changes: pure, so it is easy to prove
idempotent (planning again after applying a plan changes nothing).

- A new occasion becomes an open nudge.
- An open or snoozed nudge the engine still produces keeps its state, with due date and reason
  brought up to date; a snoozed one whose date has come reopens.
- A quietly closed ("expired") nudge the engine produces again reopens.
- Done and dismissed nudges are never touched: a dismissal is final for its occasion.
- An open or snoozed nudge the engine no longer produces is closed quietly ("expired").
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from .rules import NudgeSpec

OPEN = "open"
DONE = "done"
SNOOZED = "snoozed"
DISMISSED = "dismissed"
EXPIRED = "expired"
LIVE_STATES = (OPEN, SNOOZED)


@dataclasses.dataclass(frozen=True, slots=True)
class StoredNudge:
    id: int
    key: str
    kind: str
    state: str
    due: datetime.date
    reason: str
    contact_id: int | None
    occasion_on: datetime.date
    snoozed_until: datetime.date | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Change:
    """The full new value of a stored nudge's mutable fields."""

    id: int
    kind: str
    state: str
    due: datetime.date
    reason: str
    contact_id: int | None
    occasion_on: datetime.date
    snoozed_until: datetime.date | None
    reopened: bool


@dataclasses.dataclass(frozen=True)
class Plan:
    create: tuple[NudgeSpec, ...]
    change: tuple[Change, ...]
    expire: tuple[int, ...]
    open_after: int  # how many nudges are open once the plan is applied

    @property
    def is_empty(self) -> bool:
        return not (self.create or self.change or self.expire)


def plan_refresh(
    produced: Iterable[NudgeSpec], stored: Iterable[StoredNudge], today: datetime.date
) -> Plan:
    """The changes that make one student's stored nudges agree with what the engine says.

    `stored` must include every open or snoozed nudge of the student, and any other stored
    nudge whose key is among the produced ones."""
    by_key = {nudge.key: nudge for nudge in stored}
    produced_keys: set[str] = set()
    create: list[NudgeSpec] = []
    change: list[Change] = []
    open_after = 0
    for spec in produced:
        produced_keys.add(spec.key)
        row = by_key.get(spec.key)
        if row is None:
            create.append(spec)
            open_after += 1
            continue
        if row.state in (DONE, DISMISSED):
            continue
        state, snoozed_until = row.state, row.snoozed_until
        if state == EXPIRED or (
            state == SNOOZED and (snoozed_until is None or snoozed_until <= today)
        ):
            state, snoozed_until = OPEN, None
        open_after += state == OPEN
        new = Change(
            id=row.id,
            kind=spec.kind,
            state=state,
            due=spec.due,
            reason=spec.reason,
            contact_id=spec.contact_id,
            occasion_on=spec.occasion_on,
            snoozed_until=snoozed_until,
            reopened=state != row.state,
        )
        current = (
            row.kind,
            row.state,
            row.due,
            row.reason,
            row.contact_id,
            row.occasion_on,
            row.snoozed_until,
        )
        if current != (
            new.kind,
            new.state,
            new.due,
            new.reason,
            new.contact_id,
            new.occasion_on,
            new.snoozed_until,
        ):
            change.append(new)
    expire = tuple(
        row.id
        for row in by_key.values()
        if row.state in LIVE_STATES and row.key not in produced_keys
    )
    return Plan(tuple(create), tuple(change), expire, open_after)


def apply_plan(
    plan: Plan, stored: Iterable[StoredNudge], next_id: int = 1_000_000
) -> list[StoredNudge]:
    """The stored nudges after `plan`, in memory: what the database holds after a refresh."""
    rows = {nudge.id: nudge for nudge in stored}
    for item in plan.change:
        rows[item.id] = dataclasses.replace(
            rows[item.id],
            kind=item.kind,
            state=item.state,
            due=item.due,
            reason=item.reason,
            contact_id=item.contact_id,
            occasion_on=item.occasion_on,
            snoozed_until=item.snoozed_until,
        )
    for row_id in plan.expire:
        rows[row_id] = dataclasses.replace(rows[row_id], state=EXPIRED, snoozed_until=None)
    keys = {row.key for row in rows.values()}
    for offset, spec in enumerate(plan.create):
        if spec.key in keys:  # the unique constraint: ignore_conflicts
            continue
        keys.add(spec.key)
        rows[next_id + offset] = StoredNudge(
            id=next_id + offset,
            key=spec.key,
            kind=spec.kind,
            state=OPEN,
            due=spec.due,
            reason=spec.reason,
            contact_id=spec.contact_id,
            occasion_on=spec.occasion_on,
        )
    return list(rows.values())
