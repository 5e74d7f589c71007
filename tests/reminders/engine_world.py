"""Build a student's records in memory, for tests of the pure engine; and `apply_plan`, what
a refresh's plan does to the stored nudges, in memory.

b = RecordsBuilder(match_year=2027)
rao = b.contact("Dr. Rao", role="clerkship_director")
b.interaction(rao, date(2026, 7, 10), kind="meeting")
evaluation = b.evaluate(date(2026, 7, 11))
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from collections.abc import Iterable
from typing import Any

from reminders.engine.conf import EngineConf, build_conf
from reminders.engine.records import (
    ContactRecord,
    InteractionRecord,
    LetterRecord,
    ProgramRecord,
    RotationRecord,
    StoryRecord,
    StudentRecords,
    TieRecord,
)
from reminders.engine.rules import Evaluation, evaluate
from reminders.nudges.lifecycle import Plan, StoredNudge
from reminders.vocabulary import NudgeState


class RecordsBuilder:
    def __init__(self, **student: Any):
        self._ids = itertools.count(1)
        self.student = {"id": 1, "name": "Ada Student", **student}
        self.contacts: list[ContactRecord] = []
        self.interactions: list[InteractionRecord] = []
        self.rotations: list[RotationRecord] = []
        self.letters: list[LetterRecord] = []
        self.programs: list[ProgramRecord] = []
        self.ties: list[TieRecord] = []
        self.story: StoryRecord | None = None

    def contact(self, name: str = "Dr. Rao", role: str = "faculty", **fields: Any) -> ContactRecord:
        fields.setdefault("created_on", datetime.date(2026, 1, 1))
        contact = ContactRecord(id=next(self._ids), name=name, role=role, **fields)
        self.contacts.append(contact)
        return contact

    def interaction(
        self, contact: ContactRecord, date: datetime.date, kind: str = "meeting", **fields: Any
    ) -> InteractionRecord:
        fields.setdefault("context", "clinical")
        interaction = InteractionRecord(
            id=next(self._ids), contact_id=contact.id, date=date, kind=kind, **fields
        )
        self.interactions.append(interaction)
        return interaction

    def rotation(
        self,
        name: str,
        start: datetime.date,
        end: datetime.date,
        team: list[tuple[ContactRecord, int]] = (),
        kind: str = "sub_internship",
        **fields: Any,
    ) -> RotationRecord:
        rotation = RotationRecord(
            id=next(self._ids),
            name=name,
            kind=kind,
            start=start,
            end=end,
            team=tuple((contact.id, weeks) for contact, weeks in team),
            **fields,
        )
        self.rotations.append(rotation)
        return rotation

    def letter(
        self, writer: ContactRecord, status: str = "considering", **fields: Any
    ) -> LetterRecord:
        fields.setdefault("created_on", datetime.date(2026, 1, 1))
        letter = LetterRecord(id=next(self._ids), writer_id=writer.id, status=status, **fields)
        self.letters.append(letter)
        return letter

    def program(self, name: str, specialty: str = "Internal Medicine", **fields: Any):
        program = ProgramRecord(id=next(self._ids), name=name, specialty=specialty, **fields)
        self.programs.append(program)
        return program

    def tie(
        self,
        contact: ContactRecord,
        program: ProgramRecord | None = None,
        kind: str = "trained_at",
        **fields: Any,
    ) -> TieRecord:
        tie = TieRecord(
            id=next(self._ids),
            contact_id=contact.id,
            kind=kind,
            program_id=program.id if program is not None else None,
            **fields,
        )
        self.ties.append(tie)
        return tie

    def tell_story(self, year: int, callers: Iterable[ContactRecord] = (), **fields: Any):
        fields.setdefault("saved_on", datetime.date(year, 3, 12))
        self.story = StoryRecord(
            year=year, caller_ids=tuple(contact.id for contact in callers), **fields
        )
        return self.story

    def replace_letter(self, letter: LetterRecord, **fields: Any) -> LetterRecord:
        updated = dataclasses.replace(letter, **fields)
        self.letters[self.letters.index(letter)] = updated
        return updated

    def records(self) -> StudentRecords:
        student = dict(self.student)
        for name in ("target_specialties", "target_cities"):
            student[name] = tuple(student.get(name, ()))
        return StudentRecords(
            **student,
            contacts=tuple(self.contacts),
            interactions=tuple(self.interactions),
            rotations=tuple(self.rotations),
            letters=tuple(self.letters),
            programs=tuple(self.programs),
            ties=tuple(self.ties),
            story=self.story,
        )

    def evaluate(self, today: datetime.date, conf: EngineConf | None = None) -> Evaluation:
        return evaluate(self.records(), today, conf or build_conf())

    def nudges(self, today: datetime.date, kind: str | None = None, conf: EngineConf | None = None):
        found = self.evaluate(today, conf).nudges
        return [spec for spec in found if kind is None or spec.kind == kind]


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
        rows[row_id] = dataclasses.replace(
            rows[row_id], state=NudgeState.EXPIRED, snoozed_until=None
        )
    keys = {row.key for row in rows.values()}
    for offset, spec in enumerate(plan.create):
        if spec.key in keys:  # the unique constraint: ignore_conflicts
            continue
        keys.add(spec.key)
        rows[next_id + offset] = StoredNudge(
            id=next_id + offset,
            key=spec.key,
            kind=spec.kind,
            state=NudgeState.OPEN,
            due=spec.due,
            reason=spec.reason,
            contact_id=spec.contact_id,
            occasion_on=spec.occasion_on,
        )
    return list(rows.values())
