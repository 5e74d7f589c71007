"""The engine's inputs from the database: a chunk of students' records as plain tuples
(reminders.engine.records) in a fixed number of queries, the calendar a student set, and the
pause of the garbage collector that makes loading thousands of records cheap."""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models.functions import TruncDate

from contacts.models import (
    Contact,
    Interaction,
    LetterRequest,
    MatchStory,
    Program,
    RedFlag,
    Rotation,
    TeamMember,
    Tie,
)
from crm.match import EDITABLE_SOAP_TIMES
from crm.models import User
from reminders.engine.conf import get_conf
from reminders.engine.cycle import MatchCalendar, match_calendar
from reminders.engine.records import (
    ContactRecord,
    InteractionRecord,
    LetterRecord,
    ProgramRecord,
    RedFlagRecord,
    RotationRecord,
    StoryRecord,
    StudentRecords,
    TieRecord,
)

# An InteractionRecord straight from a database row, without a Python-level call per row.
interaction_from_row = functools.partial(tuple.__new__, InteractionRecord)


def _created_on(field: str) -> TruncDate:
    # The day a record was added, in UTC as stored; computed by the database, which is much
    # quicker than building an aware datetime per row only to drop its time.
    return TruncDate(field, tzinfo=datetime.UTC)


def _interactions_of(
    student_ids: list[int], contact_ids: list[int] | None = None
) -> list[InteractionRecord]:
    """Every interaction of these students, as InteractionRecords.

    The big table (hundreds of rows per student, a hundred thousand per chunk), so it skips the
    ORM's row handling: only the record's columns, in the record's order, fetched at once from a
    plain cursor. Every column is a plain type both backends return as is (dates included)."""
    if not student_ids:
        return []  # the ORM answers an empty IN () without asking; a raw query cannot
    rows = Interaction.objects.filter(owner_id__in=student_ids)
    if contact_ids is not None:
        rows = rows.filter(contact_id__in=contact_ids)
    queryset = rows.order_by().values_list(
        "pk", "contact_id", "date", "kind", "direction", "context", "follow_up_by"
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(map(interaction_from_row, cursor.fetchall()))


def _cycle_dates(
    stored: dict | None,
) -> tuple[tuple[str, datetime.date | datetime.time], ...]:
    """The student's own cycle dates as stored (ISO strings; SOAP's times of day as "HH:MM"),
    skipping anything unreadable."""
    dates = []
    for name, value in sorted((stored or {}).items()):
        parse = datetime.time.fromisoformat if name in EDITABLE_SOAP_TIMES else None
        try:
            dates.append((name, (parse or datetime.date.fromisoformat)(value)))
        except (TypeError, ValueError):
            continue
    return tuple(dates)


def student_calendar(student: User) -> MatchCalendar | None:
    """The calendar of the student's Match year with their own dates, or None without a year."""
    if not student.match_year:
        return None
    return match_calendar(student.match_year, get_conf(), dict(_cycle_dates(student.cycle_dates)))


# The user row's fields the engine reads beside the records (load_records unpacks them in order).
STUDENT_FIELDS = (
    "name",
    "timezone",
    "match_year",
    "match_outcome",
    "target_specialties",
    "target_cities",
    "cycle_dates",
    "school_name",
)


def records_stamp(student: User) -> str:
    """The records' change stamp (crm.events.records_changed moves it with every change), as
    a cache key's part."""
    return student.records_changed_at.isoformat() if student.records_changed_at else "-"


def records_version(student: User) -> str:
    """Everything the engine reads of a student, as a cache key's part: the records' stamp and
    a fingerprint of the user row's fields it reads (STUDENT_FIELDS). A change to any of them
    is a new version."""
    profile = tuple(_plain(getattr(student, name)) for name in STUDENT_FIELDS)
    fingerprint = hashlib.sha256(repr(profile).encode()).hexdigest()[:16]
    return f"{records_stamp(student)}:{fingerprint}"


def _plain(value):
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return tuple(value) if isinstance(value, list) else value


def load_records(
    student_ids: Sequence[int],
    *,
    contact_ids: Iterable[int] | None = None,
    with_programs: bool = True,
) -> dict[int, tuple[StudentRecords, str]]:
    """Each student's records (and time zone), in ten queries whatever the number of students:
    students, contacts (with institution), interactions, rotations, team members, letters,
    programs, ties, Match stories and red flags (one more for whom the stories would call, when
    there are any). Only the rules read the last four: `with_programs=False` skips them (six
    queries).

    With `contact_ids`, only those contacts with their interactions and letters (every rotation
    still): what the live refresh re-evaluates (reminders.engine.live)."""
    ids = list(student_ids)
    only = None if contact_ids is None else list(contact_ids)
    students = User.objects.filter(pk__in=ids).values_list("pk", *STUDENT_FIELDS)
    contacts: dict[int, list[ContactRecord]] = defaultdict(list)
    owner_of: dict[int, int] = {}
    for row in (
        Contact.objects.filter(owner_id__in=ids)
        .filter(**({} if only is None else {"pk__in": only}))
        .annotate(created_on=_created_on("created_at"))
        .values_list(
            "pk",
            "owner_id",
            "name",
            "role",
            "specialty",
            "institution__name",
            "institution__city",
            "institution__state",
            "institution__setting",
            "would_vouch",
            "archived",
            "created_on",
        )
    ):
        owner_of[row[0]] = row[1]
        contacts[row[1]].append(
            ContactRecord(
                row[0],
                row[2],
                row[3],
                row[4] or "",
                row[5] or "",
                row[6] or "",
                row[7] or "",
                row[8] or "",
                row[9],
                row[10],
                row[11],
            )
        )
    interactions: dict[int, list[InteractionRecord]] = defaultdict(list)
    for interaction in _interactions_of(ids, only):
        # Grouped by the contact's owner: an interaction always belongs to its contact's student.
        if (owner_id := owner_of.get(interaction.contact_id)) is not None:
            interactions[owner_id].append(interaction)
    teams: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for rotation_id, contact_id, weeks in TeamMember.objects.filter(
        rotation__owner_id__in=ids
    ).values_list("rotation_id", "contact_id", "weeks_together"):
        teams[rotation_id].append((contact_id, weeks))
    rotations: dict[int, list[RotationRecord]] = defaultdict(list)
    for pk, owner_id, name, kind, start, end, specialty, place in Rotation.objects.filter(
        owner_id__in=ids
    ).values_list(
        "pk", "owner_id", "name", "kind", "start", "end", "specialty", "institution__name"
    ):
        rotations[owner_id].append(
            RotationRecord(
                id=pk,
                name=name,
                kind=kind,
                start=start,
                end=end,
                specialty=specialty or "",
                team=tuple(sorted(teams.get(pk, ()))),
                institution=place or "",
            )
        )
    letters: dict[int, list[LetterRecord]] = defaultdict(list)
    for row in (
        LetterRequest.objects.filter(owner_id__in=ids)
        .filter(**({} if only is None else {"writer_id__in": only}))
        .annotate(created_on=_created_on("created_at"))
        .values_list(
            "pk",
            "owner_id",
            "writer_id",
            "status",
            "purpose",
            "due",
            "asked_on",
            "agreed_on",
            "materials_sent_on",
            "submitted_on",
            "thanked_on",
            "materials",
            "created_on",
        )
    ):
        letters[row[1]].append(
            LetterRecord(
                id=row[0],
                writer_id=row[2],
                status=row[3],
                purpose=row[4],
                due=row[5],
                asked_on=row[6],
                agreed_on=row[7],
                materials_sent_on=row[8],
                submitted_on=row[9],
                thanked_on=row[10],
                materials=tuple(row[11] or ()),
                created_on=row[12],
            )
        )
    programs, ties, stories = (
        _programs_ties_stories(ids, only, students) if with_programs else ({}, {}, {})
    )
    # Only the rules read red flags (one query, with the programs).
    red_flags: dict[int, list[RedFlagRecord]] = defaultdict(list)
    if with_programs:
        for owner_id, kind, note, shared in (
            RedFlag.objects.filter(owner_id__in=ids)
            .order_by("pk")
            .values_list("owner_id", "kind", "note", "shared")
        ):
            red_flags[owner_id].append(RedFlagRecord(kind, note, shared))
    loaded = {}
    for pk, name, tz, match_year, outcome, specialties, cities, cycle_dates, school in students:
        loaded[pk] = (
            StudentRecords(
                id=pk,
                name=name,
                match_year=match_year,
                match_outcome=outcome or "",
                target_specialties=tuple(specialties or ()),
                target_cities=tuple(cities or ()),
                cycle_dates=_cycle_dates(cycle_dates),
                contacts=tuple(contacts.get(pk, ())),
                interactions=tuple(interactions.get(pk, ())),
                rotations=tuple(rotations.get(pk, ())),
                letters=tuple(letters.get(pk, ())),
                programs=tuple(programs.get(pk, ())),
                ties=tuple(ties.get(pk, ())),
                story=stories.get(pk),
                red_flags=tuple(red_flags.get(pk, ())),
                timezone=tz,
                school=school,
            ),
            tz,
        )
    return loaded


def _programs_ties_stories(ids: list[int], only: list[int] | None, students) -> tuple[dict, ...]:
    """Each student's programs (all: a handful), the ties of the contacts loaded, and the story
    for their Match year: three queries, and one more for whom the stories would call."""
    programs: dict[int, list[ProgramRecord]] = defaultdict(list)
    for pk, owner_id, name, specialty, institution, city, state, target in (
        Program.objects.filter(owner_id__in=ids)
        .order_by("-target", "name", "pk")
        .values_list(
            "pk",
            "owner_id",
            "name",
            "specialty",
            "institution__name",
            "institution__city",
            "institution__state",
            "target",
        )
    ):
        place = ", ".join(part for part in (city, state) if part)
        programs[owner_id].append(
            ProgramRecord(pk, name, specialty or "", institution or "", place, target)
        )
    ties: dict[int, list[TieRecord]] = defaultdict(list)
    for pk, owner_id, contact_id, kind, program_id, institution, note in (
        Tie.objects.filter(owner_id__in=ids)
        .filter(**({} if only is None else {"contact_id__in": only}))
        .order_by("pk")
        .values_list(
            "pk", "owner_id", "contact_id", "kind", "program_id", "institution__name", "note"
        )
    ):
        ties[owner_id].append(TieRecord(pk, contact_id, kind, program_id, institution or "", note))
    years = {row[0]: row[3] for row in students if row[3]}
    found = (
        [
            row
            for row in MatchStory.objects.filter(owner_id__in=list(years)).values_list(
                "pk",
                "owner_id",
                "year",
                "specialties",
                "pitch",
                "scores",
                "red_flag",
                "note",
                "matched_program_id",
                "saved_on",
            )
            if years.get(row[1]) == row[2]
        ]
        if years
        else []
    )
    callers: dict[int, list[int]] = defaultdict(list)
    contacted: dict[int, list[int]] = defaultdict(list)
    if found:
        for story_id, contact_id in (
            MatchStory.callers.through.objects.filter(matchstory_id__in=[r[0] for r in found])
            .order_by("pk")
            .values_list("matchstory_id", "contact_id")
        ):
            callers[story_id].append(contact_id)
        # "Program X contacted me" (SOAP): few rows, and only for a story that has some.
        for story_id, program_id in (
            MatchStory.contacted_programs.through.objects.filter(
                matchstory_id__in=[r[0] for r in found]
            )
            .order_by("pk")
            .values_list("matchstory_id", "program_id")
        ):
            contacted[story_id].append(program_id)
    stories = {}
    for pk, owner_id, year, specialties, pitch, scores, red_flag, note, matched, on in found:
        stories[owner_id] = StoryRecord(
            year=year,
            specialties=tuple(specialties or ()),
            pitch=pitch,
            scores=scores,
            red_flag=red_flag,
            caller_ids=tuple(callers.get(pk, ())),
            note=note,
            matched_program_id=matched,
            saved_on=on,
            contacted_program_ids=tuple(contacted.get(pk, ())),
        )
    return programs, ties, stories


# --- One contact, or a page of them, without loading the whole student ------------------------


def contact_record(contact: Contact) -> ContactRecord:
    institution = contact.institution
    return ContactRecord(
        id=contact.pk,
        name=contact.name,
        role=contact.role,
        specialty=contact.specialty or "",
        institution=institution.name if institution else "",
        city=institution.city if institution else "",
        state=institution.state if institution else "",
        setting=institution.setting if institution else "",
        would_vouch=contact.would_vouch,
        archived=contact.archived,
        created_on=contact.created_at.astimezone(datetime.UTC).date(),
    )


def letter_record(letter: LetterRequest) -> LetterRecord:
    return LetterRecord(
        id=letter.pk,
        writer_id=letter.writer_id,
        status=letter.status,
        purpose=letter.purpose,
        due=letter.due,
        asked_on=letter.asked_on,
        agreed_on=letter.agreed_on,
        materials_sent_on=letter.materials_sent_on,
        submitted_on=letter.submitted_on,
        thanked_on=letter.thanked_on,
        materials=tuple(letter.materials or ()),
        created_on=letter.created_at.astimezone(datetime.UTC).date(),
    )


def rotation_record(rotation: Rotation, team: Iterable[tuple[int, int]]) -> RotationRecord:
    return RotationRecord(
        id=rotation.pk,
        name=rotation.name,
        kind=rotation.kind,
        start=rotation.start,
        end=rotation.end,
        specialty=rotation.specialty or "",
        team=tuple(sorted(team)),
        # A contact's score does not read where the rotation was: no join for it here.
    )
