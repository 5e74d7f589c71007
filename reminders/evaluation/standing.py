"""The engine's answer for one student, as pages read it: the whole evaluation, the cached
standing (progress, phase, focus, every tier), and the scores of one contact or a page of them
without loading the whole network."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from contacts.models import (
    Contact,
    Interaction,
    LetterRequest,
    TeamMember,
)
from contacts.vocabulary import Tier
from crm import resilience
from crm.collector import cyclic_gc_paused
from crm.models import User
from reminders.engine.conf import EngineConf, get_conf
from reminders.engine.records import (
    ContactRecord,
    InteractionRecord,
    LetterRecord,
    RotationRecord,
    StudentRecords,
)
from reminders.engine.rules import Evaluation, evaluate
from reminders.engine.scoring import ContactScore, index_records, next_step_for, score_contacts
from reminders.evaluation.loader import (
    contact_record,
    interaction_from_row,
    letter_record,
    load_records,
    records_version,
    rotation_record,
)

STANDING_CACHE_SECONDS = 60 * 60 * 26  # a day's answer, plus slack for time zones
LAST_STANDING_SECONDS = 60 * 60 * 24 * 8  # what a page shows while a worker catches up


@cyclic_gc_paused()
def engine_for_student(
    student: User,
    today: datetime.date,
    *,
    conf: EngineConf | None = None,
    with_nudges: bool = True,
) -> Evaluation:
    """What the engine says about one student on `today`: scores per contact (influence and
    depth with their parts), tiers, the focus set, progress, gaps and nudges. Six queries.

    For pages: `evaluation.scores[contact.pk]` (tier, influence, depth with parts),
    `evaluation.focus`, `evaluation.progress.headline` / `.next_step`, `evaluation.gaps`.
    `with_nudges=False` skips the rules (no nudges, no gaps) when a page needs only the rest."""
    records, _tz = load_records([student.pk], with_programs=with_nudges)[student.pk]
    return evaluate(records, today, conf or get_conf(), with_nudges=with_nudges)


class FocusEntry(NamedTuple):
    """A focus-set member as the This week page names them."""

    contact: ContactRecord
    tier: str


@dataclasses.dataclass(frozen=True)
class Standing:
    """What the student's pages show of the engine's view: small enough to cache."""

    progress: Any
    phase: Any
    focus_scores: tuple[FocusEntry, ...]
    tiers: dict[int, str]


def _standing_key(student: User, today: datetime.date) -> str:
    # Everything the evaluation depends on and the day: a change to either is a new key.
    return f"advocate:standing:v2:{student.pk}:{today.isoformat()}:{records_version(student)}"


def _standing_of(evaluation: Evaluation, tiers: dict[int, str] | None = None) -> Standing:
    return Standing(
        progress=evaluation.progress,
        phase=evaluation.phase,
        focus_scores=tuple(
            FocusEntry(evaluation.scores[pk].contact, evaluation.scores[pk].tier)
            for pk in evaluation.focus
        ),
        tiers=tiers if tiers is not None else {pk: s.tier for pk, s in evaluation.scores.items()},
    )


def remember_standing(
    student: User,
    today: datetime.date,
    evaluation: Evaluation,
    *,
    tiers: dict[int, str] | None = None,
) -> None:
    """Cache what a refresh just worked out, so the next page needs no evaluation of its own
    (`student` as read after the change: its stamp is the cache key's; `tiers`, every
    contact's tier, when the caller has them already)."""
    _keep(student, _standing_key(student, today), _standing_of(evaluation, tiers))


def _keep(student: User, key: str, standing: Standing) -> None:
    # The cache down, nothing is kept: the next page evaluates (crm.resilience).
    resilience.cache_set(key, standing, STANDING_CACHE_SECONDS)
    resilience.cache_set(_last_key(student.pk), standing, LAST_STANDING_SECONDS)


def _last_key(student_id: int) -> str:
    return f"advocate:standing:last:v1:{student_id}"


def student_standing(student: User, today: datetime.date) -> Standing:
    """Progress, phase, focus and every contact's tier on `today`, cached until the student's
    records or profile change (none on a hit). A network of thousands takes a few hundred
    milliseconds to score, which is a worker's job: on a miss (a new day, a change refreshed
    by a worker that has not finished) the page shows the last standing worked out and asks a
    worker for today's (reminders.tasks.refresh_student_soon). Only with nothing kept at all,
    or no worker to ask, does the page score the network itself (six queries)."""
    key = _standing_key(student, today)
    standing = resilience.cache_get(key)  # None when the cache is down: evaluate
    if standing is not None:
        return standing
    last = resilience.cache_get(_last_key(student.pk))
    if last is not None:
        from reminders.tasks import refresh_student_soon  # the tasks sit above the pages' reads

        if refresh_student_soon(student.pk):
            # A worker running eagerly (tests, CELERY_TASK_ALWAYS_EAGER) has already left it.
            return resilience.cache_get(key) or last
    standing = _standing_of(engine_for_student(student, today, with_nudges=False))
    _keep(student, key, standing)
    return standing


def contact_ids_by_tier(student: User, today: datetime.date, tier: str) -> list[int]:
    """The student's contacts in one tier, for the contact list's tier filter."""
    return [
        pk
        for pk, contact_tier in student_standing(student, today).tiers.items()
        if contact_tier == tier
    ]


def _scores_of(
    contacts: list[ContactRecord],
    interactions: Iterable[InteractionRecord],
    rotations: Iterable[RotationRecord],
    letters: Iterable[LetterRecord],
    today: datetime.date,
    conf: EngineConf | None,
) -> dict[int, ContactScore]:
    # A contact's influence, depth and tier depend on their own records only, so scoring some
    # contacts with just their records gives exactly what the whole student's evaluation says.
    records = StudentRecords(
        id=0,
        contacts=tuple(contacts),
        interactions=tuple(interactions),
        rotations=tuple(rotations),
        letters=tuple(letters),
    )
    return score_contacts(index_records(records, today), conf or get_conf())


@dataclasses.dataclass(frozen=True)
class ContactStanding:
    """One contact as the contact page shows them: the scores with their parts, and in words
    why ("4 weeks together on Medicine sub-I", "2 meetings, 1 call this year") and what would
    deepen the relationship."""

    score: ContactScore
    evidence: tuple[str, ...]
    next_step: str

    @property
    def tier_label(self) -> str:
        return Tier(self.score.tier).label


def contact_standing(
    contact: Contact,
    today: datetime.date,
    *,
    interactions: Iterable[Interaction],
    team_places: Iterable[TeamMember],
    letters: Iterable[LetterRequest],
    conf: EngineConf | None = None,
) -> ContactStanding:
    """One contact's influence, depth (with its parts) and tier, from the records the contact
    page has already loaded (interactions, team places with their rotation, letters, and the
    contact's institution): no query, whatever the size of the student's network."""
    conf = conf or get_conf()
    scores = _scores_of(
        [contact_record(contact)],
        [
            InteractionRecord(
                i.pk, i.contact_id, i.date, i.kind, i.direction, i.context, i.follow_up_by
            )
            for i in interactions
        ],
        [
            rotation_record(place.rotation, [(contact.pk, place.weeks_together)])
            for place in team_places
        ],
        [letter_record(letter) for letter in letters],
        today,
        conf,
    )
    score = scores[contact.pk]
    evidence = tuple(part.evidence for part in score.depth.parts if part.points > 0)
    return ContactStanding(score, evidence, next_step_for(score, conf))


def tiers_of(contacts: Sequence[Contact], today: datetime.date) -> dict[int, str]:
    """contact id -> tier for a page of contacts (with their institution loaded), in three
    queries whatever their number: their interactions, team places and letters."""
    return {pk: score.tier for pk, score in scores_of(contacts, today).items()}


def scores_of(
    contacts: Sequence[Contact], today: datetime.date, *, conf: EngineConf | None = None
) -> dict[int, ContactScore]:
    """contact id -> the engine's score (influence, depth with parts, tier) for some contacts
    (with their institution loaded), in three queries whatever their number."""
    ids = [contact.pk for contact in contacts]
    if not ids:
        return {}
    interactions = list(
        map(
            interaction_from_row,
            Interaction.objects.filter(contact_id__in=ids)
            .order_by()
            .values_list(
                "pk", "contact_id", "date", "kind", "direction", "context", "follow_up_by"
            ),
        )
    )
    places = TeamMember.objects.filter(contact_id__in=ids).select_related("rotation")
    rotations = [
        rotation_record(place.rotation, [(place.contact_id, place.weeks_together)])
        for place in places
    ]
    letters = [letter_record(letter) for letter in LetterRequest.objects.filter(writer_id__in=ids)]
    return _scores_of(
        [contact_record(contact) for contact in contacts],
        interactions,
        rotations,
        letters,
        today,
        conf,
    )
