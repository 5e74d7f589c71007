"""Plain, immutable copies of a student's records: what the pure engine reads.

The selector (reminders.selectors.load_records) fills these from the database in a fixed number
of queries; tests build them directly. Nothing here touches Django. Contacts and interactions,
the numerous ones, are NamedTuples: immutable and several times cheaper to build than frozen
dataclasses, which matters at tens of thousands per chunk.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import NamedTuple


class ContactRecord(NamedTuple):
    id: int
    name: str
    role: str
    specialty: str = ""
    institution: str = ""
    city: str = ""
    state: str = ""
    setting: str = ""  # "academic", "community" or ""
    would_vouch: bool = False
    archived: bool = False
    created_on: datetime.date | None = None


class InteractionRecord(NamedTuple):
    id: int
    contact_id: int
    date: datetime.date
    kind: str
    direction: str = "outbound"
    context: str = ""
    follow_up_by: datetime.date | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class RotationRecord:
    id: int
    name: str
    kind: str
    start: datetime.date
    end: datetime.date
    specialty: str = ""
    # (contact id, weeks together) for each person on the team.
    team: tuple[tuple[int, int], ...] = ()
    # Where it was (the institution's name, "" when not recorded): a rotation there is a tie.
    institution: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class LetterRecord:
    id: int
    writer_id: int
    status: str
    purpose: str = "residency"
    due: datetime.date | None = None
    asked_on: datetime.date | None = None
    agreed_on: datetime.date | None = None
    materials_sent_on: datetime.date | None = None
    submitted_on: datetime.date | None = None
    thanked_on: datetime.date | None = None
    materials: tuple[str, ...] = ()
    created_on: datetime.date | None = None


class ProgramRecord(NamedTuple):
    id: int
    name: str
    specialty: str = ""
    institution: str = ""  # the institution's name, "" when not recorded
    place: str = ""  # "Seattle, WA"
    target: bool = False


class TieRecord(NamedTuple):
    id: int
    contact_id: int
    kind: str  # contacts.vocabulary.TieKind
    program_id: int | None = None  # a tie to one program ...
    institution: str = ""  # ... or to a whole institution (by name)
    note: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class StoryRecord:
    """The student's Match Week story for one Match year (contacts.MatchStory)."""

    year: int
    specialties: tuple[str, ...] = ()
    pitch: str = ""
    scores: str = ""
    red_flag: str = ""
    caller_ids: tuple[int, ...] = ()
    note: str = ""
    matched_program_id: int | None = None
    saved_on: datetime.date | None = None
    # SOAP: the programs that contacted the student (only these may be spoken to before the
    # end of SOAP, NRMP's rule).
    contacted_program_ids: tuple[int, ...] = ()


class RedFlagRecord(NamedTuple):
    """A red flag on the student's record (contacts.RedFlag): its kind and the student's own
    one-line explanation. Only the student (and an advisor, when shared) ever reads it."""

    kind: str  # contacts.vocabulary.RedFlagKind
    note: str
    shared: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class StudentRecords:
    id: int
    name: str = ""
    match_year: int | None = None
    match_outcome: str = ""
    target_specialties: tuple[str, ...] = ()
    target_cities: tuple[str, ...] = ()
    # The student's own dates for this cycle, as (field of MatchCalendar, date) pairs, and
    # SOAP's times of day as (crm.match.EDITABLE_SOAP_TIMES name, time) pairs.
    cycle_dates: tuple[tuple[str, datetime.date | datetime.time], ...] = ()
    contacts: tuple[ContactRecord, ...] = ()
    interactions: tuple[InteractionRecord, ...] = ()
    rotations: tuple[RotationRecord, ...] = ()
    letters: tuple[LetterRecord, ...] = ()
    # Every program of the student's (few); the ties of the contacts above (with them, a
    # live refresh loads only its contacts' ties); the story for their Match year, if any.
    programs: tuple[ProgramRecord, ...] = ()
    ties: tuple[TieRecord, ...] = ()
    story: StoryRecord | None = None
    red_flags: tuple[RedFlagRecord, ...] = ()
    timezone: str = ""  # the student's own zone: SOAP's Eastern times are shown in it
    school: str = ""  # the home institution's name: its contacts are "home"
