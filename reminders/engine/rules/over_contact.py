"""Give them room: several messages to one person within a short window, with no reply."""

from __future__ import annotations

import datetime

from contacts.vocabulary import Direction
from crm.phrases import span_in_words
from reminders.engine.conf import EngineConf
from reminders.engine.records import InteractionRecord
from reminders.engine.replies import MESSAGE_KINDS, is_reply
from reminders.engine.rules.base import Context, NudgeSpec, shows, since
from reminders.vocabulary import NudgeKind


def over_contact_trigger(
    interactions: list[InteractionRecord], conf: EngineConf
) -> datetime.date | None:
    """The day of the message that made it too many: the `over_contact_count`-th outreach
    since the last reply within `over_contact_window_days`; None if there is none."""
    window = conf.over_contact_window_days - 1
    last_reply = max((i.date for i in interactions if is_reply(i)), default=None)
    sent = [
        i.date
        for i in interactions
        if i.direction == Direction.OUTBOUND
        and i.kind in MESSAGE_KINDS
        and (last_reply is None or i.date > last_reply)
    ]
    count = conf.over_contact_count
    for position in range(count - 1, len(sent)):
        if (sent[position] - sent[position - count + 1]).days <= window:
            return sent[position]
    return None


def messages_since_reply(
    interactions: list[InteractionRecord], trigger: datetime.date, today: datetime.date
) -> int:
    """The real count: messages sent since the last reply, from the window's start up to today
    (4 emails in 4 days is 4, not the threshold's 3)."""
    count = 0
    for interaction in reversed(interactions):
        if interaction.date > today:
            continue
        if is_reply(interaction):
            break
        if interaction.direction == Direction.OUTBOUND and interaction.kind in MESSAGE_KINDS:
            count += 1
    return count


def over_contact_reason(name: str, conf: EngineConf, count: int | None = None) -> str:
    return (
        f"You've reached out to {name} {count or conf.over_contact_count} times in "
        f"{span_in_words(conf.over_contact_window_days)} without a reply. Give them room: "
        "people get busy, and one unhurried note later lands better than several now."
    )


def over_contact(ctx: Context) -> list[NudgeSpec]:
    conf, today = ctx.conf, ctx.today
    window = conf.over_contact_window_days - 1
    # A warning shows for a window after the outreach that triggers it, and the outreach spans
    # a window at most: only the last two windows of each history matter.
    horizon = today - datetime.timedelta(days=2 * window)
    found = []
    for score in ctx.active():
        recent = since(ctx.interactions(score.contact.id), horizon)
        if len(recent) < conf.over_contact_count:
            continue  # too few to be too many: over_contact_trigger finds nothing
        trigger = over_contact_trigger(recent, conf)
        if trigger is None:
            continue
        if not shows(today, trigger, trigger + datetime.timedelta(days=window)):
            continue
        first = trigger - datetime.timedelta(days=window)
        count = messages_since_reply(since(recent, first), trigger, today)
        found.append(
            ctx.spec(
                NudgeKind.OVER_CONTACT,
                f"over_contact:{score.contact.id}:{trigger.isoformat()}",
                score.contact,
                trigger,
                over_contact_reason(score.contact.name, conf, count),
                trigger,
            )
        )
    return found


def over_contact_days(
    interactions: list[InteractionRecord], conf: EngineConf, first: datetime.date
) -> set[datetime.date]:
    """When a "give them room" about this contact may start or stop from `first` on, with
    nothing logged after `first - 1`: none unless enough messages went out in the two
    windows the rule reads; then a window after each (or its step back), and the day each
    logged interaction leaves those windows (which may let a later message be the one that
    made it too many). Read by the look-ahead (reminders.engine.horizon)."""
    window = conf.over_contact_window_days - 1
    spans = [
        datetime.timedelta(days=days + 1) for days in (window, 2 * window, conf.step_back_days)
    ]
    recent = since(interactions, first - datetime.timedelta(days=over_contact_reach(conf)))
    sent = sum(1 for i in recent if i.direction == Direction.OUTBOUND and i.kind in MESSAGE_KINDS)
    if sent < conf.over_contact_count:
        return set()
    return {i.date + span for i in recent for span in spans if i.date + span >= first}


def over_contact_reach(conf: EngineConf) -> int:
    """How many days back an interaction may still start or stop a "give them room" from the
    next day on (`over_contact_days` reads no further)."""
    window = conf.over_contact_window_days - 1
    return max(2 * window, conf.step_back_days) + 1
