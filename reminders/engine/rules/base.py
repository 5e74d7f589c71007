"""What every rule family shares: the nudge it writes, the evaluation it is part of, and the
context it reads (one student's records, scored, on one day, with the settings).

Pure: plain data in, plain data out; see reminders.engine.rules.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping

from contacts.vocabulary import ROLE_WORDS, Direction, Tier
from reminders.engine.conf import EngineConf
from reminders.engine.cycle import MatchCalendar, Phase
from reminders.engine.kinds import spec_for
from reminders.engine.records import ContactRecord, InteractionRecord, ProgramRecord, StudentRecords
from reminders.engine.scoring import ContactScore, StudentIndex

DAY = datetime.timedelta(days=1)


@dataclasses.dataclass(frozen=True, slots=True)
class NudgeSpec:
    """A nudge as the engine says it; its fields are reminders.vocabulary.NUDGE_FIELDS' (those
    a stored nudge shares) plus the key and the contact's name."""

    kind: str
    key: str  # the occasion: unique per student, stable from day to day
    contact_id: int | None
    contact_name: str | None
    due: datetime.date
    reason: str
    occasion_on: datetime.date  # interactions on/after this date may answer it
    # What is at stake, 0-100: This week and the email show the highest first. The scale
    # (reminders.engine.kinds holds each kind's default; a rule raises it when a deadline is
    # near):
    #   90-100  Match Week (the SOAP plan), a letter deadline within two weeks
    #   75-89   a 48-hour thank-you, letter materials after a yes, a letter ask past the mark,
    #           the thanks after Match Day, the rotation-end thank-you
    #   55-74   the rotation's midpoint feedback ask, a cycle update (where you applied, before
    #           the rank list), a letter ask, giving someone room, a letter thank-you
    #   30-54   follow-ups (higher in the backchannel peak), a re-warm, a reconnect
    #   0-29    the monthly invest and gap reflections, the week's one small action
    stakes: int = 50
    # Nudges sharing a non-empty group are shown as one line (rules.grouping.group_line), with
    # a Done for each person: "Send your 5 advocates a brief update: A, B, C, D and E".
    group: str = ""

    def as_json(self) -> dict:
        """The `nudges` command's line: exactly these four keys."""
        return {
            "kind": self.kind,
            "contact": self.contact_name,
            "due": self.due.isoformat(),
            "reason": self.reason,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Gap:
    kind: str  # specialty, city, setting, role_group
    subject: str
    text: str


@dataclasses.dataclass(frozen=True, slots=True)
class Progress:
    advocates: int
    goal_min: int
    goal_max: int
    headline: str  # "2 of 3–5 deep advocates"
    next_step: str  # what would change it
    candidate_ids: tuple[int, ...]  # whom to invest in, strongest first

    @property
    def on_track(self) -> bool:
        return self.advocates >= self.goal_min


@dataclasses.dataclass(frozen=True)
class Evaluation:
    today: datetime.date
    scores: dict[int, ContactScore]
    focus: tuple[int, ...]
    progress: Progress
    gaps: tuple[Gap, ...]
    calendar: MatchCalendar | None
    phase: Phase
    nudges: tuple[NudgeSpec, ...]
    # The target programs nobody can vouch at, and one voucher for each of the others (by
    # program id): with the nudges only.
    uncovered_programs: tuple[ProgramRecord, ...] = ()
    witnesses: Mapping[int, int] = dataclasses.field(default_factory=dict)
    # The records as indexed for `today`, when they were all of the student's (not a live
    # refresh's few): the look ahead (reminders.engine.horizon) starts from it.
    index: StudentIndex | None = dataclasses.field(default=None, repr=False, compare=False)

    def tier_counts(self) -> dict[str, int]:
        counts = {tier: 0 for tier in Tier.values}
        for score in self.scores.values():
            if not score.contact.archived:
                counts[score.tier] += 1
        return counts


@dataclasses.dataclass
class Context:
    """What a rule reads: one student's records, indexed and scored, on `today`."""

    records: StudentRecords
    today: datetime.date
    conf: EngineConf
    index: StudentIndex
    scores: dict[int, ContactScore]
    focus: tuple[int, ...]
    calendar: MatchCalendar | None

    def active(self) -> Iterable[ContactScore]:
        for score in self.scores.values():
            if not score.contact.archived:
                yield score

    def interactions(self, contact_id: int) -> list[InteractionRecord]:
        return self.index.interactions.get(contact_id, [])

    def latest_rotation_name(self) -> str | None:
        started = [rotation for rotation in self.index.rotations if rotation.start <= self.today]
        return started[-1].name if started else None

    def latest_rotation_start(self) -> datetime.date | None:
        started = [rotation for rotation in self.index.rotations if rotation.start <= self.today]
        return started[-1].start if started else None

    def spec(
        self,
        kind: str,
        key: str,
        contact: ContactRecord | None,
        due: datetime.date,
        reason: str,
        occasion_on: datetime.date,
        *,
        stakes: int | None = None,
        group: str = "",
    ) -> NudgeSpec:
        return NudgeSpec(
            kind=kind,
            key=key,
            contact_id=contact.id if contact else None,
            contact_name=contact.name if contact else None,
            due=due,
            reason=reason,
            occasion_on=occasion_on,
            stakes=spec_for(kind).stakes if stakes is None else stakes,
            group=group,
        )

    def reflection(
        self, kind: str, key: str, on: datetime.date, reason: str, *, stakes: int | None = None
    ) -> NudgeSpec:
        """A line about no one from its moment `on` (the month's gap, invest line, letters plan;
        a phase's first line), due within the first week (`gap_due_days`)."""
        due = on + datetime.timedelta(days=self.conf.gap_due_days)
        return self.spec(kind, key, None, due, reason, on, stakes=stakes)

    def is_late(self, due: datetime.date) -> bool:
        """Past the moment it was due: the sentence says what to do now, not what was due."""
        return due < self.today


def shows(today: datetime.date, show_from: datetime.date, until: datetime.date | None) -> bool:
    return show_from <= today and (until is None or today <= until)


def since(interactions: list[InteractionRecord], horizon: datetime.date) -> list[InteractionRecord]:
    """The tail of a date-ordered history from `horizon` on."""
    start = len(interactions)
    while start and interactions[start - 1].date >= horizon:
        start -= 1
    return interactions[start:]


def last_outbound(interactions: list[InteractionRecord]) -> datetime.date | None:
    for interaction in reversed(interactions):
        if interaction.direction == Direction.OUTBOUND:
            return interaction.date
    return None


def who(score: ContactScore) -> str:
    """ "Dr. Rao (attending)"."""
    role = ROLE_WORDS.get(score.contact.role, score.contact.role)
    return f"{score.contact.name} ({role})"
