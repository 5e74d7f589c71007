"""Extension points of the engine's weekly email for the apps above it.

`reminders` sits below `advisors` and never imports it; the email still carries the advisors'
open recommendations. So the apps above register a source here in their AppConfig.ready()
(advisors.apps does), and the digest asks every registered source in one batch per chunk.
"""

from collections.abc import Callable, Iterable
from typing import NamedTuple


class Note(NamedTuple):
    """A line for a student from someone else, e.g. an advisor's recommendation."""

    text: str
    author: str


# Each source takes student ids and returns {student_id: [Note, ...]} in one query or so.
NoteSource = Callable[[Iterable[int]], dict[int, list[Note]]]
_note_sources: list[NoteSource] = []


def register_note_source(source: NoteSource) -> None:
    if source not in _note_sources:
        _note_sources.append(source)


def notes_for(student_ids: Iterable[int]) -> dict[int, list[Note]]:
    ids = list(student_ids)
    notes: dict[int, list[Note]] = {}
    for source in _note_sources:
        for student_id, lines in source(ids).items():
            notes.setdefault(student_id, []).extend(lines)
    return notes
