"""Match Week: its days, each day's step, and the SOAP plan (seed articles 001 and 002).

Pure, like the rules: plain records, the engine's scores and a date in; the plan out. No ORM,
no clock. The rules (rules.cycle_moments) say it as nudges; the Match Week page, the outcome
email and the advisor show the whole plan from the same function.

What the articles say helps, and so what the plan is:
- the 2-3 people whose word weighs most and who know the student's work best (influence x
  depth) call; not ten, and never a classmate (a backchannel is a faculty voice);
- each reaches the 3-5 programs in range where they have a tie (trained, work or know someone
  there, or it is their own institution); a program is one person's call, so a program
  director does not get three overlapping messages about one student;
- the timing: Monday alert your advocates and decide 1-3 realistic specialties, Tuesday
  programs filter, Wednesday morning preference lists (the sweet spot), Thursday offers (calls
  are mostly theatre now), Friday thank everyone;
- the student's own note is brief and calm: who they are, scores in one line, no red flag or
  the red flag in one line, available to start, someone who can speak for them.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping

from contacts.vocabulary import ROLE_WORDS, Tier
from crm.match import MatchOutcome
from crm.phrases import names_list, short_date
from reminders.engine.conf import EngineConf
from reminders.engine.cycle import MatchCalendar
from reminders.engine.records import ProgramRecord, StoryRecord, StudentRecords, TieRecord
from reminders.engine.scoring import ContactScore, can_advocate, ranked
from reminders.engine.vouch import Voucher, program_vouching

DAY = datetime.timedelta(days=1)
DID_NOT_MATCH = (MatchOutcome.UNMATCHED, MatchOutcome.PARTIAL)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


# --- The days -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MatchWeekDays:
    story_from: datetime.date  # the Friday before: lock down your story
    monday: datetime.date
    friday: datetime.date  # Match Day

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


# --- Each day's step, for a student in SOAP -----------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DayStep:
    day: datetime.date
    weekday: str  # "Wednesday"
    title: str  # "Preference lists: the sweet spot"
    moves: tuple[str, ...]  # what to do, in order
    today: bool = False

    @property
    def headline(self) -> str:
        return f"{self.weekday}: {self.title}"


def _steps(outcome: str, specialties: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if specialties:
        decide = (
            f"Settle on your 1\u20133 realistic specialties ({names_list(list(specialties))}). "
            "A preliminary year or a pivot is an honest option: people help most when they know "
            "you will say yes to a reasonable offer."
        )
    else:
        decide = (
            "Decide 1\u20133 realistic specialties. A preliminary year or a pivot is an honest "
            "option: people help most when they know you will say yes to a reasonable offer."
        )
    if outcome == MatchOutcome.PARTIAL:
        alert = (
            "Tell your advocates today: you matched to a preliminary year only, and SOAP may "
            "find the position to go with it."
        )
    else:
        alert = (
            "Tell your 2\u20133 advocates today, by phone if you can: you did not match, you are "
            "in SOAP, and where you would gladly train."
        )
    return (
        (
            "Alert your advocates, decide your specialties",
            (
                alert,
                decide,
                "Apply through SOAP to the unfilled programs where you are in range: a short "
                "list chosen well, not a blast to all of them.",
            ),
        ),
        (
            "Programs filter; first calls",
            (
                "Programs receive SOAP applications and filter hard on paper first.",
                "Your advocates' first calls: each to the programs below, where they have a "
                "tie, while interview lists are being made.",
                "Your own note only where you have a tie or an introduction: brief and calm.",
            ),
        ),
        (
            "Preference lists: the sweet spot",
            (
                "This morning programs build their preference lists: an advocate's call now "
                "counts most. If anyone has not called yet, this is the moment.",
                "Stay reachable: phone on, voicemail set, email open.",
            ),
        ),
        (
            "Offers",
            (
                "Offer rounds go out. Calls now are mostly theatre: do not ask for more.",
                "Stay reachable and answer offers promptly.",
                "If a spot opens late, one short second call from an advocate ('if anything "
                "opened up, my student is still available') can still land.",
            ),
        ),
        (
            "Thank everyone, whatever happened",
            (
                "Thank each person who called or took a call for you, in a line or two, "
                "whatever happened.",
                "Tell them where you are going, or what comes next: the people who helped this "
                "week can help again.",
            ),
        ),
    )


def soap_timeline(
    cal: MatchCalendar, today: datetime.date, outcome: str, specialties: tuple[str, ...] = ()
) -> tuple[DayStep, ...]:
    """Monday to Friday of Match Week, a step each, with today's marked."""
    days = match_week_days(cal).days()
    return tuple(
        DayStep(day, WEEKDAYS[offset], title, moves, today=day == today)
        for offset, (day, (title, moves)) in enumerate(
            zip(days, _steps(outcome, specialties), strict=True)
        )
    )


# --- The SOAP plan: who calls, and where ---------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ProgramCall:
    program: ProgramRecord
    tie: str  # "trained in this program (residency, 2015)"
    tie_without_note: str = ""  # "trained in this program": for an advisor without notes


@dataclasses.dataclass(frozen=True)
class HelperPlan:
    score: ContactScore
    calls: tuple[ProgramCall, ...]  # at most `soap_programs_max`, each with a tie

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
class SoapPlan:
    year: int
    outcome: str
    specialties: tuple[str, ...]  # the realistic ones: the story's, else the targets
    helpers: tuple[HelperPlan, ...]  # 2-3, strongest first
    timeline: tuple[DayStep, ...]
    note: str  # the student's own note to a program: their edit, else the filled-in template
    note_is_template: bool

    @property
    def step(self) -> DayStep | None:
        return next((step for step in self.timeline if step.today), None)

    @property
    def programs(self) -> int:
        return sum(len(helper.calls) for helper in self.helpers)


def soap_helpers(
    scores: Iterable[ContactScore], story: StoryRecord | None, conf: EngineConf
) -> list[ContactScore]:
    """Who calls: the people the student chose in their story (those who still could), else
    the `soap_contacts` strongest by influence x depth. Never a classmate or staff (their call
    is not a backchannel), never someone quiet for over a year, never someone archived."""
    eligible = {
        score.contact.id: score
        for score in scores
        if not score.contact.archived
        and score.weight > 0
        and score.tier != Tier.DORMANT
        and can_advocate(score.contact, conf)
    }
    if story is not None and story.caller_ids:
        chosen = [eligible[pk] for pk in dict.fromkeys(story.caller_ids) if pk in eligible]
        if chosen:
            return ranked(chosen)[: conf.soap_contacts]
    return ranked(eligible.values())[: conf.soap_contacts]


def _in_range(program: ProgramRecord, specialties: tuple[str, ...]) -> bool:
    """In one of the student's realistic specialties (or its specialty is not recorded)."""
    if not specialties or not program.specialty.strip():
        return True
    mine = program.specialty.strip().lower()
    return any(
        (wanted := name.strip().lower()) and (wanted in mine or mine in wanted)
        for name in specialties
    )


def realistic_specialties(records: StudentRecords) -> tuple[str, ...]:
    story = records.story
    if story is not None and story.specialties:
        return story.specialties
    return records.target_specialties


def plan_calls(
    helpers: list[ContactScore],
    programs: Iterable[ProgramRecord],
    ties: Iterable[TieRecord],
    specialties: tuple[str, ...],
    conf: EngineConf,
) -> tuple[HelperPlan, ...]:
    """Each helper with the in-range programs where they have a tie, strongest tie first, at
    most `soap_programs_max` each; a program tied to two helpers is the stronger one's call."""
    in_range = [program for program in programs if _in_range(program, specialties)]
    by_id = {score.contact.id: score for score in helpers}
    best: dict[int, Voucher] = {}  # program id -> the helper who calls it
    for vouching in program_vouching(in_range, by_id, ties, conf):
        if vouching.vouchers:
            best[vouching.program.id] = vouching.vouchers[0]
    calls: dict[int, list[Voucher]] = {pk: [] for pk in by_id}
    for voucher in best.values():
        calls[voucher.contact.id].append(voucher)
    plans = []
    for score in helpers:
        mine = sorted(
            calls[score.contact.id], key=lambda v: (-v.strength, -v.program.target, v.program.name)
        )[: conf.soap_programs_max]
        plans.append(
            HelperPlan(
                score,
                tuple(
                    ProgramCall(v.program, _tie_words(v), v.links[0].words_without_note)
                    for v in mine
                ),
            )
        )
    return tuple(plans)


def _tie_words(voucher: Voucher) -> str:
    return voucher.links[0].words


def soap_plan(
    records: StudentRecords,
    scores: Mapping[int, ContactScore],
    cal: MatchCalendar,
    today: datetime.date,
    conf: EngineConf,
) -> SoapPlan:
    """The whole plan for the student's Match Week, as of `today`."""
    specialties = realistic_specialties(records)
    helpers = soap_helpers(scores.values(), records.story, conf)
    plans = plan_calls(helpers, records.programs, records.ties, specialties, conf)
    story = records.story
    own = story.note.strip() if story is not None else ""
    return SoapPlan(
        year=cal.year,
        outcome=records.match_outcome,
        specialties=specialties,
        helpers=plans,
        timeline=soap_timeline(cal, today, records.match_outcome, specialties),
        note=own or note_template(records, plans, cal),
        note_is_template=not own,
    )


# --- The words ------------------------------------------------------------------------------------


def calls_line(plans: Iterable[HelperPlan], *, names_only: bool = False) -> str:
    """ "Ask Dr. Patel (program director) to reach Lakeshore IM and Cascade IM; Dr. Kim ..."."""
    parts = []
    for plan in plans:
        who = f"{plan.name} ({plan.role})"
        if names_only:
            parts.append(who)
        elif plan.calls:
            places = names_list([call.program.name for call in plan.calls])
            parts.append(f"{who} to reach {places}")
        else:
            parts.append(f"{who} which programs in range they know people at")
    if not parts:
        return (
            "Ask your advisor and dean's office whom to call for the 3\u20135 programs in range "
            "where your school has ties."
        )
    return "Ask " + "; ".join(parts) + "."


def soap_day_reason(plan: SoapPlan, step: DayStep) -> str:
    """The nudge for one day of SOAP: the day's step, then who calls where."""
    first = step.moves[0]
    if step.weekday in ("Monday", "Tuesday"):
        return f"SOAP, {step.headline}. {first} {calls_line(plan.helpers)}"
    if step.weekday == "Wednesday":
        return f"SOAP, {step.headline}. {first} {calls_line(plan.helpers, names_only=True)}"
    return f"SOAP, {step.headline}. {first} {' '.join(step.moves[1:2])}"


def story_reason(cal: MatchCalendar, callers: list[str], today: datetime.date) -> str:
    who = f" ({names_list(callers)})" if callers else ""
    what = f"whom you would call{who}, your 1\u20133 realistic specialties, and your one-line pitch"
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
            "comes: if you did not match, your SOAP plan (who calls, where, and when) is ready "
            "at once."
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
    """The student's own note to a program, filled in from the records: who they are, scores
    in one line, no red flag or the red flag in one line, available to start, someone who can
    speak for them. Brackets mark what the student should fill in; no life story."""
    story = records.story
    name = records.name or "[your name]"
    pitch = story.pitch.strip().rstrip(".") if story and story.pitch.strip() else ""
    scores = story.scores.strip().rstrip(".") if story and story.scores.strip() else ""
    flag = story.red_flag.strip().rstrip(".") if story and story.red_flag.strip() else ""
    who = f"I am {name}, {pitch}." if pitch else f"I am {name}, [who you are, in one line]."
    lines = [
        "Dear Dr. [name],",
        "",
        "I applied to your program through SOAP and wanted to introduce myself briefly. "
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
        + f" I am fully available to start on July 1, {cal.year}.",
    ]
    speaker = plans[0] if plans else None
    if speaker is not None:
        lines += [
            "",
            f"{speaker.who} knows my work and can speak to it, if that would help.",
        ]
    lines += ["", "Thank you for considering my application during this busy week.", "", name]
    return "\n".join(lines)
