"""Match Week: its days, each day's step, and the SOAP plan, inside NRMP's rules (seed articles
001 and 002; PRODUCT.md "Match Week and SOAP").

Pure, like the rules: plain records, the engine's scores and a date in; the plan out. No ORM,
no clock. The rules (rules.cycle_moments) say it as nudges; the Match Week page, This week, the
SOAP email and the advisor show the whole plan from the same function.

NRMP's Match Participation Agreement (its SOAP section): during SOAP neither the applicant nor
anyone acting for them may initiate any communication with a program until that program
contacts them; when SOAP ends, unmatched applicants may contact unfilled programs freely. So:
- before Match Week (the rank-list deadline to the Friday before), for everyone: the "if SOAP
  happens" kit, where a backchannel is really built (001: "the groundwork was laid long
  before Match Week"): 1-3 realistic specialties and a fallback, documents ready, a brief to
  the 2-3 people who would speak for the student, who in SOAP take calls, never make them;
- during SOAP (Monday to SOAP's end), allowed moves only: tell your own people, apply through
  ERAS within the cap, stay reachable, answer programs that contact you, respond to offers.
  Once a program has contacted the student (they mark it), the plan names who could speak to
  *that* program;
- when SOAP ends, for a student still without a position: the free-contact plan, who calls
  which unfilled program in range (the ladder, reminders.engine.vouch), the student's own
  calm note, and off-cycle openings.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping

from contacts.vocabulary import LETTER_WRITTEN, ROLE_WORDS
from crm.match import SOAP_TIMEZONE, MatchOutcome
from crm.phrases import names_list, short_date
from reminders.engine.conf import EngineConf
from reminders.engine.cycle import MatchCalendar
from reminders.engine.records import ProgramRecord, StudentRecords
from reminders.engine.red_flags import red_flag_line as recorded_red_flags
from reminders.engine.scoring import ContactScore
from reminders.engine.vouch import (
    HOME_PD,
    KNOWS_THE_WORK,
    OTHER_VOICE,
    TIED_LEADER,
    Ladder,
    is_home_pd,
    knows_the_work_words,
    ladder_key,
    program_vouching,
    speaks_at_all,
)

DAY = datetime.timedelta(days=1)
DID_NOT_MATCH = (MatchOutcome.UNMATCHED, MatchOutcome.PARTIAL)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


# --- The days -----------------------------------------------------------------------------------


# The rule in one line, for a nudge (This week's card and every page carry RULE in full).
RULE_SHORT = "NRMP's rule: in SOAP nobody contacts a program for you until it contacts you."
RULE = (
    "During SOAP, neither you nor anyone on your behalf may contact a program until that "
    "program contacts you. When SOAP ends, you may contact unfilled programs freely."
)


@dataclasses.dataclass(frozen=True)
class MatchWeekDays:
    story_from: datetime.date  # the Friday before: lock down your story
    monday: datetime.date
    friday: datetime.date  # Match Day

    @property
    def monday_after(self) -> datetime.date:
        """The free-contact plan stays on This week through the Monday after."""
        return self.friday + 3 * DAY

    def in_plan(self, day: datetime.date) -> bool:
        """Monday of Match Week to the Monday after: while a student in SOAP has a plan."""
        return self.monday <= day <= self.monday_after

    def days(self) -> tuple[datetime.date, ...]:
        return tuple(self.monday + offset * DAY for offset in range(5))

    def in_story_window(self, day: datetime.date) -> bool:
        """The Friday before to the Monday: whom you would call, your specialties, your pitch."""
        return self.story_from <= day <= self.monday

    def in_week(self, day: datetime.date) -> bool:
        """Monday to Friday (Match Day)."""
        return self.monday <= day <= self.friday


def match_week_days(cal: MatchCalendar) -> MatchWeekDays:
    return MatchWeekDays(
        story_from=cal.match_week_start - 3 * DAY, monday=cal.match_week_start, friday=cal.match_day
    )


# --- When: SOAP's times, in the student's own zone -------------------------------------------


def clock_words(moment: datetime.datetime, tz: str) -> str:
    """ "2:00 PM ET (1:00 PM your time)"; just "2:00 PM ET" for a student on Eastern time."""

    def hm(at: datetime.datetime) -> str:
        return at.strftime("%I:%M %p").lstrip("0")

    eastern = moment.astimezone(zoneinfo.ZoneInfo(SOAP_TIMEZONE))
    try:
        zone = zoneinfo.ZoneInfo(tz) if tz else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = None
    if zone is None:
        return f"{hm(eastern)} ET"
    local = moment.astimezone(zone)
    if local.utcoffset() == eastern.utcoffset():
        return f"{hm(eastern)} ET"
    day = "" if local.date() == eastern.date() else f" {local.strftime('%A')}"
    return f"{hm(eastern)} ET ({hm(local)}{day} your time)"


SCHEDULE_WORDS = {
    "soap_release": "SOAP begins: your status is released",
    "soap_applications": "SOAP applications open in ERAS",
    "soap_round_1": "Offer round 1",
    "soap_round_2": "Offer round 2",
    "soap_round_3": "Offer round 3",
    "soap_end": "SOAP ends: you may contact unfilled programs freely",
}


def soap_schedule(cal: MatchCalendar, tz: str) -> tuple[str, ...]:
    """ "Monday Mar 15, 11:00 AM ET (10:00 AM your time): SOAP begins ..."."""
    return tuple(
        f"{at.strftime('%A')} {short_date(at.date())}, {clock_words(at, tz)}: "
        f"{SCHEDULE_WORDS.get(slug, slug)}"
        for slug, at in cal.soap_times
    )


def _at(cal: MatchCalendar, slug: str, tz: str) -> str:
    moment = cal.soap_time(slug)
    return clock_words(moment, tz) if moment is not None else ""


# --- The red flag: one line, from the story (swappable for reminders.engine.red_flags) ------


def red_flag_line(records: StudentRecords) -> str:
    """The student's main risk in one line: the story's red flag as they wrote it for Match
    Week, else the red flags on their record (Settings), or ""."""
    story = records.story
    told = story.red_flag.strip().rstrip(".") if story is not None else ""
    return told or recorded_red_flags(records)


# --- Realistic specialties ------------------------------------------------------------------

SURGICAL_WORDS = ("surg", "otolaryng", "urolog")


def is_rare_in_soap(specialty: str, conf: EngineConf) -> bool:
    """Whole words only: "urology" is rare in SOAP, "neurology" is not."""
    name = specialty.strip().lower()
    return any(
        re.search(rf"\b{re.escape(rare.lower())}\b", name) for rare in conf.soap_rare_specialties
    )


@dataclasses.dataclass(frozen=True)
class Specialties:
    chosen: tuple[str, ...]  # the story's, else the targets
    realistic: tuple[str, ...]  # the ones SOAP can offer (plus the route, for a rare one)
    rare: tuple[str, ...]  # chosen, but with almost no SOAP positions
    route: str  # "a preliminary surgery or transitional year"
    pivot: str  # a specialty the records support ("Internal Medicine"), or ""

    @property
    def line(self) -> str:
        """Kind words for a rare specialty, with the route the records support."""
        if not self.rare:
            return ""
        rare = names_list(list(self.rare))
        verb = "has" if len(self.rare) == 1 else "have"
        pivot = f", or a pivot to {self.pivot}, which your records support" if self.pivot else ""
        return (
            f"{rare} {verb} almost no SOAP positions, and no call changes that: it says "
            f"nothing about you. The realistic route this week is {self.route}{pivot}; many "
            "reach their specialty from there."
        )


def realistic_specialties(records: StudentRecords, conf: EngineConf | None = None) -> Specialties:
    story = records.story
    chosen = story.specialties if story is not None and story.specialties else ()
    chosen = chosen or records.target_specialties
    if conf is None:
        return Specialties(chosen, chosen, (), "", "")
    rare = tuple(name for name in chosen if is_rare_in_soap(name, conf))
    if not rare:
        return Specialties(chosen, chosen, (), "", "")
    surgical = any(
        re.search(rf"\b{word}", name.lower()) for name in rare for word in SURGICAL_WORDS
    )
    prelim = "Preliminary Surgery" if surgical else "Preliminary Medicine"
    route = (
        "a preliminary surgery or transitional year"
        if surgical
        else "a preliminary medicine or transitional year"
    )
    pivot = _pivot(records, chosen, conf)
    realistic = tuple(name for name in chosen if name not in rare)
    realistic += (prelim, "Transitional Year") + ((pivot,) if pivot else ())
    return Specialties(chosen, tuple(dict.fromkeys(realistic)), rare, route, pivot)


def _pivot(records: StudentRecords, chosen: tuple[str, ...], conf: EngineConf) -> str:
    """The specialty the student's records support most (weeks on rotation in it, then people
    who vouch or wrote in it), leaving out the rare ones and those already chosen."""
    weight: dict[str, float] = defaultdict(float)
    for rotation in records.rotations:
        if rotation.specialty.strip():
            weight[rotation.specialty.strip()] += (rotation.end - rotation.start).days / 7
    writers = {letter.writer_id for letter in records.letters if letter.status in LETTER_WRITTEN}
    for contact in records.contacts:
        if contact.specialty.strip() and (contact.would_vouch or contact.id in writers):
            weight[contact.specialty.strip()] += 2
    taken = {name.strip().lower() for name in chosen}
    options = [
        (points, name)
        for name, points in weight.items()
        if name.lower() not in taken and not is_rare_in_soap(name, conf)
    ]
    return max(options)[1] if options else ""


def _in_range(program: ProgramRecord, specialties: tuple[str, ...]) -> bool:
    """In one of the student's realistic specialties (or its specialty is not recorded)."""
    if not specialties or not program.specialty.strip():
        return True
    mine = program.specialty.strip().lower()
    return any(
        (wanted := name.strip().lower()) and (wanted in mine or mine in wanted)
        for name in specialties
    )


# --- Who speaks for you: the ladder, for the plan -------------------------------------------


def ladder_for(records: StudentRecords, cal: MatchCalendar | None, conf: EngineConf) -> Ladder:
    """The student's school, this cycle's letter writers (agreed or written since
    `ladder_cycle_days` before Match Day), and their specialties."""
    since = (
        cal.match_day - datetime.timedelta(days=conf.ladder_cycle_days) if cal is not None else None
    )
    writers = set()
    for letter in records.letters:
        if letter.status not in LETTER_WRITTEN:
            continue
        given = letter.submitted_on or letter.agreed_on or letter.asked_on or letter.created_on
        if since is None or given is None or given >= since:
            writers.add(letter.writer_id)
    return Ladder(
        school=records.school,
        writer_ids=frozenset(writers),
        specialties=realistic_specialties(records, conf).realistic,
    )


@dataclasses.dataclass(frozen=True)
class Speaker:
    score: ContactScore
    rung: int
    why: str  # "your home program director in Internal Medicine: programs take a PD's call"

    @property
    def name(self) -> str:
        return self.score.contact.name

    @property
    def role(self) -> str:
        return ROLE_WORDS.get(self.score.contact.role, self.score.contact.role)


def _general_place(
    score: ContactScore,
    ladder: Ladder,
    tied_programs: dict[int, list[str]],
    conf: EngineConf,
) -> tuple[int, str] | None:
    """A person's best rung for the student as a whole (not one program)."""
    if not speaks_at_all(score, ladder, conf):
        return None
    contact = score.contact
    role = ROLE_WORDS.get(contact.role, contact.role)
    if is_home_pd(score, ladder):
        specialty = f" in {contact.specialty}" if contact.specialty else ""
        return HOME_PD, f"your home program director{specialty}: programs take a PD's call"
    if contact.role in ("program_director", "associate_program_director") and tied_programs.get(
        contact.id
    ):
        count = len(tied_programs[contact.id])
        places = "one of your programs" if count == 1 else f"{count} of your programs"
        # No program named here: during SOAP the plan names a program only once it has
        # contacted the student.
        return TIED_LEADER, f"{role} with a personal tie to the leadership of {places}"
    if contact.id in ladder.writer_ids or contact.would_vouch:
        return KNOWS_THE_WORK, knows_the_work_words(score, ladder)
    if score.tier in ("advocate", "developing"):
        return OTHER_VOICE, f"{role}, knows your work"
    return None


def speakers(
    records: StudentRecords,
    scores: Mapping[int, ContactScore],
    cal: MatchCalendar | None,
    conf: EngineConf,
    *,
    limit: int | None = None,
) -> list[Speaker]:
    """The 2-3 people who would speak for the student, in the ladder's order. The people the
    student chose in their story come first if the ladder lets them speak."""
    ladder = ladder_for(records, cal, conf)
    in_range = [
        program
        for program in records.programs
        if _in_range(program, ladder.specialties) and not ladder.is_home(program.institution)
    ]
    tied: dict[int, list[str]] = defaultdict(list)
    for vouching in program_vouching(in_range, scores, records.ties, conf, ladder):
        for voucher in vouching.vouchers:
            if voucher.rung == TIED_LEADER:
                tied[voucher.contact.id].append(f"{voucher.program.name}, {voucher.why}")
    found = []
    for score in scores.values():
        place = _general_place(score, ladder, tied, conf)
        if place is not None:
            found.append(Speaker(score, *place))
    found.sort(key=lambda s: ladder_key(s.rung, s.score, s.score.weight))
    story = records.story
    if story is not None and story.caller_ids:
        chosen = set(story.caller_ids)
        mine = [speaker for speaker in found if speaker.score.contact.id in chosen]
        if mine:
            found = mine
    return found[: conf.soap_contacts if limit is None else limit]


# --- The plan -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DayStep:
    day: datetime.date
    weekday: str  # "Wednesday"
    title: str  # "Interviews and preference lists"
    moves: tuple[str, ...]  # what to do, in order: allowed moves only
    today: bool = False

    @property
    def headline(self) -> str:
        return f"{self.weekday}: {self.title}"


@dataclasses.dataclass(frozen=True)
class ProgramCall:
    program: ProgramRecord
    tie: str  # why this person, to this program, in words
    tie_without_note: str = ""  # the same without the tie's private note (an advisor)


@dataclasses.dataclass(frozen=True)
class HelperPlan:
    """One person who would speak for the student; `calls` only once calling is allowed
    (after SOAP), each program with why."""

    score: ContactScore
    calls: tuple[ProgramCall, ...]
    why: str = ""
    rung: int = 0

    @property
    def name(self) -> str:
        return self.score.contact.name

    @property
    def role(self) -> str:
        return ROLE_WORDS.get(self.score.contact.role, self.score.contact.role)

    @property
    def who(self) -> str:
        """ "Dr. Patel (program director at Lakeshore University Hospital)"."""
        contact = self.score.contact
        where = f" at {contact.institution}" if contact.institution else ""
        return f"{contact.name} ({self.role}{where})"


@dataclasses.dataclass(frozen=True)
class ContactedProgram:
    """A program that contacted the student in SOAP: now within the rules to speak to it."""

    program: ProgramRecord
    speakers: tuple[ProgramCall, ...]  # (program, why) per person, strongest first
    names: tuple[str, ...]

    @property
    def line(self) -> str:
        if not self.names:
            return (
                f"{self.program.name} contacted you: answer promptly and calmly. Nobody in "
                "your records has a tie there; your letters speak for you."
            )
        return (
            f"{self.program.name} contacted you, so it is now within the rules for "
            f"{names_list(list(self.names))} to speak to them for you "
            f"({self.speakers[0].tie})."
        )


SOAP, FREE = "soap", "free"


@dataclasses.dataclass(frozen=True)
class SoapPlan:
    year: int
    outcome: str
    specialties: tuple[str, ...]  # the realistic ones
    helpers: tuple[HelperPlan, ...]  # the 2-3 people who would speak for the student
    timeline: tuple[DayStep, ...]
    note: str  # the student's own note: their edit, else the filled-in template
    note_is_template: bool
    phase: str = SOAP  # "soap" (the rule holds) or "free" (SOAP is over)
    rule: str = RULE
    schedule: tuple[str, ...] = ()
    contacted: tuple[ContactedProgram, ...] = ()
    rare_line: str = ""
    off_cycle: str = ""
    nobody_line: str = ""  # when nobody in the records can speak yet

    @property
    def step(self) -> DayStep | None:
        return next((step for step in self.timeline if step.today), None)

    @property
    def programs(self) -> int:
        return sum(len(helper.calls) for helper in self.helpers)

    @property
    def in_soap(self) -> bool:
        return self.phase == SOAP

    @property
    def free(self) -> bool:
        return self.phase == FREE


def _tell_line(outcome: str, names: list[str], year: int) -> str:
    who = (
        f"your people ({names_list(names)}) and your letter writers"
        if names
        else "your advisor and your letter writers"
    )
    if outcome == MatchOutcome.PARTIAL:
        news = f"you have a preliminary year and seek the advanced position for July {year + 1}"
    else:
        news = "you did not match and are in SOAP"
    return (
        f"Tell {who} today: {news}. They are not programs, so this is allowed: if a program "
        "calls them they may speak for you, never calling a program first."
    )


def _steps(
    cal: MatchCalendar,
    outcome: str,
    specialties: Specialties,
    names: list[str],
    tz: str,
    conf: EngineConf,
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    realistic = names_list(list(specialties.realistic)) if specialties.realistic else ""
    choose = (
        f"Choose your programs and apply through ERAS from {_at(cal, 'soap_applications', tz)}:"
        f" up to {conf.soap_application_cap}, chosen well"
        + (f", in {realistic}" if realistic else "")
        + "."
    )
    if specialties.line:
        choose += " " + specialties.line
    reachable = "Stay reachable: phone on, voicemail set, email open."
    answer = (
        "Answer any program that contacts you, promptly and calmly, and mark it on your plan: "
        "then your plan names who could speak to that program."
    )
    late = (
        "If a program that contacted you still has an opening late today, the person who spoke "
        "to it may send one short line ('if anything opened up, my student is still "
        "available'): to that program only."
    )
    return (
        (
            "Tell your people; apply",
            (
                _tell_line(outcome, names, cal.year),
                choose,
                reachable,
            ),
        ),
        (
            "Programs review applications",
            (
                answer,
                "If a letter writer offers to update their letter for SOAP, say yes and thank "
                "them: it goes through ERAS, not to a program directly.",
                reachable,
            ),
        ),
        (
            "Interviews and preference lists",
            (
                "Programs interview by phone or video and build their preference lists. " + answer,
                reachable,
            ),
        ),
        (
            "Offer rounds",
            (
                f"Offers come in rounds ({_at(cal, 'soap_round_1', tz)}, "
                f"{_at(cal, 'soap_round_2', tz)}, {_at(cal, 'soap_round_3', tz)}): respond to each "
                "within its window.",
                late,
                f"SOAP ends at {_at(cal, 'soap_end', tz)}. From then you may contact unfilled "
                "programs freely; your free-contact plan is here on Friday.",
            ),
        ),
        (
            "SOAP is over: contact unfilled programs freely",
            (
                "SOAP has ended, and with it the rule: you and the people who speak for you may "
                "now contact unfilled programs in range.",
                "Thank each person who stood ready for you this week, in a line or two, whatever "
                "happened.",
            ),
        ),
    )


def soap_timeline(
    cal: MatchCalendar,
    today: datetime.date,
    outcome: str,
    specialties: Specialties | tuple[str, ...] = (),
    names: list[str] | None = None,
    tz: str = "",
    conf: EngineConf | None = None,
) -> tuple[DayStep, ...]:
    """Monday to Friday of Match Week, a step each, with today's marked."""
    if not isinstance(specialties, Specialties):
        specialties = Specialties(tuple(specialties), tuple(specialties), (), "", "")
    conf = conf or EngineConf()
    days = match_week_days(cal).days()
    steps = _steps(cal, outcome, specialties, names or [], tz, conf)
    return tuple(
        DayStep(day, WEEKDAYS[offset], title, moves, today=day == today)
        for offset, (day, (title, moves)) in enumerate(zip(days, steps, strict=True))
    )


def _program_speakers(
    program: ProgramRecord,
    records: StudentRecords,
    scores: Mapping[int, ContactScore],
    ladder: Ladder,
    conf: EngineConf,
) -> list[tuple[ContactScore, int, str, str]]:
    """Who could speak to one program, by the ladder: (score, rung, why, why without the tie's
    note). The home PD (no tie needed: a PD's call is taken), the tied, then those who know
    the work."""
    if ladder.is_home(program.institution):
        return []
    found: dict[int, tuple[ContactScore, int, str, str]] = {}
    for vouching in program_vouching([program], scores, records.ties, conf, ladder):
        for voucher in vouching.vouchers:
            if voucher.can_vouch:
                plain = (
                    f"{voucher.why.split(',')[0]}, {voucher.links[0].words_without_note}"
                    if voucher.rung == TIED_LEADER
                    else voucher.why
                )
                found[voucher.contact.id] = (voucher.score, voucher.rung, voucher.why, plain)
    for score in scores.values():
        if score.contact.id in found or not speaks_at_all(score, ladder, conf):
            continue
        if is_home_pd(score, ladder, program.specialty):
            specialty = f" in {score.contact.specialty}" if score.contact.specialty else ""
            why = f"your home program director{specialty}: programs take a PD's call"
            found[score.contact.id] = (score, HOME_PD, why, why)
    ordered = sorted(found.values(), key=lambda item: ladder_key(item[1], item[0], 0))
    return ordered


def contacted_programs(
    records: StudentRecords,
    scores: Mapping[int, ContactScore],
    ladder: Ladder,
    conf: EngineConf,
    helpers: list[Speaker],
) -> tuple[ContactedProgram, ...]:
    story = records.story
    ids = story.contacted_program_ids if story is not None else ()
    by_id = {program.id: program for program in records.programs}
    found = []
    for pk in dict.fromkeys(ids):
        program = by_id.get(pk)
        if program is None:
            continue
        people = _program_speakers(program, records, scores, ladder, conf)[:2]
        if not people:
            # Nobody tied: the people who know the work best can still answer for it.
            people = [(s.score, s.rung, s.why, s.why) for s in helpers if s.rung == KNOWS_THE_WORK][
                :1
            ]
        found.append(
            ContactedProgram(
                program,
                tuple(ProgramCall(program, why, plain) for _s, _r, why, plain in people),
                tuple(score.contact.name for score, *_rest in people),
            )
        )
    return tuple(found)


def free_contact_calls(
    records: StudentRecords,
    scores: Mapping[int, ContactScore],
    helpers: list[Speaker],
    ladder: Ladder,
    conf: EngineConf,
) -> tuple[HelperPlan, ...]:
    """After SOAP: each helper with the in-range programs they are best placed to call (the
    ladder, per program), at most `soap_programs_max` each; a program is one person's call."""
    chosen = {speaker.score.contact.id: speaker for speaker in helpers}
    calls: dict[int, list[tuple[tuple, ProgramCall]]] = {pk: [] for pk in chosen}
    programs = [
        program
        for program in records.programs
        if _in_range(program, ladder.specialties) and not ladder.is_home(program.institution)
    ]
    # First the programs someone chosen is tied to (by the ladder, per program), then the home
    # PD's calls where nobody has a tie: one program, one call; 3-5 each.
    ordered = sorted(programs, key=lambda p: (not p.target, p.name))
    placed: set[int] = set()
    for untied in (False, True):
        for program in ordered:
            if program.id in placed:
                continue
            for score, rung, why, plain in _program_speakers(
                program, records, scores, ladder, conf
            ):
                pk = score.contact.id
                tied = not (rung == HOME_PD and "PD's call" in why)
                if tied == untied or pk not in chosen:
                    continue
                if len(calls[pk]) < conf.soap_programs_max:
                    key = (rung, not program.target, program.name)
                    calls[pk].append((key, ProgramCall(program, why, plain)))
                    placed.add(program.id)
                    break
    return tuple(
        HelperPlan(
            speaker.score,
            tuple(call for _key, call in sorted(calls[speaker.score.contact.id])),
            speaker.why,
            speaker.rung,
        )
        for speaker in helpers
    )


OFF_CYCLE = (
    "Off-cycle openings: a resident leaves, a position is funded late. Someone in the "
    "department hears first that a spot will open; tell the people who speak for you that you "
    "are still available, so they say your name the day it does."
)


def nobody_line(phase: str) -> str:
    if phase == SOAP:
        return (
            "Nobody in your records is ready to speak for you yet. In SOAP that matters less "
            "than it feels: programs contact you first. Your advisor can help you choose "
            "programs well."
        )
    return (
        "Nobody in your records is ready to call for you yet. A mass email from your school is "
        "ignored; one brief, calm note of your own to each unfilled program in range does "
        "more, and your advisor can help you choose them."
    )


def soap_plan(
    records: StudentRecords,
    scores: Mapping[int, ContactScore],
    cal: MatchCalendar,
    today: datetime.date,
    conf: EngineConf,
) -> SoapPlan:
    """The whole plan for the student's Match Week, as of `today`: the rule and SOAP's
    allowed moves through SOAP's end, the free-contact plan after it."""
    specialties = realistic_specialties(records, conf)
    ladder = ladder_for(records, cal, conf)
    helpers = speakers(records, scores, cal, conf)
    phase = FREE if today >= cal.soap_over_on else SOAP
    tz = records.timezone
    if phase == FREE:
        plans = free_contact_calls(records, scores, helpers, ladder, conf)
    else:
        plans = tuple(HelperPlan(s.score, (), s.why, s.rung) for s in helpers)
    contacted = contacted_programs(records, scores, ladder, conf, helpers)
    story = records.story
    own = story.note.strip() if story is not None else ""
    return SoapPlan(
        year=cal.year,
        outcome=records.match_outcome,
        specialties=specialties.realistic,
        helpers=plans,
        timeline=soap_timeline(
            cal, today, records.match_outcome, specialties, [s.name for s in helpers], tz, conf
        ),
        note=own or note_template(records, plans, cal),
        note_is_template=not own,
        phase=phase,
        schedule=soap_schedule(cal, tz),
        contacted=contacted,
        rare_line=specialties.line,
        off_cycle=OFF_CYCLE if phase == FREE else "",
        nobody_line="" if helpers else nobody_line(phase),
    )


# --- The words ------------------------------------------------------------------------------


def calls_line(plans: Iterable[HelperPlan], *, names_only: bool = False) -> str:
    """After SOAP: "Dr. Feld (program director) could call St. Brendan IM; Dr. Osei ..."."""
    parts = []
    for plan in plans:
        who = f"{plan.name} ({plan.role})"
        if names_only or not plan.calls:
            parts.append(who)
        else:
            places = names_list([call.program.name for call in plan.calls])
            parts.append(f"{who} could call {places}")
    if not parts:
        return nobody_line(FREE)
    return "Who calls which: " + "; ".join(parts) + "."


def soap_day_reason(plan: SoapPlan, step: DayStep) -> str:
    """The nudge for one day of SOAP: the day's step and the rule, then any program that
    contacted the student with who could speak to it."""
    contacted = " ".join(item.line for item in plan.contacted)
    return " ".join(
        part for part in (f"SOAP, {step.headline}.", step.moves[0], RULE_SHORT, contacted) if part
    )


def free_contact_reason(plan: SoapPlan) -> str:
    """The nudge from Friday to the Monday after, for a student still without a position."""
    return (
        "SOAP is over: you may now contact unfilled programs freely. "
        + calls_line(plan.helpers)
        + " Your own note is ready on your Match Week page: brief and calm. "
        + "Tell your people you are still available: off-cycle openings are heard of first "
        "inside a department."
    )


def soap_ready_reason(
    cal: MatchCalendar,
    names: list[str],
    programs: list[str],
    risk: str,
    today: datetime.date,
) -> str:
    """Before Match Week, for everyone: the "if SOAP happens" kit, calmly."""
    who = names_list(names) if names else "the 2\u20133 people who would speak for you"
    where = f" ({names_list(programs)})" if programs else ""
    risk_words = f"your main risk in one line ({risk})" if risk else "your main risk in one line"
    return (
        f"If SOAP happens (most students never need it), be ready before "
        f"{short_date(cal.match_week_start)}: settle your 1\u20133 realistic specialties and a "
        "preliminary or transitional fallback, have your documents ready in ERAS, and brief "
        f"{who}: the programs they might hear from{where}, {risk_words}, and that during "
        "SOAP they only take calls from programs, never make them."
    )


def story_reason(cal: MatchCalendar, callers: list[str], today: datetime.date) -> str:
    who = f" ({names_list(callers)})" if callers else ""
    what = (
        f"who would speak for you{who}, your 1\u20133 realistic specialties, and your one-line "
        "pitch"
    )
    if today >= cal.match_week_start:
        return (
            f"Before the email comes, lock down your story: {what}. Five minutes now, and "
            "whatever it says, you know your next move."
        )
    return (
        f"Match Week starts {short_date(cal.match_week_start)}. Lock down your story now, so "
        f"Monday is calm: {what}. Most students never need it; if you do, it is ready."
    )


def outcome_reason(cal: MatchCalendar, today: datetime.date) -> str:
    if today == cal.match_week_start:
        return (
            "Today the NRMP email tells you whether you matched. Record it in Advocate when it "
            "comes: if you did not match, your SOAP plan (inside NRMP's rules, day by day) is "
            "ready at once."
        )
    if today >= cal.match_day:
        return (
            "How did the Match go? Record your outcome (and, if you matched, where): your "
            "thank-yous are worded for it, and what comes next follows."
        )
    return (
        "Record your Match outcome: if you matched, nothing more is asked of you until Friday; "
        "if not, your SOAP plan is ready at once."
    )


def own_note(typed: str, plan: SoapPlan | None) -> str:
    """What to keep as the student's own note: their text, or "" (the filled-in note) when
    they sent the filled-in note back unchanged, so it keeps following the story."""
    note = typed.replace("\r\n", "\n")
    if plan is not None and plan.note_is_template and note.strip() == plan.note:
        return ""
    return note


def note_template(
    records: StudentRecords, plans: tuple[HelperPlan, ...], cal: MatchCalendar
) -> str:
    """The student's own note to a program (one that contacted them in SOAP, or any unfilled
    one after SOAP), filled in from the records: who they are, scores in one line, no red flag
    or the red flag in one line, when they can start, someone who can speak for them. Brackets
    mark what the student should fill in; no life story."""
    story = records.story
    name = records.name or "[your name]"
    pitch = story.pitch.strip().rstrip(".") if story and story.pitch.strip() else ""
    scores = story.scores.strip().rstrip(".") if story and story.scores.strip() else ""
    flag = red_flag_line(records)
    who = f"I am {name}, {pitch}." if pitch else f"I am {name}, [who you are, in one line]."
    if records.match_outcome == MatchOutcome.PARTIAL:
        start = (
            f" I begin a preliminary year on July 1, {cal.year}, and am available to start "
            f"the advanced position after it, in July {cal.year + 1}."
        )
    else:
        start = f" I am fully available to start on July 1, {cal.year}."
    lines = [
        "Dear Dr. [name],",
        "",
        "Thank you for considering my application; I wanted to introduce myself briefly. "
        + who
        + " "
        + (f"{scores}." if scores else "[Your scores, in one line.]")
        + " "
        + (
            f"{flag}."
            if flag
            else "I have no leaves of absence or professionalism concerns."
            if story is not None and story.saved_on is not None
            else "[No red flags; or the one there is, explained in one line.]"
        )
        + start,
    ]
    speaker = plans[0] if plans else None
    if speaker is not None:
        lines += [
            "",
            f"{speaker.who} knows my work and can speak to it, if that would help.",
        ]
    lines += ["", "Thank you for your time during this busy week.", "", name]
    return "\n".join(lines)
