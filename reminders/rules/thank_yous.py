"""Thank-yous: after a meeting, call or feedback session, after a conference conversation, and
to the people the student worked closely with as a rotation ends."""

from __future__ import annotations

import datetime

from contacts.vocabulary import InteractionKind
from crm.phrases import count_words, plural, short_date

from ..conf import EngineConf
from ..records import InteractionRecord, RotationRecord
from ..vocabulary import NudgeKind
from .base import Context, NudgeSpec, shows, since

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


def conversation_thanks_reason(name: str, interaction: InteractionRecord, within: int) -> str:
    occasion = short_date(interaction.date)
    if interaction.kind == InteractionKind.CONFERENCE:
        return (
            f"You talked with {name} at a conference on {occasion}. A brief note within "
            f"{count_words(within, 'day')}, naming what you discussed, turns a chat into a "
            "connection."
        )
    return (
        f"You {_DID[interaction.kind]} {name} on {occasion}. A short thank-you within "
        f"{count_words(within, 'day')}, naming one thing you took away, is remembered."
    )


def rotation_thanks_reason(name: str, rotation: RotationRecord, weeks: int) -> str:
    return (
        f"{rotation.name} ends {short_date(rotation.end)}. You worked beside {name} for "
        f"{plural(weeks, 'week')}: a specific thank-you before you go is how they remember "
        "you months later."
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
    found = []
    for score in ctx.active():
        contact = score.contact
        for interaction in since(ctx.interactions(contact.id), horizon):
            within = thank_you_within_days(interaction.kind, conf)
            if within is None:
                continue
            occasion = interaction.date
            due = occasion + datetime.timedelta(days=within)
            if not shows(today, occasion, due + grace):
                continue
            found.append(
                ctx.spec(
                    NudgeKind.THANK_YOU,
                    f"thank_you:{contact.id}:{occasion.isoformat()}",
                    contact,
                    due,
                    conversation_thanks_reason(contact.name, interaction, within),
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
                    rotation_thanks_reason(score.contact.name, rotation, weeks),
                    show_from,
                )
            )
    return found
