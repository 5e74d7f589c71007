"""Reads for the engine: a chunk of students' records in a fixed number of queries, and what
the pages show (the engine's view of one student, and this week's nudges)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q

from contacts.models import Contact, Interaction, LetterRequest, Rotation, TeamMember
from crm.models import User

from . import lifecycle
from .conf import EngineConf, get_conf
from .models import Nudge, NudgeState
from .records import (
    ContactRecord,
    InteractionRecord,
    LetterRecord,
    RotationRecord,
    StudentRecords,
)
from .rules import Evaluation, evaluate


def _date(value: datetime.datetime | datetime.date | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def load_records(student_ids: Sequence[int]) -> dict[int, tuple[StudentRecords, str]]:
    """Each student's records (and time zone), in six queries whatever the number of students:
    students, contacts (with institution), interactions, rotations, team members, letters."""
    ids = list(student_ids)
    students = User.objects.filter(pk__in=ids).values_list(
        "pk",
        "name",
        "timezone",
        "match_year",
        "match_outcome",
        "target_specialties",
        "target_cities",
    )
    contacts: dict[int, list[ContactRecord]] = defaultdict(list)
    for row in Contact.objects.filter(owner_id__in=ids).values_list(
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
        "created_at",
    ):
        contacts[row[1]].append(
            ContactRecord(
                id=row[0],
                name=row[2],
                role=row[3],
                specialty=row[4] or "",
                institution=row[5] or "",
                city=row[6] or "",
                state=row[7] or "",
                setting=row[8] or "",
                would_vouch=row[9],
                archived=row[10],
                created_on=_date(row[11]),
            )
        )
    interactions: dict[int, list[InteractionRecord]] = defaultdict(list)
    # Only the columns the rules read, built positionally: this is the big table (tens of
    # rows per contact, a hundred thousand per chunk).
    for (
        pk,
        owner_id,
        contact_id,
        date,
        kind,
        direction,
        context,
        follow_up_by,
    ) in Interaction.objects.filter(owner_id__in=ids).values_list(
        "pk", "owner_id", "contact_id", "date", "kind", "direction", "context", "follow_up_by"
    ):
        interactions[owner_id].append(
            InteractionRecord(pk, contact_id, date, kind, direction, context, follow_up_by)
        )
    teams: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for rotation_id, contact_id, weeks in TeamMember.objects.filter(
        rotation__owner_id__in=ids
    ).values_list("rotation_id", "contact_id", "weeks_together"):
        teams[rotation_id].append((contact_id, weeks))
    rotations: dict[int, list[RotationRecord]] = defaultdict(list)
    for pk, owner_id, name, kind, start, end, specialty in Rotation.objects.filter(
        owner_id__in=ids
    ).values_list("pk", "owner_id", "name", "kind", "start", "end", "specialty"):
        rotations[owner_id].append(
            RotationRecord(
                id=pk,
                name=name,
                kind=kind,
                start=start,
                end=end,
                specialty=specialty or "",
                team=tuple(sorted(teams.get(pk, ()))),
            )
        )
    letters: dict[int, list[LetterRecord]] = defaultdict(list)
    for row in LetterRequest.objects.filter(owner_id__in=ids).values_list(
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
        "created_at",
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
                created_on=_date(row[12]),
            )
        )
    loaded = {}
    for pk, name, tz, match_year, outcome, specialties, cities in students:
        loaded[pk] = (
            StudentRecords(
                id=pk,
                name=name,
                match_year=match_year,
                match_outcome=outcome or "",
                target_specialties=tuple(specialties or ()),
                target_cities=tuple(cities or ()),
                contacts=tuple(contacts.get(pk, ())),
                interactions=tuple(interactions.get(pk, ())),
                rotations=tuple(rotations.get(pk, ())),
                letters=tuple(letters.get(pk, ())),
            ),
            tz,
        )
    return loaded


def load_stored_nudges(
    student_ids: Iterable[int], keys: Iterable[str]
) -> dict[int, list[lifecycle.StoredNudge]]:
    """In one query: every live (open/snoozed) nudge of these students, and any stored nudge
    under one of `keys` (so done, dismissed and expired ones are recognised)."""
    rows = Nudge.objects.filter(owner_id__in=list(student_ids)).filter(
        Q(state__in=lifecycle.LIVE_STATES) | Q(key__in=list(set(keys)))
    )
    stored: dict[int, list[lifecycle.StoredNudge]] = defaultdict(list)
    for row in rows.values_list(
        "pk",
        "owner_id",
        "key",
        "kind",
        "state",
        "due",
        "reason",
        "contact_id",
        "occasion_on",
        "snoozed_until",
    ):
        stored[row[1]].append(
            lifecycle.StoredNudge(
                id=row[0],
                key=row[2],
                kind=row[3],
                state=row[4],
                due=row[5],
                reason=row[6],
                contact_id=row[7],
                occasion_on=row[8],
                snoozed_until=row[9],
            )
        )
    return stored


def engine_for_student(
    student: User, today: datetime.date, *, conf: EngineConf | None = None
) -> Evaluation:
    """What the engine says about one student on `today`: scores per contact (influence and
    depth with their parts), tiers, the focus set, progress, gaps and nudges. Six queries.

    For pages: `evaluation.scores[contact.pk]` (tier, influence, depth with parts),
    `evaluation.focus`, `evaluation.progress.headline` / `.next_step`, `evaluation.gaps`."""
    records, _tz = load_records([student.pk])[student.pk]
    return evaluate(records, today, conf or get_conf())


def contact_ids_by_tier(student: User, today: datetime.date, tier: str) -> list[int]:
    """The student's contacts in one tier, for the contact list's tier filter."""
    evaluation = engine_for_student(student, today)
    return [pk for pk, score in evaluation.scores.items() if score.tier == tier]


def actionable_nudges(student: User, today: datetime.date):
    """Open nudges, and snoozed ones whose date has come (before the next refresh reopens them)."""
    return (
        Nudge.objects.filter(owner=student)
        .filter(Q(state=NudgeState.OPEN) | Q(state=NudgeState.SNOOZED, snoozed_until__lte=today))
        .select_related("contact")
    )


def this_week_context(student: User, today: datetime.date) -> dict[str, Any]:
    """Context for templates/reminders/_this_week.html: overdue and due-this-week nudges (due
    within the next 7 days), the advocate progress line and the cycle phase."""
    week_end = today + datetime.timedelta(days=6)
    nudges = list(actionable_nudges(student, today).filter(due__lte=week_end))
    evaluation = engine_for_student(student, today)
    return {
        "today": today,
        "week_end": week_end,
        "overdue": [nudge for nudge in nudges if nudge.due < today],
        "due_this_week": [nudge for nudge in nudges if nudge.due >= today],
        "progress": evaluation.progress,
        "phase": evaluation.phase,
        "focus_scores": [evaluation.scores[pk] for pk in evaluation.focus],
    }
