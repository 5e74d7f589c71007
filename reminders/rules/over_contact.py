"""Give them room: several messages to one person within a short window, with no reply."""

from __future__ import annotations

import datetime

from contacts.vocabulary import Direction
from crm.phrases import span_in_words

from ..conf import EngineConf
from ..records import InteractionRecord
from ..vocabulary import NudgeKind
from .base import MESSAGE_KINDS, Context, NudgeSpec, is_reply, shows, since


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


def over_contact_reason(name: str, conf: EngineConf) -> str:
    return (
        f"You've reached out to {name} {conf.over_contact_count} times in "
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
        trigger = over_contact_trigger(since(ctx.interactions(score.contact.id), horizon), conf)
        if trigger is None:
            continue
        if not shows(today, trigger, trigger + datetime.timedelta(days=window)):
            continue
        found.append(
            ctx.spec(
                NudgeKind.OVER_CONTACT,
                f"over_contact:{score.contact.id}:{trigger.isoformat()}",
                score.contact,
                trigger,
                over_contact_reason(score.contact.name, conf),
                trigger,
            )
        )
    return found
