"""The Match year calendar and its phases: pure date arithmetic, no clock, no database.

For Match year Y (defaults from PRODUCT.md, month/days in EngineConf): applications open early
June Y-1, programs receive them late September Y-1, interview season October Y-1 - January Y,
rank-list deadline the first Wednesday of March Y, Match Week the week of the third Friday of
March Y (SOAP Monday-Thursday, Match Day that Friday). SOAP's moments (its release, when
applications open, the offer rounds, its end) are Eastern times on those days, NRMP's published
schedule by default (EngineConf.soap_times), each editable per cycle.
"""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo
from collections.abc import Mapping

from crm.match import EDITABLE_DATES, EDITABLE_SOAP_TIMES, SOAP_TIMEZONE, MatchOutcome
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
    # SOAP's moments, Eastern (aware datetimes), in crm.match.EDITABLE_SOAP_TIMES order.
    soap_times: tuple[tuple[str, datetime.datetime], ...] = ()

    def soap_time(self, slug: str) -> datetime.datetime | None:
        return dict(self.soap_times).get(slug)

    @property
    def soap_over_on(self) -> datetime.date:
        """The first day the free-contact plan applies: SOAP ends on Thursday evening
        (Eastern), so from Friday, in every time zone of the country, SOAP's rule is over."""
        return self.soap_end + datetime.timedelta(days=1)

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
    year: int,
    conf: EngineConf,
    overrides: Mapping[str, datetime.date | datetime.time] | None = None,
) -> MatchCalendar:
    """The calendar of Match year `year`: the defaults, then the student's own dates (and
    SOAP's times of day, Eastern, for the names in crm.match.EDITABLE_SOAP_TIMES)."""
    calendar = _default_calendar(year, conf)
    overrides = overrides or {}
    chosen: dict = {
        name: day
        for name, day in overrides.items()
        if name in EDITABLE_DATES and isinstance(day, datetime.date)
    }
    if "match_day" in chosen:
        week_start = chosen["match_day"] - datetime.timedelta(days=4)
        chosen["match_week_start"] = week_start
        chosen["soap_end"] = week_start + datetime.timedelta(days=3)
    clocks = {
        name: at
        for name, at in overrides.items()
        if name in EDITABLE_SOAP_TIMES and isinstance(at, datetime.time)
    }
    monday = chosen.get("match_week_start", calendar.match_week_start)
    chosen["soap_times"] = soap_times(monday, conf, clocks)
    return dataclasses.replace(calendar, **chosen)


def soap_times(
    monday: datetime.date, conf: EngineConf, clocks: Mapping[str, datetime.time] | None = None
) -> tuple[tuple[str, datetime.datetime], ...]:
    """SOAP's moments in Match Week starting `monday`, Eastern: the cycle's own times of day
    (`clocks`), else the defaults."""
    eastern = zoneinfo.ZoneInfo(SOAP_TIMEZONE)
    moments = []
    for slug, (offset, _label) in EDITABLE_SOAP_TIMES.items():
        clock = (clocks or {}).get(slug) or datetime.time.fromisoformat(conf.soap_times[slug])
        day = monday + datetime.timedelta(days=offset)
        moments.append((slug, datetime.datetime.combine(day, clock, tzinfo=eastern)))
    return tuple(moments)


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
        soap_times=soap_times(week_start, conf),
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
        elif outcome == MatchOutcome.SOAP_MATCHED:
            advice = "You were placed in SOAP. Thank the people who stood ready for you."
        elif outcome:
            advice = (
                "SOAP: answer any program that contacts you; nobody contacts a program first "
                "until SOAP ends."
            )
        return Phase("match_week", "Match Week", advice)
    if today < cal.residency_start:
        advice = "Thank the people who spoke for you, and tell them where you landed."
        if outcome and outcome not in (MatchOutcome.MATCHED, MatchOutcome.SOAP_MATCHED):
            advice = "Thank the people who helped this week, whatever happened."
        return Phase("matched", "After the Match", advice)
    return Phase(
        "residency",
        "Residency",
        "Keep your mentors close: fellowships and jobs run on the same relationships.",
    )
