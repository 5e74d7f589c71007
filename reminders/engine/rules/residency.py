"""The residency phase (issue 19; seed 004): from July 1 after matching, the resident's circle.

- **The first circle**: the new program's PD and APDs, its chiefs and one faculty mentor
  (`resident_circle_roles`), worked out from the matched program's institution (or, when the
  student has not recorded where they matched, from the people added since Match Day). The
  progress line and the advocate goal speak of this circle while it is short of the goal, not
  of the student's old one (whose quiet months halve its depth: that says nothing about a
  resident in orientation).
- **A conference plan** (`conferences`, by target fellowship or the program's specialty):
  before, who will be there; during, meet 3-5 people; after, follow up within a week.
- **The fellowship calendar** (`fellowship_calendar`, a setting per fellowship) for a target
  specialty that is not the residency's: each quarter's first weeks, and the letters ask ahead
  of applications.
- **Mentor -> sponsor**: a mentor in the circle who knows the work is told the goal and asked
  whom to meet and what to be put forward for.

For a student who did not match, there is no residency phase: the next cycle is their next
Match year. Pure, and a function of the whole network's scores (never `ctx.records.contacts`,
which a live refresh fills with only some contacts). Only existing nudge kinds.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping

from contacts.vocabulary import ROLE_WORDS, Tier
from crm.match import MatchOutcome
from crm.phrases import names_list, plural, short_date
from reminders.engine.conf import EngineConf
from reminders.engine.cycle import MatchCalendar
from reminders.engine.records import ProgramRecord, StudentRecords
from reminders.engine.rules.base import Context, NudgeSpec, Progress, shows
from reminders.engine.scoring import ContactScore, ranked
from reminders.vocabulary import NudgeKind

# The circle's places, in the order the line names them, with their words.
_PLACES = {
    "leader": "your program director (or an APD)",
    "chief": "a chief resident",
    "mentor": "one faculty mentor",
}


def in_residency(records: StudentRecords, today: datetime.date, cal: MatchCalendar | None) -> bool:
    """From July 1 of the Match year, for a student who recorded "matched"."""
    return (
        cal is not None
        and records.match_outcome == MatchOutcome.MATCHED
        and today >= cal.residency_start
    )


def matched_program(records: StudentRecords) -> ProgramRecord | None:
    story = records.story
    if story is None or story.matched_program_id is None:
        return None
    return next((p for p in records.programs if p.id == story.matched_program_id), None)


@dataclasses.dataclass(frozen=True)
class Circle:
    """The resident's first circle: who is in it (strongest first) and which places are open."""

    program: ProgramRecord | None
    members: tuple[ContactScore, ...]
    open_places: tuple[str, ...]  # keys of _PLACES not yet filled

    def place_of(self, score: ContactScore, conf: EngineConf) -> str:
        return conf.resident_circle_roles.get(score.contact.role, "")


def resident_circle(
    records: StudentRecords,
    scores: Iterable[ContactScore],
    today: datetime.date,
    cal: MatchCalendar | None,
    conf: EngineConf,
) -> Circle | None:
    """The circle in the residency phase, else None."""
    if cal is None or not in_residency(records, today, cal):
        return None
    program = matched_program(records)
    where = program.institution.strip().casefold() if program is not None else ""

    def belongs(score: ContactScore) -> bool:
        contact = score.contact
        if contact.archived or contact.role not in conf.resident_circle_roles:
            return False
        if score.depth.raw <= 0:
            return False  # recorded, not yet met (no interaction or shared rotation by today)
        if where:
            return contact.institution.strip().casefold() == where
        # Where they matched is not recorded: the people added since Match Day.
        return contact.created_on is not None and contact.created_on >= cal.match_day

    members = tuple(ranked(score for score in scores if belongs(score)))
    filled = {conf.resident_circle_roles[score.contact.role] for score in members}
    return Circle(program, members, tuple(place for place in _PLACES if place not in filled))


def _named(score: ContactScore) -> str:
    role = ROLE_WORDS.get(score.contact.role, score.contact.role)
    return f"{score.contact.name} ({role})"


def circle_progress(circle: Circle, conf: EngineConf, old_advocates: int) -> Progress:
    """The progress line in residency: the new circle against the goal; the old advocates are
    mentioned, kept warm, never the count."""
    count = len(circle.members)
    goal = f"{conf.focus_min}\u2013{conf.focus_max}"
    at = f" at {circle.program.name}" if circle.program is not None else ""
    headline = f"{count} of {goal} in your residency circle{at}"
    if count > conf.focus_max:
        headline = f"{count} people in your residency circle{at} (the goal is {goal})"
    if circle.open_places:
        step = "Next: " + names_list([_PLACES[place] for place in circle.open_places]) + "."
        if count:
            step = f"In it: {names_list([_named(s) for s in circle.members[:3]])}. " + step
        step += " Add them as you meet them; a short talk about your goals is how it starts."
    else:
        step = (
            f"Your first circle is in place. Aim for {conf.new_people_per_year}\u2013"
            f"{conf.focus_max} new people a year beyond it (a conference is the easiest place)."
        )
    if old_advocates:
        step += (
            f" {plural(old_advocates, 'advocate')} from medical school: keep them warm with a "
            "note a few times a year."
        )
    return Progress(
        advocates=count,
        goal_min=conf.focus_min,
        goal_max=conf.focus_max,
        headline=headline,
        next_step=step,
        candidate_ids=tuple(
            score.contact.id for score in circle.members if score.tier != Tier.ADVOCATE
        ),
    )


# --- The nudges -----------------------------------------------------------------------------


def residency(ctx: Context, scores: Mapping[int, ContactScore]) -> list[NudgeSpec]:
    cal = ctx.calendar
    circle = resident_circle(ctx.records, scores.values(), ctx.today, cal, ctx.conf)
    if circle is None or cal is None:
        return []
    first = _first_circle(ctx, cal, circle)
    return (
        first
        + _mentor_to_sponsor(ctx, circle, first_circle_said=bool(first))
        + _conference_plan(ctx, cal, circle)
        + _fellowship_calendar(ctx, cal, circle)
    )


def _first_circle(ctx: Context, cal: MatchCalendar, circle: Circle) -> list[NudgeSpec]:
    """From July 1 for `resident_days`: who the first circle is, and who is still to meet."""
    conf, starts = ctx.conf, cal.residency_start
    if not shows(ctx.today, starts, starts + datetime.timedelta(days=conf.resident_days)):
        return []
    return [
        ctx.reflection(
            NudgeKind.CYCLE_UPDATE,
            f"cycle_update:resident:{cal.year}",
            starts,
            resident_reason(circle),
            stakes=55,
        )
    ]


def resident_reason(circle: Circle) -> str:
    where = f" at {circle.program.name}" if circle.program is not None else ""
    line = f"Residency starts{where}. Your first circle: your program director, your chiefs "
    line += "and one faculty mentor."
    if circle.members:
        line += f" Already in it: {names_list([_named(s) for s in circle.members[:3]])}."
    if circle.open_places:
        missing = names_list([_PLACES[place] for place in circle.open_places])
        line += f" Still to meet: {missing}; add them as you meet them in orientation."
    return line + (
        " Set your target specialties to what comes next (a fellowship, or a job): the "
        "conference plan and the fellowship calendar follow them. The people who spoke for you "
        "in the Match are still worth a note about where you landed."
    )


def _monthly(ctx: Context) -> datetime.date | None:
    month = ctx.today.replace(day=1)
    return month if (ctx.today - month).days < ctx.conf.monthly_show_days else None


def _mentor_to_sponsor(
    ctx: Context, circle: Circle, *, first_circle_said: bool = False
) -> list[NudgeSpec]:
    """Monthly: a mentor in the circle who knows the work, told the goal, can become a sponsor
    (seed 004). Before that, the month's line is the circle's next place (the progress line),
    unless the first-circle line of July already names who is still to meet."""
    conf, month = ctx.conf, _monthly(ctx)
    if month is None:
        return []
    mentors = [
        score
        for score in circle.members
        if circle.place_of(score, conf) == "mentor"
        and round(score.depth.raw) >= conf.sponsor_min_depth
    ]
    if mentors:
        mentor = mentors[0]
        goal = _fellowship(ctx, circle)
        aim = f"a {goal} fellowship" if goal else "what you want next (a fellowship, or a job)"
        return [
            ctx.reflection(
                NudgeKind.INVEST,
                f"invest:{month:%Y-%m}",
                month,
                f"{mentor.contact.name} knows your work: a mentor becomes a sponsor when they "
                f"know your goal. Tell them you are aiming for {aim}, and ask whom you should "
                "meet and what they would put your name forward for.",
            )
        ]
    if not circle.open_places or first_circle_said:
        return []
    return [
        ctx.reflection(
            NudgeKind.INVEST,
            f"invest:{month:%Y-%m}",
            month,
            "So far, "
            + circle_progress(circle, conf, 0).headline
            + ". "
            + "Next: "
            + names_list([_PLACES[place] for place in circle.open_places])
            + ". Ask your chiefs who mentors interns with your interests, and ask for 20 minutes.",
        )
    ]


def _fellowship(ctx: Context, circle: Circle) -> str:
    """The target fellowship: a target specialty in the fellowship calendar that is not the
    residency's own ("" when none)."""
    own = circle.program.specialty.strip().casefold() if circle.program is not None else ""
    for specialty in ctx.records.target_specialties:
        name = specialty.strip().casefold()
        if name and name != own and name in ctx.conf.fellowship_calendar:
            return specialty.strip()
    return ""


def _conference_plan(ctx: Context, cal: MatchCalendar, circle: Circle) -> list[NudgeSpec]:
    """Before (who will be there), during (meet 3-5 people), after (follow up within a week)."""
    conf, today = ctx.conf, ctx.today
    fellowship = _fellowship(ctx, circle)
    own = circle.program.specialty if circle.program is not None else ""
    specialties = [fellowship, own, *ctx.records.target_specialties]
    found = next(
        (conf.conferences[s.strip().casefold()] for s in specialties if s.strip().casefold()
         in conf.conferences),
        None,
    )  # fmt: skip
    if found is None:
        return []
    name, (month, day) = found
    starts = datetime.date(today.year, month, day)
    ends = starts + datetime.timedelta(days=conf.conference_days - 1)
    follow_until = ends + datetime.timedelta(days=conf.conference_follow_up_days)
    if follow_until < today:  # this year's is over: next year's
        starts = datetime.date(today.year + 1, month, day)
        ends = starts + datetime.timedelta(days=conf.conference_days - 1)
        follow_until = ends + datetime.timedelta(days=conf.conference_follow_up_days)
    before = starts - datetime.timedelta(days=conf.conference_before_days)
    key = f"cycle_update:conference:{starts.isoformat()}"
    meet = f"{conf.conference_meet_min}\u2013{conf.conference_meet_max}"
    aim = f" in {fellowship}" if fellowship else ""
    if shows(today, before, starts - datetime.timedelta(days=1)):
        return [
            ctx.spec(
                NudgeKind.CYCLE_UPDATE,
                f"{key}:before",
                None,
                min(starts - datetime.timedelta(days=1), before + datetime.timedelta(days=7)),
                f"{name[0].upper() + name[1:]} starts "
                f"{short_date(starts)}. Before it: see who will be there (speakers{aim}, "
                "faculty from your program who are going), and email two of them for 15 "
                "minutes of coffee there.",
                before,
                stakes=40,
            )
        ]
    if shows(today, starts, ends):
        return [
            ctx.spec(
                NudgeKind.CYCLE_UPDATE,
                f"{key}:during",
                None,
                ends,
                f"At {name}: meet {meet} people. After each conversation, note their role, "
                "institution and what you talked about (log it as a conference conversation).",
                starts,
                stakes=45,
            )
        ]
    if shows(today, ends + datetime.timedelta(days=1), follow_until):
        return [
            ctx.spec(
                NudgeKind.CYCLE_UPDATE,
                f"{key}:after",
                None,
                follow_until,
                f"Follow up within a week with the people you met at {name}: a short note "
                "that thanks them and names one thing you talked about.",
                ends + datetime.timedelta(days=1),
                stakes=50,
            )
        ]
    return []


def fellowship_opens(cal: MatchCalendar, month_day: tuple[int, int], pgy: int) -> datetime.date:
    """The day applications open in PGY year `pgy` (PGY-1 runs July 1 of the Match year on)."""
    start = cal.residency_start.year + pgy - 1
    month, day = month_day
    return datetime.date(start + (1 if month < 7 else 0), month, day)


def _fellowship_calendar(ctx: Context, cal: MatchCalendar, circle: Circle) -> list[NudgeSpec]:
    conf, today = ctx.conf, ctx.today
    fellowship = _fellowship(ctx, circle)
    if not fellowship:
        return []
    month_day, pgy = conf.fellowship_calendar[fellowship.casefold()]
    opens = fellowship_opens(cal, month_day, pgy)
    if today >= opens:
        return []
    letters_from = opens - datetime.timedelta(days=conf.fellowship_letters_lead_days)
    if today >= letters_from:
        return [
            ctx.spec(
                NudgeKind.CYCLE_UPDATE,
                f"cycle_update:fellowship_letters:{opens.isoformat()}",
                None,
                min(opens - datetime.timedelta(days=1), letters_from + datetime.timedelta(days=7)),
                f"{fellowship} fellowship applications open {short_date(opens)}, "
                f"{opens.year}. Ask for your letters now: your program director and the "
                f"two people in {fellowship} who know your work best, with your CV and a "
                "draft statement.",
                letters_from,
                stakes=60,
            )
        ]
    month = _monthly(ctx)
    if month is None or month.month not in (1, 4, 7, 10):
        return []
    return [
        ctx.reflection(
            NudgeKind.CYCLE_UPDATE,
            f"cycle_update:fellowship:{month:%Y-%m}",
            month,
            f"{fellowship} fellowship applications open {short_date(opens)}, {opens.year} "
            f"(PGY-{pgy}). "
            f"Until then: a mentor in {fellowship}, one project you can finish before it, and "
            "people who know your work by the spring before; a conference is where to meet "
            "them.",
            stakes=35,
        )
    ]


def residency_days(
    cal: MatchCalendar, conf: EngineConf, first: datetime.date, last: datetime.date
) -> set[datetime.date]:
    """When a line of the residency phase may first show over [first, last]: July 1, the
    first of a month, each conference's before, during and after (this year's and the
    next), and each fellowship's letters ask. Read by the look-ahead
    (reminders.engine.horizon)."""
    span = datetime.timedelta
    days = {cal.residency_start}
    month = first.replace(day=1)
    while month <= last:
        days.add(month)
        month = (month + span(days=31)).replace(day=1)
    for _name, (month_of, day_of) in conf.conferences.values():
        for year in range(first.year - 1, last.year + 2):
            starts = datetime.date(year, month_of, day_of)
            ends = starts + span(days=conf.conference_days - 1)
            days |= {starts - span(days=conf.conference_before_days), starts, ends + span(days=1)}
    for month_day, pgy in conf.fellowship_calendar.values():
        opens = fellowship_opens(cal, month_day, pgy)
        days |= {opens - span(days=conf.fellowship_letters_lead_days), opens}
    return {day for day in days if first <= day <= last}
