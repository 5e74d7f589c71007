"""The Match year calendar and its phases: pure date arithmetic, no clock, no database.

For Match year Y (defaults from PRODUCT.md, month/days in EngineConf): applications open early
June Y-1, programs receive them late September Y-1, interview season October Y-1 - January Y,
rank-list deadline the first Wednesday of March Y, Match Week the week of the third Friday of
March Y (SOAP Monday-Thursday, Match Day that Friday).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping

from crm.match import EDITABLE_DATES, MatchOutcome
from reminders.engine.conf import EngineConf

WEDNESDAY = 2
FRIDAY = 4


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset + 7 * (n - 1))


@dataclasses.dataclass(frozen=True)
class MatchCalendar:
    year: int
    applications_open: datetime.date
    programs_receive: datetime.date
    interview_start: datetime.date
    interview_end: datetime.date
    rank_deadline: datetime.date
    match_week_start: datetime.date  # Monday
    soap_end: datetime.date  # Thursday
    match_day: datetime.date  # Friday

    def in_backchannel_peak(self, day: datetime.date) -> bool:
        """Interview season up to the rank-list deadline, when backchannel traffic peaks."""
        return self.interview_start <= day <= self.rank_deadline

    def in_soap(self, day: datetime.date) -> bool:
        return self.match_week_start <= day <= self.soap_end

    @property
    def residency_start(self) -> datetime.date:
        """July 1 of the Match year: the new interns start, and "after the Match" ends."""
        return datetime.date(self.year, 7, 1)


def match_calendar(
    year: int, conf: EngineConf, overrides: Mapping[str, datetime.date] | None = None
) -> MatchCalendar:
    """The calendar of Match year `year`: the defaults, then the student's own dates."""
    calendar = _default_calendar(year, conf)
    chosen = {name: day for name, day in (overrides or {}).items() if name in EDITABLE_DATES}
    if "match_day" in chosen:
        week_start = chosen["match_day"] - datetime.timedelta(days=4)
        chosen["match_week_start"] = week_start
        chosen["soap_end"] = week_start + datetime.timedelta(days=3)
    return dataclasses.replace(calendar, **chosen) if chosen else calendar


def _default_calendar(year: int, conf: EngineConf) -> MatchCalendar:
    def on(month_day: tuple[int, int], in_year: int) -> datetime.date:
        return datetime.date(in_year, *month_day)

    match_day = _nth_weekday(year, 3, FRIDAY, 3)
    week_start = match_day - datetime.timedelta(days=4)
    return MatchCalendar(
        year=year,
        applications_open=on(conf.applications_open, year - 1),
        programs_receive=on(conf.programs_receive, year - 1),
        interview_start=on(conf.interview_season_start, year - 1),
        interview_end=on(conf.interview_season_end, year),
        rank_deadline=_nth_weekday(year, 3, WEDNESDAY, 1),
        match_week_start=week_start,
        soap_end=week_start + datetime.timedelta(days=3),
        match_day=match_day,
    )


@dataclasses.dataclass(frozen=True)
class Phase:
    slug: str
    label: str
    advice: str  # what this phase means this week, in a sentence


def cycle_phase(today: datetime.date, calendar: MatchCalendar | None, outcome: str = "") -> Phase:
    """Where the student is in their Match year, with one sentence on what it means now (in
    Match Week and after, the sentence fits the outcome the student recorded)."""
    if calendar is None:
        return Phase("unknown", "No Match year set", "Add your Match year to see the season ahead.")
    cal = calendar
    if today < cal.applications_open:
        return Phase(
            "building",
            "Building relationships",
            "Rotations are where advocates are made: ask for feedback and close loops.",
        )
    if today < cal.programs_receive:
        return Phase(
            "applications",
            "Applications",
            "Secure letters early and keep your writers' materials easy to use.",
        )
    if today < cal.interview_start:
        return Phase(
            "screening",
            "Programs are screening",
            "Programs are reading applications: let your advocates know where you applied.",
        )
    if today <= cal.interview_end:
        return Phase(
            "interviews",
            "Interview season",
            "Backchannel traffic is high: keep your advocates briefly in the loop.",
        )
    if today <= cal.rank_deadline:
        return Phase(
            "ranking",
            "Rank lists",
            "Rank meetings are the peak: a short update to your advocates helps now.",
        )
    if today < cal.match_week_start:
        return Phase(
            "waiting",
            "Waiting for Match Week",
            "Lists are locked. Rest, and plan whom you would call if you need SOAP.",
        )
    if today < cal.match_day:
        advice = "Monday tells you whether you matched; SOAP runs through Thursday."
        if outcome == MatchOutcome.MATCHED:
            advice = "You matched. Friday you learn where; nothing else is asked of you."
        elif outcome:
            advice = "SOAP: your plan says who calls where. Wednesday morning counts most."
        return Phase("match_week", "Match Week", advice)
    if today < cal.residency_start:
        advice = "Thank the people who spoke for you, and tell them where you landed."
        if outcome and outcome != MatchOutcome.MATCHED:
            advice = "Thank the people who helped this week, whatever happened."
        return Phase("matched", "After the Match", advice)
    return Phase(
        "residency",
        "Residency",
        "Keep your mentors close: fellowships and jobs run on the same relationships.",
    )
