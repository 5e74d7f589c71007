"""Reads for Match Week: the student's story, the SOAP plan and where the week stands, for the
Match Week page, This week, the outcome email and the advisor. The plan itself is the pure
reminders.engine.match_week; this loads the records once and asks it."""

from __future__ import annotations

import dataclasses
import datetime

from contacts.models import MatchStory
from crm.models import User
from reminders.engine.conf import get_conf
from reminders.engine.cycle import MatchCalendar, Phase, cycle_phase, match_calendar
from reminders.engine.match_week import (
    DID_NOT_MATCH,
    DayStep,
    MatchWeekDays,
    SoapPlan,
    match_week_days,
    soap_plan,
    speakers,
)
from reminders.engine.records import ProgramRecord, StudentRecords
from reminders.engine.scoring import ContactScore, index_records, score_contacts
from reminders.engine.vouch import target_coverage
from reminders.evaluation.loader import cyclic_gc_paused, load_records, student_calendar


@dataclasses.dataclass(frozen=True)
class MatchWeekView:
    """Where the student's Match Week stands on `today`.

    `moment`: "story" (the Friday to Monday before: lock down your story), "week" (Monday to
    Friday), "after" (after Match Day, through June), or "" (any other time, or no Match year).
    `plan` is the SOAP plan for a student who did not match (or only to a preliminary year),
    during Match Week; `preview` the same plan before the outcome is known (what the story
    page shows: "if you need it, this is ready")."""

    today: datetime.date
    calendar: MatchCalendar | None
    days: MatchWeekDays | None
    moment: str
    phase: Phase
    outcome: str
    story: MatchStory | None
    plan: SoapPlan | None
    preview: SoapPlan | None
    suggested: tuple[ContactScore, ...]  # who would speak for the student (the ladder)
    scores: dict[int, ContactScore]
    uncovered: tuple[ProgramRecord, ...]  # target programs nobody can vouch at
    programs: tuple[ProgramRecord, ...]

    @property
    def in_soap(self) -> bool:
        return self.plan is not None

    @property
    def step(self) -> DayStep | None:
        return self.plan.step if self.plan is not None else None

    @property
    def matched_program(self) -> ProgramRecord | None:
        story = self.story
        if story is None or story.matched_program_id is None:
            return None
        return next((p for p in self.programs if p.id == story.matched_program_id), None)


def _moment(days: MatchWeekDays | None, cal: MatchCalendar | None, today: datetime.date) -> str:
    if days is None or cal is None:
        return ""
    if days.in_story_window(today) and today < days.monday:
        return "story"
    if days.in_week(today):
        return "week"
    if days.friday < today < cal.residency_start:
        return "after"
    return ""


def story_for(student: User) -> MatchStory | None:
    """The student's story for their Match year, with whom it would call."""
    if not student.match_year:
        return None
    return (
        MatchStory.objects.filter(owner=student, year=student.match_year)
        .select_related("matched_program")
        .prefetch_related("callers")
        .first()
    )


@cyclic_gc_paused()
def match_week_view(student: User, today: datetime.date) -> MatchWeekView:
    """The whole of it, in the engine's nine reads plus the story (two)."""
    conf = get_conf()
    records: StudentRecords = load_records([student.pk])[student.pk][0]
    scores = score_contacts(index_records(records, today), conf)
    cal = (
        match_calendar(records.match_year, conf, dict(records.cycle_dates))
        if records.match_year
        else None
    )
    days = match_week_days(cal) if cal is not None else None
    moment = _moment(days, cal, today)
    plan = preview = None
    if cal is not None and days is not None:
        if records.match_outcome in DID_NOT_MATCH and days.in_plan(today):
            plan = soap_plan(records, scores, cal, today, conf)
        elif not records.match_outcome and moment in ("story", "week"):
            preview = soap_plan(records, scores, cal, days.monday, conf)
    uncovered, _witnesses = target_coverage(records.programs, scores, records.ties, conf)
    return MatchWeekView(
        today=today,
        calendar=cal,
        days=days,
        moment=moment,
        phase=cycle_phase(today, cal, records.match_outcome),
        outcome=records.match_outcome,
        story=story_for(student),
        plan=plan,
        preview=preview,
        suggested=tuple(
            speaker.score for speaker in speakers(records, scores, cal, conf, limit=None)
        )
        if cal is not None
        else (),
        scores=scores,
        uncovered=uncovered,
        programs=records.programs,
    )


def match_week_card_view(student: User, today: datetime.date) -> MatchWeekView:
    """What This week's Match Week card needs: the whole view (the network scored for the
    plan) only for a student in SOAP; anyone else's card (the story, the outcome buttons, "you
    matched") reads the calendar from the user row and the story: two queries, whatever the
    size of the network."""
    if student.match_outcome in DID_NOT_MATCH:
        return match_week_view(student, today)
    cal = student_calendar(student)
    days = match_week_days(cal) if cal is not None else None
    return MatchWeekView(
        today=today,
        calendar=cal,
        days=days,
        moment=_moment(days, cal, today),
        phase=cycle_phase(today, cal, student.match_outcome),
        outcome=student.match_outcome,
        story=story_for(student),
        plan=None,
        preview=None,
        suggested=(),
        scores={},
        uncovered=(),
        programs=(),
    )
