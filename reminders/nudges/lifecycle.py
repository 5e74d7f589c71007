"""How a refresh turns what the engine says into row changes: pure, so it is easy to prove
idempotent (planning again after applying a plan changes nothing).

- A new occasion becomes an open nudge.
- An open or snoozed nudge the engine still produces keeps its state, with due date and reason
  brought up to date; a snoozed one whose date has come reopens.
- A quietly closed ("expired") nudge the engine produces again reopens.
- Done and dismissed nudges are never touched: a dismissal is final for its occasion.
- An open or snoozed nudge the engine no longer produces is closed quietly ("expired").

A stored nudge is rewritten only when what it says changed: its kind, person, words, window,
stakes, group or state. Not when only the calendar moved: the engine shows a date already gone
as today (rules._current, letters._held), so a late nudge's due date would move every day. Its
stored `due` stays the first day it was due; readers show vocabulary.shown_due (the later of
the stored due and their today), which is what the engine says on every day since.
"""

from __future__ import annotations

import dataclasses
import datetime
import operator
from collections.abc import Iterable

from reminders.engine.rules import NudgeSpec
from reminders.vocabulary import LIVE_STATES, NUDGE_FIELDS, NudgeState, shown_due

# A stored nudge's (or a change's) values of NUDGE_FIELDS, to tell whether anything changed.
_values = operator.attrgetter(*NUDGE_FIELDS)


@dataclasses.dataclass(frozen=True, slots=True)
class StoredNudge:
    """A stored nudge as a refresh reads it: its id, key and NUDGE_FIELDS."""

    id: int
    key: str
    kind: str
    state: str
    due: datetime.date
    reason: str
    contact_id: int | None
    occasion_on: datetime.date
    snoozed_until: datetime.date | None = None
    stakes: int = 50
    group: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Change:
    """The full new value of a stored nudge's NUDGE_FIELDS."""

    id: int
    kind: str
    state: str
    due: datetime.date
    reason: str
    contact_id: int | None
    occasion_on: datetime.date
    snoozed_until: datetime.date | None
    stakes: int
    group: str
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
        if row.state in (NudgeState.DONE, NudgeState.DISMISSED):
            continue
        state, snoozed_until = row.state, row.snoozed_until
        if state == NudgeState.EXPIRED or (
            state == NudgeState.SNOOZED and (snoozed_until is None or snoozed_until <= today)
        ):
            state, snoozed_until = NudgeState.OPEN, None
        open_after += state == NudgeState.OPEN
        # Due today (or before) then and now: the stored date already shows as today.
        held = shown_due(row.due, today) == shown_due(spec.due, today)
        new = Change(
            id=row.id,
            kind=spec.kind,
            state=state,
            due=row.due if held else spec.due,
            reason=spec.reason,
            contact_id=spec.contact_id,
            occasion_on=spec.occasion_on,
            snoozed_until=snoozed_until,
            stakes=spec.stakes,
            group=spec.group,
            reopened=state != row.state,
        )
        if _values(row) != _values(new):
            change.append(new)
    expire = tuple(
        row.id
        for row in by_key.values()
        if row.state in LIVE_STATES and row.key not in produced_keys
    )
    return Plan(tuple(create), tuple(change), expire, open_after)
