"""Follow-ups: keep the focus set in the loop (faster in interview season), keep advocates
outside it warm, honour the date the student planned, and never nag within the quiet period
after the last outreach."""

from __future__ import annotations

import dataclasses
import datetime

from contacts.vocabulary import Tier
from crm.phrases import days_in_words, short_date, span_in_words
from reminders.engine.conf import EngineConf
from reminders.engine.records import InteractionRecord
from reminders.engine.rules.base import Context, NudgeSpec, last_outbound, since
from reminders.engine.scoring import ContactScore, can_advocate, was_advocate
from reminders.vocabulary import NudgeKind


@dataclasses.dataclass(frozen=True)
class FollowUpMoment:
    """When a follow-up is due and why: the facts the sentence is written from."""

    anchor: datetime.date  # the last time they spoke (or worked together)
    due: datetime.date
    planned: datetime.date | None  # the student's own "follow up by" on that last contact
    planned_wins: bool  # the student's date, not the cadence, set the due date
    last_outbound: datetime.date | None
    in_peak: bool  # today is in the backchannel peak: interview season to the rank list
    in_focus: bool
    returns: int = 0  # how many times it stepped back and came round again
    fading: bool = False  # depth decayed by the quiet spell: a re-warm


def follow_up_moment(ctx: Context, score: ContactScore) -> FollowUpMoment | None:
    """When (and whether) this contact is due a follow-up on `ctx.today`."""
    conf, today = ctx.conf, ctx.today
    if score.tier == Tier.DORMANT:
        return None
    contact = score.contact
    anchor = score.depth.last_contact_on
    if anchor is None:
        return None
    interactions = ctx.interactions(contact.id)
    if not interactions and not any(
        rotation.start <= today for rotation, _ in ctx.index.teams.get(contact.id, ())
    ):
        return None  # never actually met: nothing to follow up on
    calendar = ctx.calendar
    peak_now = calendar is not None and calendar.in_backchannel_peak(today)
    in_focus = contact.id in ctx.focus
    cadence = None
    if in_focus:
        cadence = conf.follow_up_days
        # Backchannel traffic peaks from interview season to the rank-list deadline.
        peak_due = anchor + datetime.timedelta(days=conf.follow_up_peak_days)
        if peak_now or (calendar is not None and calendar.in_backchannel_peak(peak_due)):
            cadence = conf.follow_up_peak_days
    elif score.tier == Tier.ADVOCATE or (
        # A classmate or a nurse who knows your work well: never an advocate, still kept warm.
        not can_advocate(contact, conf) and score.depth.value >= conf.advocate_min_depth
    ):
        cadence = conf.keep_warm_days
    planned = planned_follow_up(interactions, anchor)
    if not cadence and (planned is None or planned <= anchor):
        # Neither a cadence nor a date of the student's own: no follow-up, as _first_due
        # would say (most acquaintances), without looking up their last outreach.
        return None
    outbound = last_outbound(interactions)
    earliest, due = _first_due(conf, anchor, cadence, planned, outbound)  # one or both: a date
    # Left alone, it steps back after `step_back_days` and returns one cadence later (a date
    # the student planned, with no cadence behind it, simply retires).
    returns = 0
    step_back = datetime.timedelta(days=conf.step_back_days)
    while today > due + step_back:
        if not cadence:
            return None
        due += datetime.timedelta(days=cadence)
        returns += 1
    if today < due - datetime.timedelta(days=conf.lookahead_days):
        return None
    return FollowUpMoment(
        anchor=anchor,
        due=due,
        planned=planned,
        planned_wins=returns == 0 and planned is not None and planned == earliest,
        last_outbound=outbound,
        in_peak=peak_now,
        in_focus=in_focus,
        returns=returns,
        fading=score.depth.decay_factor < 1,
    )


def planned_follow_up(
    interactions: list[InteractionRecord], anchor: datetime.date
) -> datetime.date | None:
    """The student's own "follow up by" on the last contact, if they set one."""
    if interactions and interactions[-1].date == anchor:
        # Oldest first: the last contact's day is the tail.
        dates = [i.follow_up_by for i in since(interactions, anchor) if i.follow_up_by]
        return max(dates) if dates else None
    return None


def _first_due(
    conf: EngineConf,
    anchor: datetime.date,
    cadence: int | None,
    planned: datetime.date | None,
    outbound: datetime.date | None,
) -> tuple[datetime.date, datetime.date] | None:
    """(the earlier of one cadence on and the planned date, the due date once the guardrail
    has moved it), or None when there is neither."""
    candidates = [anchor + datetime.timedelta(days=cadence)] if cadence else []
    if planned is not None and planned > anchor:
        candidates.append(planned)
    if not candidates:
        return None
    earliest = min(candidates)
    # The guardrail: never a follow-up within the quiet period after the last outreach.
    if outbound is not None:
        return earliest, max(earliest, outbound + datetime.timedelta(days=conf.outreach_quiet_days))
    return earliest, earliest


def follow_up_cadences(conf: EngineConf) -> set[int | None]:
    """Every cadence a follow-up may have: in the focus, in the backchannel peak, kept warm,
    or none (only the student's own date)."""
    return {conf.follow_up_days, conf.follow_up_peak_days, conf.keep_warm_days, None}


def follow_up_days(
    conf: EngineConf,
    interactions: list[InteractionRecord],
    anchor: datetime.date,
    first: datetime.date,
    last: datetime.date,
    cadences: set[int | None],
) -> tuple[set[datetime.date], set[datetime.date]]:
    """When a follow-up about a contact last seen on `anchor` (with nothing logged after it)
    may start to show over [first, last], with any of these `cadences`: the days one may
    start, or step back and come round again; and the days one may show. Read by the look
    ahead (reminders.engine.horizon), which asks `follow_ups` only then. (Day numbers,
    date.toordinal: it runs for many contacts of every weekly email.)"""
    planned = planned_follow_up(interactions, anchor)
    step_back, ahead = conf.step_back_days, conf.lookahead_days
    start, end = first.toordinal(), last.toordinal()
    if planned is None:
        # The quick bound first (most contacts): each round falls due a whole number of
        # cadences after the anchor (the guardrail may push them later, by less than
        # `outreach_quiet_days`), and shows from `lookahead_days` before that to
        # `step_back_days` after: is there such a day in the stretch?
        last_seen = anchor.toordinal()
        if not any(
            cadence
            and _lands(
                cadence,
                start - step_back - last_seen - max(0, conf.outreach_quiet_days - cadence),
                end + ahead - last_seen,
            )
            for cadence in cadences
        ):
            return set(), set()
    outbound = last_outbound(interactions)
    starts: set[int] = set()
    shows: set[int] = set()
    for cadence in cadences:
        first_due = _first_due(conf, anchor, cadence, planned, outbound)
        if first_due is None:
            continue
        due = first_due[1].toordinal()
        shows_from = due - ahead
        if cadence and due + step_back < start:  # the rounds before the stretch: skip them
            due += cadence * ((start - due - step_back - 1) // cadence + 1)
            # The round before ends the day before this one may start.
            shows_from = max(due - ahead, due - cadence + step_back + 1)
        while shows_from <= end:
            ends = due + step_back  # the last day of this round
            if ends >= start:
                starts.update(day for day in (shows_from, ends + 1) if start <= day <= end)
                shows.update(range(max(shows_from, start), min(ends, end) + 1))
            if not cadence:
                break
            due += cadence
            shows_from = max(due - ahead, ends + 1)
    day = datetime.date.fromordinal
    return {day(number) for number in starts}, {day(number) for number in shows}


def follow_up_reach(
    conf: EngineConf, cadence: int, first: datetime.date, last: datetime.date
) -> frozenset[int]:
    """The last contacts (day numbers, date.toordinal) after which a follow-up of this
    cadence may show over [first, last], with no date of the student's own: each round falls
    due a whole number of cadences on (the guardrail may push it later, by less than
    `outreach_quiet_days`), and shows from `lookahead_days` before to `step_back_days` after;
    a contact quiet longer than `dormant_after_days` has none."""
    start, end = first.toordinal(), last.toordinal()
    low = start - conf.step_back_days - max(0, conf.outreach_quiet_days - cadence)
    high = end + conf.lookahead_days
    oldest = start - conf.dormant_after_days - 1
    reach: set[int] = set()
    times = 1
    while high - cadence * times >= oldest:
        reach.update(range(max(low - cadence * times, oldest), high - cadence * times + 1))
        times += 1
    return frozenset(reach)


def _lands(cadence: int, low: int, high: int) -> bool:
    """Whether a whole number (1 or more) of cadences falls between `low` and `high`."""
    times = max(1, -(-low // cadence))
    return cadence * times <= high


def follow_up_reason(
    name: str,
    moment: FollowUpMoment,
    news: str | None,
    conf: EngineConf,
    today: datetime.date | None = None,
) -> str:
    """The sentence: `news` is what the student could tell ("your Medicine sub-I"). Every
    claim is true on `today` (the day it is shown): no "by May 15" in June."""
    today = today or moment.due
    quiet = days_in_words((max(today, moment.due) - moment.anchor).days)
    update_on = f"on {news}" if news else "on what you are working on"
    late = today > moment.due
    if moment.planned_wins and late:
        return (
            f"You meant to follow up with {name}. A short, friendly note this week is all it takes."
        )
    if moment.planned_wins and moment.due > moment.planned:
        # The guardrail moved the student's own date: say why it is later than planned.
        return (
            f"You planned to follow up with {name} by {short_date(moment.planned)}; your last "
            f"note went out on {short_date(moment.last_outbound)}, so "
            f"{span_in_words(conf.outreach_quiet_days)} on is the right moment. "
            "A short, friendly note is all it takes."
        )
    if moment.planned_wins:
        return (
            f"You planned to follow up with {name} by {short_date(moment.planned)}. "
            "A short, friendly note is all it takes."
        )
    if moment.fading and moment.in_focus:
        rewarm = (
            f"{name} knows your work, but it's been {quiet} since you last spoke. A 3-line "
            f"update {update_on} re-warms it."
        )
        return f"Programs are quietly asking around now. {rewarm}" if moment.in_peak else rewarm
    if moment.in_peak:
        return (
            f"Programs are quietly asking around now, and it's been {quiet} since you last "
            f"spoke with {name}. A 3-line update {update_on} keeps your name fresh."
        )
    if moment.in_focus:
        return (
            f"It's been {quiet} since you last spoke with {name}. A 3-line update "
            f"{update_on} would keep them in the loop."
        )
    return (
        f"{name} knows your work well, and it's been {quiet}. A short hello every "
        f"{span_in_words(conf.keep_warm_days)} keeps that warm."
    )


def in_match_week(ctx: Context) -> bool:
    """Match Week, Monday to Sunday: the week is about the Match (and SOAP), not routine
    updates; they wait for the week after."""
    cal = ctx.calendar
    return cal is not None and 0 <= (ctx.today - cal.match_week_start).days < 7


def follow_ups(ctx: Context) -> list[NudgeSpec]:
    if in_match_week(ctx):
        return []
    found = []
    rotation = ctx.latest_rotation_name()
    rotation_start = ctx.latest_rotation_start()
    for score in ctx.active():
        moment = follow_up_moment(ctx, score)
        if moment is None:
            continue
        # News since they last spoke: the rotation the student has started since.
        news = (
            f"your {rotation}"
            if rotation and rotation_start and rotation_start > moment.anchor
            else None
        )
        contact = score.contact
        round_ = f":{moment.returns}" if moment.returns else ""
        found.append(
            ctx.spec(
                NudgeKind.FOLLOW_UP,
                f"follow_up:{contact.id}:{moment.anchor.isoformat()}{round_}",
                contact,
                moment.due,
                follow_up_reason(contact.name, moment, news, ctx.conf, ctx.today),
                moment.anchor,
                stakes=50 if moment.in_peak else None,
            )
        )
    found += _reconnects(ctx)
    return found


def reconnect_reason(name: str, conf: EngineConf) -> str:
    return (
        f"{name} knew your work well, and it's been over {span_in_words(conf.dormant_after_days)}. "
        "One warm note (what you're doing now, and one thing they taught you) reconnects you; "
        "no need to explain the silence."
    )


def _reconnects(ctx: Context) -> list[NudgeSpec]:
    """A former advocate gone dormant: one "reconnect", the week it happens, then quiet."""
    conf, today = ctx.conf, ctx.today
    found = []
    for score in ctx.active():
        if score.tier != Tier.DORMANT or score.depth.last_contact_on is None:
            continue
        dormant_on = score.depth.last_contact_on + datetime.timedelta(
            days=conf.dormant_after_days + 1
        )
        if (today - dormant_on).days > conf.step_back_days or not was_advocate(score, conf):
            continue
        contact = score.contact
        found.append(
            ctx.spec(
                NudgeKind.FOLLOW_UP,
                f"follow_up:reconnect:{contact.id}:{score.depth.last_contact_on.isoformat()}",
                contact,
                dormant_on,
                reconnect_reason(contact.name, conf),
                score.depth.last_contact_on,
                stakes=35,
            )
        )
    return found
