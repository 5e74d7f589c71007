"""Reads for the engine: a chunk of students' records in a fixed number of queries, and what
the pages show (the engine's view of one student, and this week's nudges)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import gc
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.db.models.functions import TruncDate

from contacts.models import (
    Contact,
    Interaction,
    LetterRequest,
    MatchStory,
    Program,
    Rotation,
    TeamMember,
    Tie,
)
from contacts.vocabulary import Tier
from crm.models import User

from . import lifecycle, week
from .conf import EngineConf, get_conf
from .cycle import MatchCalendar, match_calendar
from .models import Nudge, NudgeKind
from .records import (
    ContactRecord,
    InteractionRecord,
    LetterRecord,
    ProgramRecord,
    RotationRecord,
    StoryRecord,
    StudentRecords,
    TieRecord,
)
from .rules import Evaluation, evaluate
from .scoring import ContactScore, index_records, next_step_for, score_contacts
from .vocabulary import LIVE_STATES, NUDGE_FIELDS

STANDING_CACHE_SECONDS = 60 * 60 * 26  # a day's answer, plus slack for time zones

# An InteractionRecord straight from a database row, without a Python-level call per row.
_interaction_from_row = functools.partial(tuple.__new__, InteractionRecord)


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
        return list(map(_interaction_from_row, cursor.fetchall()))


def _cycle_dates(stored: dict | None) -> tuple[tuple[str, datetime.date], ...]:
    """The student's own cycle dates as stored (ISO strings), skipping anything unreadable."""
    dates = []
    for name, value in sorted((stored or {}).items()):
        try:
            dates.append((name, datetime.date.fromisoformat(value)))
        except (TypeError, ValueError):
            continue
    return tuple(dates)


def student_calendar(student: User) -> MatchCalendar | None:
    """The calendar of the student's Match year with their own dates, or None without a year."""
    if not student.match_year:
        return None
    return match_calendar(student.match_year, get_conf(), dict(_cycle_dates(student.cycle_dates)))


def load_records(
    student_ids: Sequence[int],
    *,
    contact_ids: Iterable[int] | None = None,
    with_programs: bool = True,
) -> dict[int, tuple[StudentRecords, str]]:
    """Each student's records (and time zone), in nine queries whatever the number of students:
    students, contacts (with institution), interactions, rotations, team members, letters,
    programs, ties and Match stories (a tenth for whom the stories would call, when there are
    any). Only the rules read the last three: `with_programs=False` skips them (six queries).

    With `contact_ids`, only those contacts with their interactions and letters (every rotation
    still): what the live refresh re-evaluates (reminders.live)."""
    ids = list(student_ids)
    only = None if contact_ids is None else list(contact_ids)
    students = User.objects.filter(pk__in=ids).values_list(
        "pk",
        "name",
        "timezone",
        "match_year",
        "match_outcome",
        "target_specialties",
        "target_cities",
        "cycle_dates",
    )
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
    loaded = {}
    for pk, name, tz, match_year, outcome, specialties, cities, cycle_dates in students:
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
    if found:
        for story_id, contact_id in (
            MatchStory.callers.through.objects.filter(matchstory_id__in=[r[0] for r in found])
            .order_by("pk")
            .values_list("matchstory_id", "contact_id")
        ):
            callers[story_id].append(contact_id)
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
        )
    return programs, ties, stories


def load_stored_nudges(
    student_ids: Iterable[int],
    keys: Iterable[str],
    *,
    contact_ids: Iterable[int] | None = None,
) -> dict[int, list[lifecycle.StoredNudge]]:
    """In one query: every live (open/snoozed) nudge of these students, and any stored nudge
    under one of `keys` (so done, dismissed and expired ones are recognised). With
    `contact_ids`, only the nudges about those contacts or about no one (the live refresh)."""
    rows = Nudge.objects.filter(owner_id__in=list(student_ids)).filter(
        Q(state__in=LIVE_STATES) | Q(key__in=list(set(keys)))
    )
    if contact_ids is not None:
        rows = rows.filter(Q(contact_id__in=list(contact_ids)) | Q(contact__isnull=True))
    stored: dict[int, list[lifecycle.StoredNudge]] = defaultdict(list)
    for pk, owner_id, key, *values in rows.values_list("pk", "owner_id", "key", *NUDGE_FIELDS):
        stored[owner_id].append(
            lifecycle.StoredNudge(id=pk, key=key, **dict(zip(NUDGE_FIELDS, values, strict=True)))
        )
    return stored


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while records are loaded and scored.

    A chunk of the refresh builds about a million small records (a big student on a page, tens of
    thousands): tuples with no reference cycles, freed by reference counting alone. Left on, the
    collector would run hundreds of times, rescanning all of them: a third of the time.
    Best used as a decorator: the function's records are freed before collection resumes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cyclic_gc_paused()
def engine_for_student(
    student: User,
    today: datetime.date,
    *,
    conf: EngineConf | None = None,
    with_nudges: bool = True,
) -> Evaluation:
    """What the engine says about one student on `today`: scores per contact (influence and
    depth with their parts), tiers, the focus set, progress, gaps and nudges. Six queries.

    For pages: `evaluation.scores[contact.pk]` (tier, influence, depth with parts),
    `evaluation.focus`, `evaluation.progress.headline` / `.next_step`, `evaluation.gaps`.
    `with_nudges=False` skips the rules (no nudges, no gaps) when a page needs only the rest."""
    records, _tz = load_records([student.pk], with_programs=with_nudges)[student.pk]
    return evaluate(records, today, conf or get_conf(), with_nudges=with_nudges)


class FocusEntry(NamedTuple):
    """A focus-set member as the This week page names them."""

    contact: ContactRecord
    tier: str


@dataclasses.dataclass(frozen=True)
class Standing:
    """What the student's pages show of the engine's view: small enough to cache."""

    progress: Any
    phase: Any
    focus_scores: tuple[FocusEntry, ...]
    tiers: dict[int, str]


def _standing_key(student: User, today: datetime.date) -> str:
    # Everything the evaluation depends on: the records (their change stamp), the profile
    # fields the rules read, and the day. A change to any of them is a new key.
    profile = (
        student.match_year,
        student.match_outcome,
        tuple(student.target_specialties or ()),
        tuple(student.target_cities or ()),
        tuple(sorted((student.cycle_dates or {}).items())),
    )
    stamp = student.records_changed_at.isoformat() if student.records_changed_at else "-"
    fingerprint = hashlib.sha256(repr(profile).encode()).hexdigest()[:16]
    return f"advocate:standing:v1:{student.pk}:{today.isoformat()}:{stamp}:{fingerprint}"


def _standing_of(evaluation: Evaluation, tiers: dict[int, str] | None = None) -> Standing:
    return Standing(
        progress=evaluation.progress,
        phase=evaluation.phase,
        focus_scores=tuple(
            FocusEntry(evaluation.scores[pk].contact, evaluation.scores[pk].tier)
            for pk in evaluation.focus
        ),
        tiers=tiers if tiers is not None else {pk: s.tier for pk, s in evaluation.scores.items()},
    )


def remember_standing(
    student: User,
    today: datetime.date,
    evaluation: Evaluation,
    *,
    tiers: dict[int, str] | None = None,
) -> None:
    """Cache what a refresh just worked out, so the next page needs no evaluation of its own
    (`student` as read after the change: its stamp is the cache key's; `tiers`, every
    contact's tier, when the caller has them already)."""
    standing = _standing_of(evaluation, tiers)
    cache.set(_standing_key(student, today), standing, STANDING_CACHE_SECONDS)


def student_standing(student: User, today: datetime.date) -> Standing:
    """Progress, phase, focus and every contact's tier on `today`, cached until the student's
    records or profile change (six queries on a miss, none on a hit). A network of thousands
    takes a few hundred milliseconds to score; most page views repeat the same answer."""
    key = _standing_key(student, today)
    standing = cache.get(key)
    if standing is None:
        standing = _standing_of(engine_for_student(student, today, with_nudges=False))
        cache.set(key, standing, timeout=STANDING_CACHE_SECONDS)
    return standing


def contact_ids_by_tier(student: User, today: datetime.date, tier: str) -> list[int]:
    """The student's contacts in one tier, for the contact list's tier filter."""
    return [
        pk
        for pk, contact_tier in student_standing(student, today).tiers.items()
        if contact_tier == tier
    ]


# --- One contact, or a page of them, without loading the whole student ------------------------


def _contact_record(contact: Contact) -> ContactRecord:
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


def _letter_record(letter: LetterRequest) -> LetterRecord:
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


def _rotation_record(rotation: Rotation, team: Iterable[tuple[int, int]]) -> RotationRecord:
    return RotationRecord(
        id=rotation.pk,
        name=rotation.name,
        kind=rotation.kind,
        start=rotation.start,
        end=rotation.end,
        specialty=rotation.specialty or "",
        team=tuple(sorted(team)),
    )


def _scores_of(
    contacts: list[ContactRecord],
    interactions: Iterable[InteractionRecord],
    rotations: Iterable[RotationRecord],
    letters: Iterable[LetterRecord],
    today: datetime.date,
    conf: EngineConf | None,
) -> dict[int, ContactScore]:
    # A contact's influence, depth and tier depend on their own records only, so scoring some
    # contacts with just their records gives exactly what the whole student's evaluation says.
    records = StudentRecords(
        id=0,
        contacts=tuple(contacts),
        interactions=tuple(interactions),
        rotations=tuple(rotations),
        letters=tuple(letters),
    )
    return score_contacts(index_records(records, today), conf or get_conf())


@dataclasses.dataclass(frozen=True)
class ContactStanding:
    """One contact as the contact page shows them: the scores with their parts, and in words
    why ("4 weeks together on Medicine sub-I", "2 meetings, 1 call this year") and what would
    deepen the relationship."""

    score: ContactScore
    evidence: tuple[str, ...]
    next_step: str

    @property
    def tier_label(self) -> str:
        return Tier(self.score.tier).label


def contact_standing(
    contact: Contact,
    today: datetime.date,
    *,
    interactions: Iterable[Interaction],
    team_places: Iterable[TeamMember],
    letters: Iterable[LetterRequest],
    conf: EngineConf | None = None,
) -> ContactStanding:
    """One contact's influence, depth (with its parts) and tier, from the records the contact
    page has already loaded (interactions, team places with their rotation, letters, and the
    contact's institution): no query, whatever the size of the student's network."""
    conf = conf or get_conf()
    scores = _scores_of(
        [_contact_record(contact)],
        [
            InteractionRecord(
                i.pk, i.contact_id, i.date, i.kind, i.direction, i.context, i.follow_up_by
            )
            for i in interactions
        ],
        [
            _rotation_record(place.rotation, [(contact.pk, place.weeks_together)])
            for place in team_places
        ],
        [_letter_record(letter) for letter in letters],
        today,
        conf,
    )
    score = scores[contact.pk]
    evidence = tuple(part.evidence for part in score.depth.parts if part.points > 0)
    return ContactStanding(score, evidence, next_step_for(score, conf))


def tiers_of(contacts: Sequence[Contact], today: datetime.date) -> dict[int, str]:
    """contact id -> tier for a page of contacts (with their institution loaded), in three
    queries whatever their number: their interactions, team places and letters."""
    return {pk: score.tier for pk, score in scores_of(contacts, today).items()}


def scores_of(
    contacts: Sequence[Contact], today: datetime.date, *, conf: EngineConf | None = None
) -> dict[int, ContactScore]:
    """contact id -> the engine's score (influence, depth with parts, tier) for some contacts
    (with their institution loaded), in three queries whatever their number."""
    ids = [contact.pk for contact in contacts]
    if not ids:
        return {}
    interactions = list(
        map(
            _interaction_from_row,
            Interaction.objects.filter(contact_id__in=ids)
            .order_by()
            .values_list(
                "pk", "contact_id", "date", "kind", "direction", "context", "follow_up_by"
            ),
        )
    )
    places = TeamMember.objects.filter(contact_id__in=ids).select_related("rotation")
    rotations = [
        _rotation_record(place.rotation, [(place.contact_id, place.weeks_together)])
        for place in places
    ]
    letters = [_letter_record(letter) for letter in LetterRequest.objects.filter(writer_id__in=ids)]
    return _scores_of(
        [_contact_record(contact) for contact in contacts],
        interactions,
        rotations,
        letters,
        today,
        conf,
    )


# --- This week ---------------------------------------------------------------------------------


def actionable_nudges(student: User, today: datetime.date, *, due_by: datetime.date | None = None):
    """The student's actionable nudges (Nudge.objects.actionable), with their contact."""
    return (
        Nudge.objects.filter(owner=student)
        .actionable(today, due_by=due_by)
        .select_related("contact")
    )


def _focus_scores(evaluation: Evaluation | Standing) -> list[ContactScore | FocusEntry]:
    if isinstance(evaluation, Standing):
        return list(evaluation.focus_scores)
    return [evaluation.scores[pk] for pk in evaluation.focus]


def this_week_context(
    student: User, today: datetime.date, *, suggest_first: bool = False
) -> dict[str, Any]:
    """Context for templates/reminders/_this_week.html: the week's nudges (actionable, due
    within the next seven days) as reminders.week lines, most at stake first: `items` (at most
    `week_items_max`, a group of same-kind nudges counting once) and `more_items` (folded under
    "more"), the week's one small action apart, the advocate progress line and the phase.

    Loads only what it can show: one query for at most `week_rows_max` nudges with their
    contact (and one count when there are more), plus six when the student's standing is not
    cached (student_standing). With `suggest_first`, a student whose nudges have never been
    stored gets the engine's small action for this week as `first_small_action`."""
    conf = get_conf()
    week_end = today + datetime.timedelta(days=6)
    rows = list(
        actionable_nudges(student, today, due_by=week_end).order_by(*week.ORDER)[
            : conf.week_rows_max + 1
        ]
    )
    more_hidden = 0
    if len(rows) > conf.week_rows_max:
        rows = rows[: conf.week_rows_max]
        more_hidden = (
            actionable_nudges(student, today, due_by=week_end).count() - conf.week_rows_max
        )
    first_small_action = None
    if suggest_first and not rows and not Nudge.objects.filter(owner=student).exists():
        evaluation = engine_for_student(student, today)
        first_small_action = next(
            (spec for spec in evaluation.nudges if spec.kind == NudgeKind.SMALL_ACTION), None
        )
    else:
        evaluation = student_standing(student, today)
    small_actions = sorted(
        (nudge for nudge in rows if nudge.kind == NudgeKind.SMALL_ACTION), key=lambda n: n.due
    )
    small_action = small_actions[-1] if small_actions else None
    tasks = [nudge for nudge in rows if nudge.kind != NudgeKind.SMALL_ACTION]
    # The small action is one of the week's few items too.
    cap = max(0, conf.week_items_max - (1 if small_action or first_small_action else 0))
    items, more_items = week.split(week.week_items(tasks), cap)
    return {
        "today": today,
        "week_end": week_end,
        "items": items,
        "more_items": more_items,
        "more_count": sum(len(item.nudges) for item in more_items) + more_hidden,
        "more_hidden": more_hidden,
        "small_action": small_action,
        "first_small_action": first_small_action,
        "progress": evaluation.progress,
        "phase": evaluation.phase,
        "focus_scores": _focus_scores(evaluation),
    }
