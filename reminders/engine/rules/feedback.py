"""Feedback: halfway through a long enough rotation, ask the supervisors who worked with the
student most for one thing to do better (unless someone on the team already gave feedback)."""

from __future__ import annotations

import datetime

from contacts.vocabulary import NOT_SUPERVISING_ROLES, InteractionKind
from reminders.engine.records import RotationRecord
from reminders.engine.rules.base import Context, NudgeSpec, shows
from reminders.engine.scoring import ContactScore
from reminders.vocabulary import NudgeKind


def feedback_midpoint(ctx: Context, rotation: RotationRecord) -> datetime.date | None:
    """The rotation's midpoint when a feedback ask shows on `ctx.today`, else None."""
    conf = ctx.conf
    length = (rotation.end - rotation.start).days + 1
    if length < conf.feedback_min_rotation_days:
        return None
    midpoint = rotation.start + datetime.timedelta(days=(length - 1) // 2)
    show_from = midpoint - datetime.timedelta(days=conf.feedback_lead_days)
    if not shows(ctx.today, show_from, rotation.end):
        return None
    team_ids = {contact_id for contact_id, _ in rotation.team}
    already = any(
        interaction.kind == InteractionKind.FEEDBACK and rotation.start <= interaction.date
        for contact_id in team_ids
        for interaction in ctx.interactions(contact_id)
    )
    return None if already else midpoint


def supervisors_to_ask(ctx: Context, rotation: RotationRecord) -> list[ContactScore]:
    """Who supervised the student most (weeks together, then influence), a few at most."""
    supervisors = []
    for contact_id, weeks in rotation.team:
        score = ctx.scores.get(contact_id)
        if score is None or score.contact.archived:
            continue
        if score.contact.role in NOT_SUPERVISING_ROLES:
            continue
        supervisors.append((-weeks, -score.influence.base, score.contact.name, score))
    supervisors.sort(key=lambda item: item[:3])
    return [item[3] for item in supervisors[: ctx.conf.feedback_max_contacts]]


def feedback_reason(name: str, rotation: RotationRecord) -> str:
    return (
        f"You're halfway through {rotation.name}. Ask {name}: "
        "\u201cWhat is one thing I could do better this week?\u201d Then apply it and "
        "circle back: that is how supervisors come to know your work."
    )


def feedback(ctx: Context) -> list[NudgeSpec]:
    found = []
    for rotation in ctx.index.rotations:
        midpoint = feedback_midpoint(ctx, rotation)
        if midpoint is None:
            continue
        for score in supervisors_to_ask(ctx, rotation):
            found.append(
                ctx.spec(
                    NudgeKind.FEEDBACK,
                    f"feedback:{rotation.id}:{score.contact.id}",
                    score.contact,
                    midpoint,
                    feedback_reason(score.contact.name, rotation),
                    rotation.start,
                    group=f"feedback:{rotation.id}",
                )
            )
    return found


def feedback_days(
    ctx: Context, rotation: RotationRecord
) -> tuple[tuple[datetime.date, ...], tuple[datetime.date, ...]]:
    """When the rotation's feedback asks may start, and stop: a week before its midpoint; the
    day after it ends, or the day the step back would retire one (nothing logged after
    `ctx.today`, so whether someone already gave feedback does not change). Read by the
    look-ahead (reminders.engine.horizon)."""
    conf = ctx.conf
    length = (rotation.end - rotation.start).days + 1
    if length < conf.feedback_min_rotation_days:
        return (), ()
    midpoint = rotation.start + datetime.timedelta(days=(length - 1) // 2)
    return (
        (midpoint - datetime.timedelta(days=conf.feedback_lead_days),),
        (
            rotation.end + datetime.timedelta(days=1),
            midpoint + datetime.timedelta(days=conf.step_back_days + 1),
        ),
    )
