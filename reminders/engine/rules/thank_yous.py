"""Thank-yous: after a meeting, call or feedback session, after a conference conversation, and
to the people the student worked closely with as a rotation ends."""

from __future__ import annotations

import datetime

from contacts.vocabulary import InteractionKind
from crm.phrases import count_words, plural, short_date
from reminders.engine.conf import EngineConf
from reminders.engine.records import InteractionRecord, RotationRecord
from reminders.engine.rules.base import Context, NudgeSpec, shows, since
from reminders.vocabulary import NudgeKind

# What the student did, as the sentence says it.
_DID = {
    InteractionKind.MEETING: "met with",
    InteractionKind.CALL: "spoke with",
    InteractionKind.FEEDBACK: "got feedback from",
}


def thank_you_within_days(kind: str, conf: EngineConf) -> int | None:
    """How soon a thank-you is due after this kind of conversation (None: no thank-you)."""
    if kind in _DID:
        return conf.thank_you_meeting_days
    if kind == InteractionKind.CONFERENCE:
        return conf.thank_you_conference_days
    return None


def conversation_thanks_reason(
    name: str, interaction: InteractionRecord, within: int, *, late: bool = False
) -> str:
    """`late`: the window has passed; the note is still worth sending, so say so, calmly."""
    occasion = short_date(interaction.date)
    if interaction.kind == InteractionKind.CONFERENCE:
        when = (
            "A brief note this week"
            if late
            else f"A brief note within {count_words(within, 'day')}"
        )
        return (
            f"You talked with {name} at a conference on {occasion}. {when}, naming what you "
            "discussed, turns a chat into a connection."
        )
    when = (
        "A short thank-you now"
        if late
        else f"A short thank-you within {count_words(within, 'day')}"
    )
    ending = "still lands well" if late else "is remembered"
    return (
        f"You {_DID[interaction.kind]} {name} on {occasion}. {when}, naming one thing you took "
        f"away, {ending}."
    )


def rotation_thanks_reason(
    name: str, rotation: RotationRecord, weeks: int, today: datetime.date | None = None
) -> str:
    worked = f"You worked beside {name} for {plural(weeks, 'week')}"
    if today is not None and today > rotation.end:
        return (
            f"{rotation.name} ended {short_date(rotation.end)}. {worked}: a specific thank-you "
            "this week is how they remember you months later."
        )
    return (
        f"{rotation.name} ends {short_date(rotation.end)}. {worked}: a specific thank-you "
        "before you go is how they remember you months later."
    )


def thank_yous(ctx: Context) -> list[NudgeSpec]:
    return _after_conversations(ctx) + _as_rotations_end(ctx)


def _after_conversations(ctx: Context) -> list[NudgeSpec]:
    conf, today = ctx.conf, ctx.today
    grace = datetime.timedelta(days=conf.thank_you_grace_days)
    # Only recent conversations can still want a thank-you: read each history from the end.
    horizon = today - datetime.timedelta(
        days=max(conf.thank_you_meeting_days, conf.thank_you_conference_days)
        + conf.thank_you_grace_days
    )
    routine = datetime.timedelta(days=conf.thank_you_routine_days)
    found = []
    for score in ctx.active():
        contact = score.contact
        history = ctx.interactions(contact.id)
        recent = since(history, horizon)
        if not recent:
            continue
        # One thank-you per occasion: a conversation soon after the last one with the same
        # person (the weekly meeting with your PI) is routine, not an occasion. Read back only
        # the routine window before the recent tail.
        earlier = since(history, horizon - routine)
        last_conversation = None
        for interaction in earlier:
            within = thank_you_within_days(interaction.kind, conf)
            if within is None:
                continue
            occasion = interaction.date
            is_routine = (
                interaction.kind != InteractionKind.CONFERENCE
                and last_conversation is not None
                and occasion - last_conversation <= routine
            )
            if interaction.kind != InteractionKind.CONFERENCE:
                last_conversation = occasion
            if is_routine or occasion < horizon:
                continue
            due = occasion + datetime.timedelta(days=within)
            if not shows(today, occasion, due + grace):
                continue
            found.append(
                ctx.spec(
                    NudgeKind.THANK_YOU,
                    f"thank_you:{contact.id}:{occasion.isoformat()}",
                    contact,
                    due,
                    conversation_thanks_reason(
                        contact.name, interaction, within, late=ctx.is_late(due)
                    ),
                    occasion,
                )
            )
    return found


def _as_rotations_end(ctx: Context) -> list[NudgeSpec]:
    """The end of a rotation: the people the student worked closely with."""
    conf, today = ctx.conf, ctx.today
    found = []
    for rotation in ctx.index.rotations:
        show_from = rotation.end - datetime.timedelta(days=conf.rotation_thanks_lead_days)
        due = rotation.end + datetime.timedelta(days=conf.rotation_thanks_days)
        if not shows(today, show_from, due + datetime.timedelta(days=conf.thank_you_grace_days)):
            continue
        for contact_id, weeks in rotation.team:
            score = ctx.scores.get(contact_id)
            if score is None or score.contact.archived or weeks < conf.worked_closely_weeks:
                continue
            found.append(
                ctx.spec(
                    NudgeKind.THANK_YOU,
                    f"thank_you:rotation:{rotation.id}:{contact_id}",
                    score.contact,
                    due,
                    rotation_thanks_reason(score.contact.name, rotation, weeks, today),
                    show_from,
                    stakes=75,
                    group=f"thank_you:rotation:{rotation.id}",
                )
            )
    return found


def thank_you_days(
    ctx: Context, contact_id: int, first: datetime.date, last: datetime.date
) -> tuple[set[datetime.date], set[datetime.date], int]:
    """When this contact's thank-yous may start, and stop, over [first, last], with nothing
    logged after `ctx.today` (only a rotation's end starts one: a conversation's has started
    already), and how many occasions may show then. Read by the look-ahead
    (reminders.engine.horizon)."""
    conf = ctx.conf
    # Each stops after its grace, or its step back, whichever comes first.
    after = min(conf.thank_you_grace_days, conf.step_back_days) + 1
    oldest = first - datetime.timedelta(days=thanks_reach(conf))
    starts, stops, occasions = set(), set(), 0
    for interaction in since(ctx.interactions(contact_id), oldest):
        within = thank_you_within_days(interaction.kind, conf)
        if within is not None:
            ends = interaction.date + datetime.timedelta(days=within + after)
            if ends >= first:
                occasions += 1
                stops.add(ends)
    for rotation, weeks in ctx.index.teams.get(contact_id, ()):
        if weeks < conf.worked_closely_weeks:
            continue
        show_from = rotation.end - datetime.timedelta(days=conf.rotation_thanks_lead_days)
        ends = rotation.end + datetime.timedelta(days=conf.rotation_thanks_days + after)
        if show_from <= last and ends >= first:
            occasions += 1
            starts.add(show_from)
            stops.add(ends)
    return (
        {day for day in starts if first <= day <= last},
        {day for day in stops if first <= day <= last},
        occasions,
    )


def thanks_reach(conf: EngineConf) -> int:
    """How many days back a conversation may still have a thank-you that stops from the
    next day on (`thank_you_days` reads no further)."""
    longest = max(conf.thank_you_meeting_days, conf.thank_you_conference_days)
    return longest + min(conf.thank_you_grace_days, conf.step_back_days) + 1
