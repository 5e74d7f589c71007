"""Lines for a student from someone else in the weekly email, e.g. an advisor's recommendation.

`reminders` sits below `advisors` and never imports it; the email still carries the advisors'
open recommendations. The sources are named in one visible place, the composition root's
settings (`ADVOCATE_NOTE_SOURCES` in crm/settings.py, dotted paths), and the digest asks each
of them in one batch per chunk of students.
"""

from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.conf import settings
from django.utils.module_loading import import_string


class Note(NamedTuple):
    """A line for a student from someone else, e.g. an advisor's recommendation."""

    text: str
    author: str


# Each source takes student ids and returns {student_id: [Note, ...]} in one query or so.
NoteSource = Callable[[Iterable[int]], dict[int, list[Note]]]


def note_sources() -> list[NoteSource]:
    return [import_string(path) for path in settings.ADVOCATE_NOTE_SOURCES]


def notes_for(student_ids: Iterable[int]) -> dict[int, list[Note]]:
    ids = list(student_ids)
    notes: dict[int, list[Note]] = {}
    for source in note_sources():
        for student_id, lines in source(ids).items():
            notes.setdefault(student_id, []).extend(lines)
    return notes
