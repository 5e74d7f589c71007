"""A student's standing row (reminders.models.StudentStanding) from the engine's answer: what
the advisor's class view, list and export read instead of evaluating anyone.

Built by the refreshes in reminders.nudges.services from an evaluation made with its nudges
(so `uncovered_programs` is known) and the student's letters. No query here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from contacts.vocabulary import LETTER_DONE, LetterPurpose, LetterStatus, Tier
from reminders.engine.conf import get_conf
from reminders.engine.records import LetterRecord, StudentRecords
from reminders.engine.rules import Evaluation
from reminders.models import StudentStanding

# Letters that count as "agreed" toward what a residency application needs.
LETTERS_AGREED = frozenset(
    {
        LetterStatus.AGREED,
        LetterStatus.MATERIALS_SENT,
        LetterStatus.SUBMITTED,
        LetterStatus.THANKED,
    }
)
# The engine's red-flag nudge ("tell each writer and your home PD") by its key's prefix.
RED_FLAG_NUDGE = "letter_ask:red_flag:"


def letters_needed() -> int:
    """How many residency letters a student needs: the letters plan's floor (the engine's
    `letters_needed` setting; PRODUCT.md says 3-4)."""
    return get_conf().letters_needed[LetterPurpose.RESIDENCY]


def red_flags_not_told(evaluation: Evaluation, records: StudentRecords | None) -> int:
    """Shared red flags while the engine still says "tell each letter writer and your home PD"
    (its red-flag nudge stands until the letters are asked): what an advisor may follow up."""
    if records is None or not any(n.key.startswith(RED_FLAG_NUDGE) for n in evaluation.nudges):
        return 0
    return sum(1 for flag in records.red_flags if flag.shared)


def program_label(program) -> str:
    return f"{program.name} ({program.place})" if program.place else program.name


def standing_row(
    student_id: int,
    evaluation: Evaluation,
    *,
    letters: Iterable[LetterRecord],
    records: StudentRecords | None = None,
    now: datetime.datetime,
) -> StudentStanding:
    """The row to store for one student (unsaved): tier counts, focus names, residency letters
    agreed against needed, the next open letter, the latest day of contact, and the target
    programs nobody can vouch at."""
    counts = evaluation.tier_counts()
    letters = list(letters)
    agreed = sum(
        1
        for letter in letters
        if letter.purpose == LetterPurpose.RESIDENCY and letter.status in LETTERS_AGREED
    )
    open_dated = sorted(
        (letter for letter in letters if letter.status not in LETTER_DONE and letter.due),
        key=lambda letter: (letter.due, letter.id),
    )
    next_letter = open_dated[0] if open_dated else None
    writer = evaluation.scores.get(next_letter.writer_id) if next_letter else None
    contact_days = [
        score.depth.last_contact_on
        for score in evaluation.scores.values()
        if score.depth.last_contact_on is not None
    ]
    return StudentStanding(
        owner_id=student_id,
        computed_on=evaluation.today,
        advocates=counts[Tier.ADVOCATE],
        developing=counts[Tier.DEVELOPING],
        acquaintances=counts[Tier.ACQUAINTANCE],
        dormant=counts[Tier.DORMANT],
        focus=[evaluation.scores[pk].contact.name for pk in evaluation.focus],
        letters_agreed=agreed,
        letters_needed=letters_needed(),
        next_letter_due=next_letter.due if next_letter else None,
        next_letter_writer=writer.contact.name if writer else "",
        last_activity=max(contact_days) if contact_days else None,
        unvouched_programs=[program_label(p) for p in evaluation.uncovered_programs],
        red_flags_untold=red_flags_not_told(evaluation, records),
        updated_at=now,
    )


STANDING_FIELDS = [
    field.name
    for field in StudentStanding._meta.concrete_fields
    if not field.primary_key and field.name != "owner"
]
