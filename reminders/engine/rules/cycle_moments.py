"""The Match year's moments: tell advocates where you applied before interview season, a brief
update before the rank-list deadline, the "if SOAP happens" kit before Match Week, the SOAP
plan in Match Week for a student who did not match (inside NRMP's rules: allowed moves only
until SOAP ends, then the free-contact plan through the Monday after), and thanks to every
writer and advocate after Match Day."""

from __future__ import annotations

import datetime

from contacts.vocabulary import LETTER_WRITTEN, LetterStatus, Tier
from crm.match import MatchOutcome
from crm.phrases import short_date
from reminders.engine.conf import EngineConf
from reminders.engine.cycle import MatchCalendar
from reminders.engine.match_week import (
    DID_NOT_MATCH,
    free_contact_reason,
    ladder_for,
    match_week_days,
    outcome_reason,
    red_flag_line,
    soap_day_reason,
    soap_plan,
    soap_ready_reason,
    speakers,
    story_reason,
)
from reminders.engine.records import ProgramRecord, StoryRecord
from reminders.engine.rules.base import DAY, Context, NudgeSpec, last_outbound, shows
from reminders.engine.scoring import ContactScore, ranked, was_advocate
from reminders.engine.vouch import program_vouching
from reminders.vocabulary import NudgeKind

_PARTIAL = MatchOutcome.PARTIAL
_SUBMITTED = frozenset({LetterStatus.SUBMITTED, LetterStatus.THANKED})


def applied_reason(name: str, cal: MatchCalendar, today: datetime.date | None = None) -> str:
    if today is not None and today >= cal.interview_start:
        return (
            f"Interview season has begun. Tell {name} where you applied: when a program asks "
            "around, they'll be ready to speak for you."
        )
    return (
        f"Interview season starts {short_date(cal.interview_start)}. Tell {name} where you "
        "applied: when a program asks around, they'll be ready to speak for you."
    )


def rank_reason(name: str, cal: MatchCalendar) -> str:
    return (
        f"Rank-list meetings are under way (lists lock {short_date(cal.rank_deadline)}). A "
        f"brief update to {name} (interviews done, the programs you loved) helps them speak "
        "for you."
    )


def match_thanks_reason(
    name: str, *, is_writer: bool, matched: bool, agreed_only: bool = False, outcome: str = ""
) -> str:
    """`is_writer`: a letter submitted ("wrote for you"); `agreed_only`: agreed, not yet in.
    The words fit the outcome: no "Match Day." opening the thanks of an unmatched student."""
    if is_writer:
        role = "wrote for you"
    elif agreed_only:
        role = "agreed to write for you"
    else:
        role = "has been in your corner"
    if matched:
        return (
            f"You matched. {name} {role}: tell them where you are going, and thank them. "
            "They will remember it for years."
        )
    if outcome == _PARTIAL:
        return (
            f"{name} {role}. Tell them about your preliminary year and your plan from here, "
            "and thank them: they can help again next cycle."
        )
    return (
        f"{name} {role}. When you are ready, tell them how the week went and what comes "
        "next, and thank them: the people who helped this year can help again."
    )


def cycle_moments(ctx: Context) -> list[NudgeSpec]:
    cal = ctx.calendar
    if cal is None:
        return []
    return (
        _where_you_applied(ctx, cal)
        + _before_the_rank_list(ctx, cal)
        + _if_soap_happens(ctx, cal)
        + _lock_down_your_story(ctx, cal)
        + _record_the_outcome(ctx, cal)
        + _soap_plan(ctx, cal)
        + _match_thanks(ctx, cal)
        + _after_the_match(ctx, cal)
    )


def _where_you_applied(ctx: Context, cal: MatchCalendar) -> list[NudgeSpec]:
    """Before interview season: tell advocates where you applied."""
    conf = ctx.conf
    show_from = cal.interview_start - datetime.timedelta(days=conf.cycle_applied_lead_days)
    due = cal.interview_start - DAY
    until = due + datetime.timedelta(days=conf.cycle_applied_grace_days)
    if not shows(ctx.today, show_from, until):
        return []
    found = []
    for score in _focus_scores(ctx):
        update_due = _after_quiet(ctx, score, due)
        if update_due > until:
            continue  # they heard from the student lately; the next update can wait
        found.append(
            ctx.spec(
                NudgeKind.CYCLE_UPDATE,
                f"cycle_update:applied:{cal.year}:{score.contact.id}",
                score.contact,
                update_due,
                applied_reason(score.contact.name, cal, ctx.today) + _red_flag_context(ctx),
                show_from,
                group=f"cycle_update:applied:{cal.year}",
            )
        )
    return found


def _red_flag_context(ctx: Context) -> str:
    """The interview-season brief carries the red flag's one line (rules.red_flags)."""
    line = red_flag_line(ctx.records)
    return f" Remind them, in one line, of the context they can speak to: {line}." if line else ""


def _before_the_rank_list(ctx: Context, cal: MatchCalendar) -> list[NudgeSpec]:
    """Before the rank-list deadline: a brief update."""
    conf = ctx.conf
    show_from = cal.rank_deadline - datetime.timedelta(days=conf.cycle_rank_lead_days)
    due = cal.rank_deadline - datetime.timedelta(days=conf.cycle_rank_due_days_before)
    if not shows(ctx.today, show_from, cal.rank_deadline):
        return []
    found = []
    for score in _focus_scores(ctx):
        # The 30-day guard holds here too: an update 12 days ago is recent enough.
        update_due = _after_quiet(ctx, score, due)
        if update_due >= cal.rank_deadline:
            continue
        found.append(
            ctx.spec(
                NudgeKind.CYCLE_UPDATE,
                f"cycle_update:rank:{cal.year}:{score.contact.id}",
                score.contact,
                update_due,
                rank_reason(score.contact.name, cal),
                show_from,
                stakes=70,
                group=f"cycle_update:rank:{cal.year}",
            )
        )
    return found


def _after_quiet(ctx: Context, score: ContactScore, due: datetime.date) -> datetime.date:
    """`due`, or later if the student reached out within the quiet period before it."""
    outbound = last_outbound(ctx.interactions(score.contact.id))
    if outbound is None:
        return due
    return max(due, outbound + datetime.timedelta(days=ctx.conf.outreach_quiet_days))


def _story(ctx: Context, cal: MatchCalendar) -> StoryRecord | None:
    story = ctx.records.story
    return story if story is not None and story.year == cal.year else None


def _speakers(ctx: Context, cal: MatchCalendar):
    return speakers(ctx.records, ctx.scores, cal, ctx.conf)


def _if_soap_happens(ctx: Context, cal: MatchCalendar) -> list[NudgeSpec]:
    """After the rank-list deadline, up to the story's Friday, for every student: the "if SOAP
    happens" kit in one calm item (where a backchannel is really built, 001), including the
    brief to the people who would speak for them: in SOAP they take calls, never make them."""
    days = match_week_days(cal)
    show_from = cal.rank_deadline + DAY
    until = days.story_from - DAY
    if not shows(ctx.today, show_from, until) or ctx.records.match_outcome:
        return []
    people = _speakers(ctx, cal)
    ladder = ladder_for(ctx.records, cal, ctx.conf)
    tied = {
        voucher.program.name
        for vouching in program_vouching(
            ctx.records.programs, ctx.scores, ctx.records.ties, ctx.conf, ladder
        )
        for voucher in vouching.who_can_vouch
        if voucher.contact.id in {speaker.score.contact.id for speaker in people}
    }
    return [
        ctx.spec(
            NudgeKind.CYCLE_UPDATE,
            f"cycle_update:soap_ready:{cal.year}",
            None,
            until,
            soap_ready_reason(
                cal,
                [speaker.name for speaker in people],
                sorted(tied)[: ctx.conf.soap_programs_max],
                red_flag_line(ctx.records),
                ctx.today,
            ),
            show_from,
            stakes=60,
        )
    ]


def _lock_down_your_story(ctx: Context, cal: MatchCalendar) -> list[NudgeSpec]:
    """The Friday to the Monday before: whom you would call, 1-3 realistic specialties, your
    one-line pitch; once saved (or the outcome recorded) it is done, so Monday is calm."""
    days = match_week_days(cal)
    if not days.in_story_window(ctx.today) or ctx.records.match_outcome:
        return []
    story = _story(ctx, cal)
    if story is not None and story.saved_on is not None:
        return []
    callers = [speaker.name for speaker in _speakers(ctx, cal)]
    return [
        ctx.spec(
            NudgeKind.CYCLE_UPDATE,
            f"cycle_update:match_story:{cal.year}",
            None,
            days.monday - DAY,
            story_reason(cal, callers, ctx.today),
            days.story_from,
            stakes=90,
        )
    ]


def _record_the_outcome(ctx: Context, cal: MatchCalendar) -> list[NudgeSpec]:
    """From the Monday of Match Week until the student records what the Match said: daily
    through Thursday, then from Match Day for `matched_program_days` (the thank-yous and
    what comes next are worded for the outcome)."""
    if ctx.records.match_outcome:
        return []
    after = cal.match_day + datetime.timedelta(days=ctx.conf.matched_program_days)
    if not shows(ctx.today, cal.match_week_start, after):
        return []
    due = ctx.today if cal.in_soap(ctx.today) else cal.match_day
    return [
        ctx.spec(
            NudgeKind.CYCLE_UPDATE,
            f"cycle_update:match_outcome:{cal.year}",
            None,
            due,
            outcome_reason(cal, ctx.today),
            cal.match_week_start,
            stakes=95 if cal.in_soap(ctx.today) else 70,
        )
    ]


def _soap_plan(ctx: Context, cal: MatchCalendar) -> list[NudgeSpec]:
    """Match Week, for a student who did not match (or only to a preliminary year): Monday to
    Thursday each day its own step of allowed moves, with the rule; from Friday (SOAP is over)
    to the Monday after, one free-contact plan: who calls which unfilled program."""
    outcome = ctx.records.match_outcome
    days = match_week_days(cal)
    if outcome not in DID_NOT_MATCH or not days.in_plan(ctx.today):
        return []
    plan = soap_plan(ctx.records, ctx.scores, cal, ctx.today, ctx.conf)
    if plan.free:
        return [
            ctx.spec(
                NudgeKind.SOAP_PLAN,
                f"soap_plan:{cal.year}:free_contact",
                None,
                cal.soap_over_on,
                free_contact_reason(plan),
                cal.soap_over_on,
            )
        ]
    step = plan.step
    if step is None:
        return []
    return [
        ctx.spec(
            NudgeKind.SOAP_PLAN,
            f"soap_plan:{cal.year}:{step.day.isoformat()}",
            None,
            step.day,
            soap_day_reason(plan, step),
            step.day,
        )
    ]


def _match_thanks(ctx: Context, cal: MatchCalendar) -> list[NudgeSpec]:
    """After Match Day: thank every letter writer and advocate."""
    conf = ctx.conf
    due = cal.match_day + datetime.timedelta(days=conf.match_thanks_days)
    until = due + datetime.timedelta(days=conf.match_thanks_grace_days)
    if not shows(ctx.today, cal.match_day, until):
        return []
    submitted = {letter.writer_id for letter in ctx.records.letters if letter.status in _SUBMITTED}
    agreed = {letter.writer_id for letter in ctx.records.letters if letter.status in LETTER_WRITTEN}
    outcome = ctx.records.match_outcome
    # Only a recorded "matched" says so: before the student records it, the words stay neutral.
    matched = outcome in (MatchOutcome.MATCHED, MatchOutcome.SOAP_MATCHED)
    found = []
    for score in ranked(ctx.active()):
        is_writer = score.contact.id in submitted
        is_agreed = score.contact.id in agreed
        # Advocates, including one whose depth the quiet months halved (still in the focus).
        advocate = score.tier == Tier.ADVOCATE or (
            score.tier != Tier.DORMANT and was_advocate(score, ctx.conf)
        )
        if not is_agreed and not advocate:
            continue
        found.append(
            ctx.spec(
                NudgeKind.MATCH_THANKS,
                f"match_thanks:{cal.year}:{score.contact.id}",
                score.contact,
                due,
                match_thanks_reason(
                    score.contact.name,
                    is_writer=is_writer,
                    matched=matched,
                    agreed_only=is_agreed and not is_writer,
                    outcome=outcome,
                ),
                cal.match_day,
                group=f"match_thanks:{cal.year}",
            )
        )
    return found


def _focus_scores(ctx: Context) -> list[ContactScore]:
    return [ctx.scores[contact_id] for contact_id in ctx.focus]


def _after_the_match(ctx: Context, cal: MatchCalendar) -> list[NudgeSpec]:
    """After Match Day. Matched: where (its people are the next circle); from July 1 the
    residency phase is rules.residency's. Did not match: when ready, the next step, with the
    same people."""
    conf, today, outcome = ctx.conf, ctx.today, ctx.records.match_outcome
    story = _story(ctx, cal)
    found = []
    if outcome in (MatchOutcome.MATCHED, MatchOutcome.SOAP_MATCHED):
        program = _matched_program(ctx, story)
        until = cal.match_day + datetime.timedelta(days=conf.matched_program_days)
        if program is None and shows(today, cal.match_day, until):
            found.append(
                ctx.spec(
                    NudgeKind.CYCLE_UPDATE,
                    f"cycle_update:matched_program:{cal.year}",
                    None,
                    cal.match_day,
                    "Where did you match? Record the program: its people become your next "
                    "circle, and your thank-yous can say where you are going.",
                    cal.match_day,
                    stakes=70,
                )
            )
        # From July 1 the residency phase speaks (rules.residency: the resident's circle).
    elif outcome in DID_NOT_MATCH:
        start = cal.match_day + datetime.timedelta(days=conf.match_thanks_days)
        if shows(today, start, start + datetime.timedelta(days=conf.next_cycle_days)):
            found.append(
                ctx.reflection(
                    NudgeKind.CYCLE_UPDATE,
                    f"cycle_update:next_cycle:{cal.year}",
                    start,
                    next_cycle_reason(outcome),
                    stakes=45,
                )
            )
    return found


def _matched_program(ctx: Context, story: StoryRecord | None) -> ProgramRecord | None:
    if story is None or story.matched_program_id is None:
        return None
    return next((p for p in ctx.records.programs if p.id == story.matched_program_id), None)


def next_cycle_reason(outcome: str) -> str:
    if outcome == MatchOutcome.PARTIAL:
        first = "Your preliminary year is a real start."
    else:
        first = "When you are ready, choose the next step: a research year, a preliminary year, "
        first += "or the next Match."
    return (
        f"{first} Set your next Match year and target specialties in your settings, and "
        "Advocate plans the next cycle with you. The people who helped this year can help "
        "again: keep them close, with a brief update every few months."
    )


def cycle_windows(
    cal: MatchCalendar, conf: EngineConf
) -> tuple[tuple[datetime.date, datetime.date], ...]:
    """The stretches of the Match year in which a cycle moment may speak (each moment's first
    and last day; outside them `cycle_moments` says nothing). Read by the look-ahead
    (reminders.engine.horizon), which asks `cycle_moments` about each day inside them."""
    days = match_week_days(cal)
    span = datetime.timedelta
    thanks = cal.match_day + span(days=conf.match_thanks_days)
    return (
        (
            cal.interview_start - span(days=conf.cycle_applied_lead_days),
            cal.interview_start - DAY + span(days=conf.cycle_applied_grace_days),
        ),
        (cal.rank_deadline - span(days=conf.cycle_rank_lead_days), cal.rank_deadline),
        (cal.rank_deadline + DAY, days.story_from - DAY),
        (days.story_from, days.monday),
        (cal.match_week_start, cal.match_day + span(days=conf.matched_program_days)),
        (days.monday, days.monday_after),
        (cal.match_day, thanks + span(days=conf.match_thanks_grace_days)),
        (thanks, thanks + span(days=conf.next_cycle_days)),
    )
