"""Reads of stored nudges: the live ones a refresh compares against, the actionable ones, and
This week's context (the week's lines, the small action, the progress line)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from crm.models import User
from reminders.engine import week
from reminders.engine.conf import get_conf
from reminders.engine.rules import Evaluation
from reminders.engine.scoring import ContactScore
from reminders.evaluation.standing import FocusEntry, Standing, engine_for_student, student_standing
from reminders.models import Nudge, NudgeKind
from reminders.nudges import lifecycle
from reminders.vocabulary import LIVE_STATES, NUDGE_FIELDS


def load_stored_nudges(
    student_ids: Iterable[int],
    keys: Iterable[str],
    *,
    contact_ids: Iterable[int] | None = None,
) -> dict[int, list[lifecycle.StoredNudge]]:
    """In one query: every live (open/snoozed) nudge of these students, and any stored nudge
    under one of `keys` (so done, dismissed and expired ones are recognised). With
    `contact_ids`, only the nudges about those contacts or about no one (the live refresh)."""
    rows = Nudge.objects.filter(owner_id__in=list(student_ids)).filter(
        Q(state__in=LIVE_STATES) | Q(key__in=list(set(keys)))
    )
    if contact_ids is not None:
        rows = rows.filter(Q(contact_id__in=list(contact_ids)) | Q(contact__isnull=True))
    stored: dict[int, list[lifecycle.StoredNudge]] = defaultdict(list)
    for pk, owner_id, key, *values in rows.values_list("pk", "owner_id", "key", *NUDGE_FIELDS):
        stored[owner_id].append(
            lifecycle.StoredNudge(id=pk, key=key, **dict(zip(NUDGE_FIELDS, values, strict=True)))
        )
    return stored


# --- This week ---------------------------------------------------------------------------------


def actionable_nudges(student: User, today: datetime.date, *, due_by: datetime.date | None = None):
    """The student's actionable nudges (Nudge.objects.actionable), with their contact."""
    return (
        Nudge.objects.filter(owner=student)
        .actionable(today, due_by=due_by)
        .select_related("contact")
    )


def _focus_scores(evaluation: Evaluation | Standing) -> list[ContactScore | FocusEntry]:
    if isinstance(evaluation, Standing):
        return list(evaluation.focus_scores)
    return [evaluation.scores[pk] for pk in evaluation.focus]


def this_week_context(
    student: User, today: datetime.date, *, suggest_first: bool = False
) -> dict[str, Any]:
    """Context for templates/reminders/_this_week.html: the week's nudges (actionable, due
    within the next seven days) as reminders.engine.week lines, most at stake first: `items` (at
    most
    `week_items_max`, a group of same-kind nudges counting once) and `more_items` (folded under
    "more"), the week's one small action apart, the advocate progress line and the phase.

    Loads only what it can show: one query for at most `week_rows_max` nudges with their
    contact (and one count when there are more), plus six when the student's standing is not
    cached (student_standing). With `suggest_first`, a student whose nudges have never been
    stored gets the engine's small action for this week as `first_small_action`."""
    conf = get_conf()
    week_end = today + datetime.timedelta(days=6)
    rows = list(
        actionable_nudges(student, today, due_by=week_end).in_week_order(today)[
            : conf.week_rows_max + 1
        ]
    )
    more_hidden = 0
    if len(rows) > conf.week_rows_max:
        rows = rows[: conf.week_rows_max]
        more_hidden = (
            actionable_nudges(student, today, due_by=week_end).count() - conf.week_rows_max
        )
    first_small_action = None
    if suggest_first and not rows and not Nudge.objects.filter(owner=student).exists():
        evaluation = engine_for_student(student, today)
        first_small_action = next(
            (spec for spec in evaluation.nudges if spec.kind == NudgeKind.SMALL_ACTION), None
        )
    else:
        evaluation = student_standing(student, today)
    small_actions = sorted(
        (nudge for nudge in rows if nudge.kind == NudgeKind.SMALL_ACTION),
        key=lambda nudge: nudge.shown_due(today),
    )
    small_action = small_actions[-1] if small_actions else None
    tasks = [nudge for nudge in rows if nudge.kind != NudgeKind.SMALL_ACTION]
    # The small action is one of the week's few items too.
    cap = max(0, conf.week_items_max - (1 if small_action or first_small_action else 0))
    items, more_items = week.split(week.week_items(tasks), cap)
    return {
        "today": today,
        "week_end": week_end,
        "items": items,
        "more_items": more_items,
        "more_count": sum(len(item.nudges) for item in more_items) + more_hidden,
        "more_hidden": more_hidden,
        "small_action": small_action,
        "first_small_action": first_small_action,
        "progress": evaluation.progress,
        "phase": evaluation.phase,
        "focus_scores": _focus_scores(evaluation),
    }
