"""Reads for "who could vouch for me at …?": a student's programs, the ties to them and the
scores of the contacts tied, in a fixed number of queries; the ranking itself is the pure
reminders.engine.vouch. Kept apart from reminders.selectors, which loads the engine's daily
chunk."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.db.models import Q

from contacts.models import Contact, Program, Tie
from crm.collector import cyclic_gc_paused
from crm.models import User
from reminders.engine.conf import EngineConf, get_conf
from reminders.engine.scoring import ContactScore
from reminders.engine.vouch import (
    Ladder,
    ProgramRecord,
    ProgramVouching,
    TieRecord,
    program_vouching,
)
from reminders.evaluation.standing import scores_of


def program_record(program: Program) -> ProgramRecord:
    institution = program.institution
    return ProgramRecord(
        id=program.pk,
        name=program.name,
        specialty=program.specialty or "",
        institution=institution.name if institution else "",
        place=institution.place if institution else "",
        target=program.target,
    )


def _ties_to(student: User, programs: Sequence[Program]) -> list[TieRecord]:
    """The ties to these programs or to their institutions, as TieRecords. One query."""
    institution_ids = {program.institution_id for program in programs if program.institution_id}
    place = Q(program_id__in=[program.pk for program in programs])
    if institution_ids:
        place |= Q(institution_id__in=institution_ids)
    rows = (
        Tie.objects.filter(owner=student)
        .filter(place)
        .order_by("pk")
        .values_list("pk", "contact_id", "kind", "program_id", "institution__name", "note")
    )
    return [
        TieRecord(pk, contact_id, kind, program_id, institution or "", note)
        for pk, contact_id, kind, program_id, institution, note in rows
    ]


# Scoring builds many small records with no cycles: the collector would only rescan them.
@cyclic_gc_paused()
def vouching_for(
    student: User,
    today: datetime.date,
    *,
    programs: Sequence[Program] | None = None,
    scores: Mapping[int, ContactScore] | None = None,
    conf: EngineConf | None = None,
) -> list[ProgramVouching]:
    """Who could vouch for the student at each of `programs` (default: all of theirs, targets
    first), strongest first.

    Queries: the programs (unless given), the ties, then either nothing more (with `scores`,
    e.g. the map's evaluation) or the tied contacts and their scores (four: contacts, their
    interactions, team places and letters). Only the contacts tied to these programs are
    scored, so a program page costs the same for 50 contacts or 5,000."""
    conf = conf or get_conf()
    if programs is None:
        programs = list(Program.objects.owned_by(student).select_related("institution"))
    if not programs:
        return []
    ties = _ties_to(student, programs)
    if scores is None:
        institution_ids = {p.institution_id for p in programs if p.institution_id}
        contacts = list(
            Contact.objects.owned_by(student)
            .filter(archived=False)
            .filter(
                Q(pk__in={tie.contact_id for tie in ties}) | Q(institution_id__in=institution_ids)
            )
            .select_related("institution")
        )
        scores = scores_of(contacts, today, conf=conf)
    return program_vouching(
        [program_record(p) for p in programs], scores, ties, conf, ladder_of(student, scores)
    )


def ladder_of(student: User, scores: Mapping[int, ContactScore]) -> Ladder:
    """The ladder's facts about the student, with no query: their school (its people are
    "home") and who has written or agreed to write for them (the scores know). The SOAP plan's
    own ladder counts only this cycle's letters (reminders.engine.match_week.ladder_for)."""
    return Ladder(
        school=student.school_name,
        writer_ids=frozenset(pk for pk, score in scores.items() if score.influence.has_written),
        specialties=tuple(student.target_specialties or ()),
    )
