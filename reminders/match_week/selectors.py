"""Reads for Match Week: the student's story, the SOAP plan and where the week stands, for the
Match Week page, This week, the outcome email and the advisor. The plan itself is the pure
reminders.engine.match_week; this loads the records once and asks it, and keeps its answer for
the day (until the student's records change), so a view of the page costs what it shows."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Prefetch

from contacts.models import Contact, MatchStory, Program
from crm import resilience
from crm.collector import cyclic_gc_paused
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
from reminders.engine.records import StudentRecords
from reminders.engine.scoring import ContactScore, index_records, score_contacts
from reminders.evaluation.loader import load_records, records_version, student_calendar


@dataclasses.dataclass(frozen=True)
class MatchWeekView:
    """Where the student's Match Week stands on `today`.

    `moment`: "story" (the Friday to Monday before: lock down your story), "week" (Monday to
    Friday), "after" (after Match Day, through June), or "" (any other time, or no Match year).
    `plan` is the SOAP plan for a student who did not match (or only to a preliminary year),
    during Match Week; `preview` the same plan before the outcome is known (what the story
    page shows: "if you need it, this is ready"); `suggested`, the 2-3 people who would speak
    for the student (the ladder), whom the story offers ticked."""

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

    @property
    def in_soap(self) -> bool:
        return self.plan is not None

    @property
    def step(self) -> DayStep | None:
        return self.plan.step if self.plan is not None else None

    @property
    def matched_program(self) -> Program | None:
        story = self.story
        return story.matched_program if story is not None else None


@dataclasses.dataclass(frozen=True)
class EngineAnswer:
    """What the engine works out for the page from the whole network: small, so it is kept
    (reminders.match_week.selectors.engine_answer) and a page view reads only this."""

    plan: SoapPlan | None = None
    preview: SoapPlan | None = None
    suggested: tuple[ContactScore, ...] = ()


NOTHING = EngineAnswer()
ANSWER_CACHE_SECONDS = 60 * 60 * 26  # a day's answer, plus slack for time zones


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
    """The student's story for their Match year, with whom it would call (and where they
    work) and where they matched."""
    if not student.match_year:
        return None
    callers = Contact.objects.select_related("institution").order_by("name", "pk")
    return (
        MatchStory.objects.filter(owner=student, year=student.match_year)
        .select_related("matched_program")
        .prefetch_related(Prefetch("callers", queryset=callers))
        .first()
    )


def _answer_key(student: User, today: datetime.date) -> str:
    # Everything the answer depends on: the records and the user row's fields the engine reads
    # (records_version: their change stamp, which every service that writes one moves, the
    # story and "Program X contacted me" included), and the day.
    return f"advocate:match_week:v2:{student.pk}:{today.isoformat()}:{records_version(student)}"


@cyclic_gc_paused()
def work_out(student: User, today: datetime.date) -> EngineAnswer:
    """The plan, its preview and the people who would speak for the student, from the whole
    network: the engine's reads (ten or eleven queries) and every contact scored."""
    conf = get_conf()
    records: StudentRecords = load_records([student.pk])[student.pk][0]
    if not records.match_year:
        return NOTHING
    scores = score_contacts(index_records(records, today), conf)
    cal = match_calendar(records.match_year, conf, dict(records.cycle_dates))
    days = match_week_days(cal)
    moment = _moment(days, cal, today)
    plan = preview = None
    if records.match_outcome in DID_NOT_MATCH and days.in_plan(today):
        plan = soap_plan(records, scores, cal, today, conf)
    elif not records.match_outcome and moment in ("story", "week"):
        preview = soap_plan(records, scores, cal, days.monday, conf)
    suggested = tuple(speaker.score for speaker in speakers(records, scores, cal, conf))
    return EngineAnswer(plan=plan, preview=preview, suggested=suggested)


def engine_answer(student: User, today: datetime.date) -> EngineAnswer:
    """The engine's answer for the Match Week page on `today`, kept until the student's records
    or profile change: a page view reads it from the cache (no query), and only the first view
    after a change works it out (work_out). `student` as read in this request: after a write,
    read its stamp again (refresh_from_db) before asking."""
    if not student.match_year:
        return NOTHING
    key = _answer_key(student, today)
    answer = resilience.cache_get(key)  # None when the cache is down: work it out
    if not isinstance(answer, EngineAnswer):
        answer = work_out(student, today)
        resilience.cache_set(key, answer, ANSWER_CACHE_SECONDS)
    return answer


def match_week_view(student: User, today: datetime.date) -> MatchWeekView:
    """The whole of it: the calendar from the user row, the story (one or two queries) and the
    engine's answer (kept; on its first view after a change, the engine's reads)."""
    cal = student_calendar(student)
    days = match_week_days(cal) if cal is not None else None
    answer = engine_answer(student, today) if cal is not None else NOTHING
    return MatchWeekView(
        today=today,
        calendar=cal,
        days=days,
        moment=_moment(days, cal, today),
        phase=cycle_phase(today, cal, student.match_outcome),
        outcome=student.match_outcome,
        story=story_for(student),
        plan=answer.plan,
        preview=answer.preview,
        suggested=answer.suggested,
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
    )
