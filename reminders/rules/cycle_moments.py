"""The Match year's moments: tell advocates where you applied before interview season, a brief
update before the rank-list deadline, the SOAP plan in Match Week for a student who did not
match, and thanks to every writer and advocate after Match Day."""

from __future__ import annotations

import datetime

from contacts.vocabulary import LETTER_WRITTEN, LetterStatus, Tier
from crm.cycle import MatchOutcome
from crm.phrases import names_list, short_date

from ..cycle import MatchCalendar
from ..scoring import ContactScore, can_advocate, ranked, was_advocate
from ..vocabulary import NudgeKind
from .base import DAY, Context, NudgeSpec, last_outbound, shows, who

_UNMATCHED = MatchOutcome.UNMATCHED
_PARTIAL = MatchOutcome.PARTIAL
_DID_NOT_MATCH = (_UNMATCHED, _PARTIAL)
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


def soap_reason(helpers: list[ContactScore]) -> str:
    if helpers:
        names = names_list([who(score) for score in helpers])
        each = "each " if len(helpers) > 1 else ""
        ask = f"Ask {names} to {each}reach 3\u20135 programs in range where they have ties. "
    else:
        ask = "Ask your advisor and dean's office whom to call for 3\u20135 programs in range. "
    return (
        "SOAP this week: this is exactly what advocates are for. "
        + ask
        + "Tuesday programs filter, Wednesday morning they build preference lists (the "
        "sweet spot), Thursday brings offers. Keep your own note brief and calm."
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
        + _soap_plan(ctx, cal)
        + _match_thanks(ctx, cal)
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
                applied_reason(score.contact.name, cal, ctx.today),
                show_from,
                group=f"cycle_update:applied:{cal.year}",
            )
        )
    return found


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


def _soap_plan(ctx: Context, cal: MatchCalendar) -> list[NudgeSpec]:
    """Match Week: the SOAP plan, for a student who did not match (or only to a prelim year)."""
    if ctx.records.match_outcome not in _DID_NOT_MATCH or not cal.in_soap(ctx.today):
        return []
    # Who calls matters: a classmate's call is not a backchannel.
    helpers = [
        score
        for score in ranked(ctx.active())
        if score.weight > 0 and score.tier != Tier.DORMANT and can_advocate(score.contact, ctx.conf)
    ][: ctx.conf.soap_contacts]
    return [
        ctx.spec(
            NudgeKind.SOAP_PLAN,
            f"soap_plan:{cal.year}",
            None,
            cal.match_week_start + DAY,
            soap_reason(helpers),
            cal.match_week_start,
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
    matched = outcome == MatchOutcome.MATCHED
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
