"""Calm: a week's nudges as the student reads them, on This week and in the weekly email.

Most at stake first (`Nudge.stakes`, the engine's NudgeSpec.stakes); nudges sharing a
non-empty `group` are one line (the engine's words: rules.grouping.group_line) with a Done for
each person; at most `week_items_max` items (a group counts once), the rest under "more".
Pure: rows in, items out, so the page and the email cannot disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from reminders.engine.rules.grouping import group_line

# The order the database is asked for: most at stake, then soonest, then a stable tie-break.
ORDER = ("-stakes", "due", "kind", "pk")


@dataclasses.dataclass(frozen=True)
class WeekItem:
    """One line of the week: a nudge, or a group of them (`nudges`, most at stake first)."""

    nudges: tuple[Any, ...]
    sentence: str

    @property
    def nudge(self) -> Any:
        return self.nudges[0]

    @property
    def is_group(self) -> bool:
        return len(self.nudges) > 1

    @property
    def kind(self) -> str:
        return self.nudges[0].kind


def _name(nudge: Any) -> str:
    return nudge.contact.name if nudge.contact_id else ""


def week_items(nudges: Iterable[Any]) -> list[WeekItem]:
    """Group `nudges` (already in ORDER) into lines; a group stands where its first member
    (the one most at stake) stands."""
    lines: list[list[Any]] = []
    by_group: dict[str, list[Any]] = {}
    for nudge in nudges:
        if nudge.group:
            members = by_group.get(nudge.group)
            if members is not None:
                members.append(nudge)
                continue
            by_group[nudge.group] = members = [nudge]
            lines.append(members)
        else:
            lines.append([nudge])
    items = []
    for members in lines:
        first = members[0]
        if first.group:
            sentence = group_line(
                first.group,
                first.kind,
                [_name(member) for member in members],
                [member.reason for member in members],
            )
        else:
            sentence = first.reason
        items.append(WeekItem(tuple(members), sentence))
    return items


def split(items: Sequence[WeekItem], cap: int) -> tuple[list[WeekItem], list[WeekItem]]:
    """The items shown, and the rest ("more")."""
    return list(items[:cap]), list(items[cap:])
