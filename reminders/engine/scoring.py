"""How much a voice weighs (influence) and how well they know your work (depth), with parts.

Pure: a function of plain records, a date and the settings. Every score carries the parts it
was built from so a page can say why ("4 of 8 weeks together on Medicine sub-I").
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import operator
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from contacts.vocabulary import (
    LETTER_WRITTEN,
    ROLE_WORDS,
    Context,
    InteractionKind,
    RotationKind,
    Tier,
)
from crm.phrases import capitalized, plural, span_in_words, weeks_count, with_article
from reminders.engine.conf import EngineConf
from reminders.engine.records import (
    ContactRecord,
    InteractionRecord,
    LetterRecord,
    RotationRecord,
    StudentRecords,
)

# Scores are NamedTuples: immutable, and cheap to build for every contact of every student.


class Part(NamedTuple):
    """One part of a depth score. The words are built only when a page or a reason asks for
    them (from `facts`): a refresh scores every contact but explains few."""

    name: str  # slug: weeks_together, interactions, contexts, feedback_loop, letter
    label: str
    points: float
    max_points: float
    facts: tuple = ()

    @property
    def detail(self) -> str:
        """For the contact page: "4 weeks of 8 together (Medicine sub-I)"."""
        return _DETAIL[self.name](self.facts)

    @property
    def evidence(self) -> str:
        """For a nudge's reason: "4 weeks together on Medicine sub-I"."""
        return _EVIDENCE[self.name](self.facts)


# Where the role's word is not a noun for one person ("a staff who ...").
_ROLE_NOUNS = {"staff": "staff member"}


class Influence(NamedTuple):
    value: int
    base: int
    factor: float
    trusted: bool
    has_written: bool
    role: str

    @property
    def detail(self) -> str:
        noun = _ROLE_NOUNS.get(self.role) or ROLE_WORDS.get(self.role, self.role)
        role = capitalized(with_article(noun))
        if self.has_written:
            return f"{role} who has written for you: their word counts in full."
        if self.trusted:
            return f"{role} who would vouch for you: their word counts in full."
        return (
            f"{role}; without trust history yet (a letter, or an offer to vouch) "
            f"their word counts at {round(self.factor * 100)}%."
        )


class Depth(NamedTuple):
    value: int
    raw: float  # before decay
    decay_factor: float
    parts: tuple[Part, ...]
    last_contact_on: datetime.date | None
    days_quiet: int | None
    decay_detail: str

    def part(self, name: str) -> Part:
        return next(part for part in self.parts if part.name == name)


class ContactScore(NamedTuple):
    contact: ContactRecord
    influence: Influence
    depth: Depth
    tier: str
    # Explicit evidence they would speak for the student, still holding today (has_evidence).
    evidence: bool = False
    # Their letters (as requested of them): kept with the score so that what reads every
    # writer (the red-flag nudge) reads the whole network even in a live refresh, which loads
    # only some contacts' letters.
    letters: tuple[LetterRecord, ...] = ()

    @property
    def contact_id(self) -> int:
        return self.contact.id

    @property
    def weight(self) -> float:
        """influence x depth, on 0-100: who to lean on, and whom to invest in."""
        return self.influence.value * self.depth.value / 100


@dataclasses.dataclass
class StudentIndex:
    """A student's records grouped by contact, limited to what had happened by `today`."""

    today: datetime.date
    contacts: dict[int, ContactRecord]
    interactions: dict[int, list[InteractionRecord]]  # by contact, oldest first
    teams: dict[int, list[tuple[RotationRecord, int]]]  # by contact: (rotation, weeks)
    letters: dict[int, list[LetterRecord]]  # by writer
    rotations: list[RotationRecord]  # all, earliest first (future ones too)
    # Evidence of advocacy holds through the application cycle it was given in: until the
    # residency of the student's Match year starts (July 1), or always with no Match year.
    evidence_until: datetime.date | None = None


# Oldest first, ties in the order they were logged. A C-level key: this sorts every interaction
# of every student in a refresh.
_BY_DATE = operator.attrgetter("date", "id")


def index_records(records: StudentRecords, today: datetime.date) -> StudentIndex:
    interactions: dict[int, list[InteractionRecord]] = defaultdict(list)
    for interaction in records.interactions:
        # A record dated after `today` has not happened yet on that date.
        if interaction.date <= today:
            interactions[interaction.contact_id].append(interaction)
    for items in interactions.values():
        items.sort(key=_BY_DATE)
    teams: dict[int, list[tuple[RotationRecord, int]]] = defaultdict(list)
    for rotation in records.rotations:
        for contact_id, weeks in rotation.team:
            teams[contact_id].append((rotation, weeks))
    letters: dict[int, list[LetterRecord]] = defaultdict(list)
    for letter in records.letters:
        letters[letter.writer_id].append(letter)
    return StudentIndex(
        today=today,
        contacts={contact.id: contact for contact in records.contacts},
        interactions=interactions,
        teams=teams,
        letters=letters,
        rotations=sorted(records.rotations, key=lambda rotation: (rotation.start, rotation.id)),
        evidence_until=datetime.date(records.match_year, 7, 1) if records.match_year else None,
    )


def influence_for(
    contact: ContactRecord, letters: list[LetterRecord], conf: EngineConf
) -> Influence:
    base = int(conf.influence.get(contact.role, 0))
    has_written = bool(letters) and any(letter.status in LETTER_WRITTEN for letter in letters)
    trusted = has_written or contact.would_vouch
    factor = 1.0 if trusted else conf.untrusted_influence_factor
    return Influence(round(base * factor), base, factor, trusted, has_written, contact.role)


def _weeks_part(
    teams: list[tuple[RotationRecord, int]], today: datetime.date, conf: EngineConf
) -> Part:
    if not teams:  # most contacts: met outside a rotation
        return Part(*_NO_WEEKS, conf.weeks_together_points, (0.0, conf.weeks_together_cap, ()))
    credited = 0.0
    names: list[str] = []
    for rotation, weeks in teams:
        if rotation.start > today or weeks <= 0:
            continue
        # Weeks on a rotation still under way count as they happen.
        length = (rotation.end - rotation.start).days + 1
        elapsed = (min(today, rotation.end) - rotation.start).days + 1
        credited += weeks * min(1.0, elapsed / length)
        names.append(rotation.name)
    capped = min(credited, float(conf.weeks_together_cap))
    points = conf.weeks_together_points * capped / conf.weeks_together_cap
    return Part(
        "weeks_together",
        "Weeks worked together",
        points,
        conf.weeks_together_points,
        (round(capped, 1), conf.weeks_together_cap, tuple(names)),
    )


_NO_WEEKS = ("weeks_together", "Weeks worked together", 0.0)


def _weeks_detail(facts: tuple) -> str:
    weeks, cap, names = facts
    if not names:
        return "Not on a rotation together yet"
    return f"{weeks_count(weeks)} of {cap} together ({', '.join(names)})"


def _weeks_evidence(facts: tuple) -> str:
    weeks, _cap, names = facts
    if not names:
        return "Not on a rotation together yet"
    return f"{weeks_count(weeks)} together on {' and '.join(names)}"


_KIND_WORDS = {
    InteractionKind.WORKED_TOGETHER: "day of project work",
    InteractionKind.MEETING: "meeting",
    InteractionKind.FEEDBACK: "feedback session",
    InteractionKind.CALL: "call",
    InteractionKind.CONFERENCE: "conference conversation",
    InteractionKind.EMAIL: "email",
    InteractionKind.UPDATE: "update",
    InteractionKind.THANK_YOU: "thank-you",
    InteractionKind.LETTER: "letter exchange",
}


def _interactions_part(
    interactions: list[InteractionRecord], today: datetime.date, conf: EngineConf
) -> Part:
    since = today - datetime.timedelta(days=conf.interaction_window_days)
    # Oldest first, so the last 12 months are the tail: read from the end and stop early.
    recent = []
    for interaction in reversed(interactions):
        if interaction.date <= since:
            break
        recent.append(interaction.kind)
    weights = conf.interaction_points
    points = min(float(sum(map(weights.get, recent, _ZEROS))), conf.interaction_points_cap)
    # Facts: the kinds (counted only when a page asks for the words) and their weights.
    return Part(
        "interactions",
        "Conversations in the last year",
        points,
        conf.interaction_points_cap,
        (tuple(recent), weights),
    )


_ZEROS = itertools.repeat(0)


def _interaction_words(facts: tuple) -> list[str]:
    kinds, weights = facts
    # The weightiest kinds first.
    counts = sorted(
        ((kind, kinds.count(kind)) for kind in set(kinds)),
        key=lambda item: (-weights.get(item[0], 0), item[0]),
    )
    return [plural(count, _KIND_WORDS.get(kind, kind)) for kind, count in counts]


def _interactions_detail(facts: tuple) -> str:
    if not facts[0]:
        return "No conversations in the last 12 months"
    return ", ".join(_interaction_words(facts)) + " in the last 12 months"


def _interactions_evidence(facts: tuple) -> str:
    if not facts[0]:
        return "No conversations in the last 12 months"
    return ", ".join(_interaction_words(facts)[:2]) + " this year"


_CONTEXT = operator.attrgetter("context")


def _contexts_part(
    interactions: list[InteractionRecord],
    teams: list[tuple[RotationRecord, int]],
    today: datetime.date,
    conf: EngineConf,
) -> Part:
    contexts = set(map(_CONTEXT, interactions))
    contexts.discard("")
    for rotation, _weeks in teams:
        if rotation.start <= today:
            is_research = rotation.kind == RotationKind.RESEARCH
            contexts.add(Context.RESEARCH.value if is_research else Context.CLINICAL.value)
    if len(contexts) >= 3:
        points = conf.three_contexts_points
    elif len(contexts) == 2:
        points = conf.two_contexts_points
    else:
        points = 0
    return Part(
        "contexts", "More than one setting", points, conf.three_contexts_points, tuple(contexts)
    )


def _contexts_detail(facts: tuple) -> str:
    if not facts:
        return "No shared work recorded yet"
    detail = "Seen you in " + " and ".join(sorted(facts)) + " work"
    if len(facts) == 1:
        detail += " (a second setting, e.g. research or teaching, would add to this)"
    return detail


def _contexts_evidence(facts: tuple) -> str:
    return " and ".join(sorted(facts)) + " work together" if facts else "no shared work yet"


_FEEDBACK_WORDS = {
    0: ("Not asked for feedback yet", "no feedback yet"),
    1: (
        "Asked for feedback; circling back on it would close the loop",
        "a feedback conversation",
    ),
    2: ("Asked for feedback and circled back", "a feedback conversation you followed up on"),
}


def _feedback_part(interactions: list[InteractionRecord], conf: EngineConf) -> Part:
    max_points = conf.feedback_asked_points + conf.feedback_circled_back_points
    # Oldest first: the first feedback session is the earliest, the last entry the latest.
    first_feedback = next(
        (i.date for i in interactions if i.kind == InteractionKind.FEEDBACK), None
    )
    if first_feedback is None:
        stage, points = 0, 0
    elif interactions[-1].date > first_feedback:
        stage, points = 2, max_points  # asked, then a later conversation: circled back
    else:
        stage, points = 1, conf.feedback_asked_points
    return Part("feedback_loop", "The feedback loop", points, max_points, (stage,))


def _letter_part(letters: list[LetterRecord], conf: EngineConf) -> Part:
    written = sum(1 for letter in letters if letter.status in LETTER_WRITTEN) if letters else 0
    points = conf.letter_points if written else 0
    return Part("letter", "A letter", points, conf.letter_points, (written,))


def _letter_detail(facts: tuple) -> str:
    (written,) = facts
    if not written:
        return "No letter yet"
    return "Agreed to write for you" if written == 1 else "Writing for you"


_DETAIL = {
    "weeks_together": _weeks_detail,
    "interactions": _interactions_detail,
    "contexts": _contexts_detail,
    "feedback_loop": lambda facts: _FEEDBACK_WORDS[facts[0]][0],
    "letter": _letter_detail,
}
_EVIDENCE = {
    "weeks_together": _weeks_evidence,
    "interactions": _interactions_evidence,
    "contexts": _contexts_evidence,
    "feedback_loop": lambda facts: _FEEDBACK_WORDS[facts[0]][1],
    "letter": lambda facts: "writing for you" if facts[0] else "no letter yet",
}


def last_contact_on(
    contact: ContactRecord,
    interactions: list[InteractionRecord],
    teams: list[tuple[RotationRecord, int]],
    today: datetime.date,
) -> datetime.date | None:
    """The last day they saw each other: an interaction, or a shared rotation day.

    A contact never met in any record counts from the day they were added ("met")."""
    dates = [interactions[-1].date] if interactions else []
    dates += [min(rotation.end, today) for rotation, _ in teams if rotation.start <= today]
    if dates:
        return max(dates)
    if contact.created_on is not None and contact.created_on <= today:
        return contact.created_on
    return None


def depth_for(contact: ContactRecord, index: StudentIndex, conf: EngineConf) -> Depth:
    today = index.today
    interactions = index.interactions.get(contact.id, _NONE)
    teams = index.teams.get(contact.id, _NONE)
    parts = (
        _weeks_part(teams, today, conf),
        _interactions_part(interactions, today, conf),
        _contexts_part(interactions, teams, today, conf),
        _feedback_part(interactions, conf),
        _letter_part(index.letters.get(contact.id, _NONE), conf),
    )
    return _depth(parts, last_contact_on(contact, interactions, teams, today), today, conf)


def _depth(
    parts: tuple[Part, ...], last: datetime.date | None, today: datetime.date, conf: EngineConf
) -> Depth:
    raw = parts[0].points + parts[1].points + parts[2].points + parts[3].points + parts[4].points
    days_quiet = (today - last).days if last is not None else None
    if days_quiet is not None and days_quiet > conf.decay_quarter_after_days:
        quiet_for = span_in_words(conf.decay_quarter_after_days)
        decay, decay_detail = 0.25, f"Quiet for over {quiet_for}: depth counts a quarter"
    elif days_quiet is not None and days_quiet > conf.decay_half_after_days:
        quiet_for = span_in_words(conf.decay_half_after_days)
        decay, decay_detail = 0.5, f"Quiet for over {quiet_for}: depth counts half"
    else:
        decay, decay_detail = 1.0, ""
    # Positional: built for every contact of every student in a refresh.
    return Depth(min(100, round(raw * decay)), raw, decay, parts, last, days_quiet, decay_detail)


# Most contacts have no rotation or letter: one shared empty sequence instead of a list each.
_NONE: tuple = ()


def can_advocate(contact: ContactRecord, conf: EngineConf) -> bool:
    """Who calls matters (seed 001): a voice below `advocate_min_influence` (a peer, staff) can
    be thanked and kept warm, but is never counted as an advocate nor given a focus slot."""
    return int(conf.influence.get(contact.role, 0)) >= conf.advocate_min_influence


def has_evidence(
    contact: ContactRecord, letters: Iterable[LetterRecord], today: datetime.date
) -> bool:
    """Explicit evidence they would speak for the student: the would-vouch mark (the student's
    record that they offered to speak for them, or said "I'd work with you again"; it holds
    while it is set), or a letter they agreed to write or wrote, by `today`."""
    if contact.would_vouch:
        return True
    for letter in letters:
        if letter.status in LETTER_WRITTEN:
            given = letter.agreed_on or letter.submitted_on or letter.asked_on or letter.created_on
            if given is None or given <= today:
                return True
    return False


def _depth_tier(
    contact: ContactRecord, value: float, conf: EngineConf, evidence: bool = False
) -> str:
    if can_advocate(contact, conf):
        if value >= conf.advocate_min_depth:
            return Tier.ADVOCATE
        if evidence and value >= conf.advocate_min_depth_with_evidence:
            return Tier.ADVOCATE
    if value >= conf.developing_min_depth:
        return Tier.DEVELOPING
    return Tier.ACQUAINTANCE


def tier_for(contact: ContactRecord, depth: Depth, conf: EngineConf, held: bool = False) -> str:
    """`held`: explicit evidence given in this application cycle (has_evidence, before
    `evidence_until`): the depth before the quiet months' decay makes the tier, so a would-vouch
    program director from a 4-week sub-I is still an advocate six months on, in rank-list
    season. The decay still drives the re-warm nudges (follow_ups)."""
    if depth.days_quiet is not None and depth.days_quiet > conf.dormant_after_days:
        return Tier.DORMANT
    if held:
        return _depth_tier(contact, min(100, round(depth.raw)), conf, evidence=True)
    return _depth_tier(contact, depth.value, conf, evidence=contact.would_vouch)


def was_advocate(score: ContactScore, conf: EngineConf) -> bool:
    """An advocate before the quiet spell: their depth, undecayed, makes the tier (a would-vouch
    attending from a 4-week sub-I, six months on). They keep a focus slot until dormant, and a
    dormant one is worth one "reconnect"."""
    depth = min(100, round(score.depth.raw))
    evidence = score.evidence or score.contact.would_vouch
    return _depth_tier(score.contact, depth, conf, evidence) == Tier.ADVOCATE


def score_contacts(index: StudentIndex, conf: EngineConf) -> dict[int, ContactScore]:
    """Every contact's score on `index.today`: exactly what depth_for, influence_for,
    has_evidence and tier_for say of each, in one pass (a refresh scores every contact of every
    student). What is the same for every contact (the settings read, the window's first day,
    the parts of the many with no rotation, letter or feedback) is worked out once; a contact
    with a rotation or a letter goes through the parts' own functions."""
    scores: dict[int, ContactScore] = {}
    today = index.today
    in_cycle = index.evidence_until is None or today < index.evidence_until
    interactions_of, teams_of, letters_of = (
        index.interactions.get,
        index.teams.get,
        index.letters.get,
    )
    since = today - datetime.timedelta(days=conf.interaction_window_days)
    weights = conf.interaction_points
    weight = weights.get
    points_cap = conf.interaction_points_cap
    three_points, two_points = conf.three_contexts_points, conf.two_contexts_points
    feedback_parts = _feedback_parts(conf)
    no_weeks = _weeks_part(_NONE, today, conf)
    no_letter = _letter_part(_NONE, conf)
    quarter_after, half_after = conf.decay_quarter_after_days, conf.decay_half_after_days
    quarter_words = f"Quiet for over {span_in_words(quarter_after)}: depth counts a quarter"
    half_words = f"Quiet for over {span_in_words(half_after)}: depth counts half"
    influence_of = conf.influence.get
    untrusted = conf.untrusted_influence_factor
    feedback = InteractionKind.FEEDBACK
    for contact in index.contacts.values():
        contact_id = contact.id
        interactions = interactions_of(contact_id, _NONE)
        teams = teams_of(contact_id, _NONE)
        letters = letters_of(contact_id, _NONE)
        # Depth: the parts (depth_for).
        weeks = _weeks_part(teams, today, conf) if teams else no_weeks
        recent = []
        for interaction in reversed(interactions):
            if interaction.date <= since:
                break
            recent.append(interaction.kind)
        talks = Part(
            "interactions",
            "Conversations in the last year",
            min(float(sum(map(weight, recent, _ZEROS))), points_cap),
            points_cap,
            (tuple(recent), weights),
        )
        if teams:
            contexts = _contexts_part(interactions, teams, today, conf)
        else:
            seen = set(map(_CONTEXT, interactions))
            seen.discard("")
            count = len(seen)
            contexts = Part(
                "contexts",
                "More than one setting",
                three_points if count >= 3 else two_points if count == 2 else 0,
                three_points,
                tuple(seen),
            )
        stage = 0
        for interaction in interactions:
            if interaction.kind == feedback:
                stage = 2 if interactions[-1].date > interaction.date else 1
                break
        letter = _letter_part(letters, conf) if letters else no_letter
        parts = (weeks, talks, contexts, feedback_parts[stage], letter)
        raw = weeks.points + talks.points + contexts.points + parts[3].points + letter.points
        if teams or not interactions:
            last = last_contact_on(contact, interactions, teams, today)
        else:
            last = interactions[-1].date
        days_quiet = (today - last).days if last is not None else None
        if days_quiet is not None and days_quiet > quarter_after:
            decay, decay_detail = 0.25, quarter_words
        elif days_quiet is not None and days_quiet > half_after:
            decay, decay_detail = 0.5, half_words
        else:
            decay, decay_detail = 1.0, ""
        depth = Depth(
            min(100, round(raw * decay)), raw, decay, parts, last, days_quiet, decay_detail
        )
        # Influence (influence_for), evidence (has_evidence) and tier (tier_for).
        if letters:
            influence = influence_for(contact, letters, conf)
            evidence = has_evidence(contact, letters, today)
        else:
            base = int(influence_of(contact.role, 0))
            trusted = contact.would_vouch
            factor = 1.0 if trusted else untrusted
            influence = Influence(round(base * factor), base, factor, trusted, False, contact.role)
            evidence = trusted
        tier = tier_for(contact, depth, conf, held=evidence and in_cycle)
        scores[contact_id] = ContactScore(contact, influence, depth, tier, evidence, tuple(letters))
    return scores


def score_contact(
    contact: ContactRecord, index: StudentIndex, conf: EngineConf, in_cycle: bool
) -> ContactScore:
    """One contact's score on `index.today`; `in_cycle`: before the index's `evidence_until`."""
    depth = depth_for(contact, index, conf)
    letters = index.letters.get(contact.id, _NONE)
    influence = influence_for(contact, letters, conf)
    evidence = has_evidence(contact, letters, index.today)
    tier = tier_for(contact, depth, conf, held=evidence and in_cycle)
    return ContactScore(contact, influence, depth, tier, evidence, tuple(letters))


def moved_score(
    score: ContactScore, index: StudentIndex, conf: EngineConf, in_cycle: bool
) -> ContactScore:
    """`score` on `index.today`, when only shared rotations under way have moved it since the
    day it was scored (no turn in between: `score_changes`): the weeks together, the last
    contact and what follows from them; its other parts are the same."""
    contact, today = score.contact, index.today
    teams = index.teams.get(contact.id, _NONE)
    parts = (_weeks_part(teams, today, conf), *score.depth.parts[1:])
    last = last_contact_on(contact, index.interactions.get(contact.id, _NONE), teams, today)
    depth = _depth(parts, last, today, conf)
    return score._replace(
        depth=depth, tier=tier_for(contact, depth, conf, held=score.evidence and in_cycle)
    )


class ScoreChanges(NamedTuple):
    """When a contact's score may move over a stretch of days with nothing newly logged (the
    days ahead as they stand today: reminders.engine.horizon)."""

    # Days a score may differ from the day before for a reason of its own: a shared rotation
    # starts, a conversation leaves the 12-month window, a quiet spell crosses a decay line, a
    # letter's yes comes into force, the cycle's evidence ends, the contact is first counted
    # from the day they were added.
    turns: frozenset[datetime.date]
    # Days a shared rotation is under way (its first day too): the last contact is that very
    # day, and the weeks together grow by a day's worth.
    moving: frozenset[datetime.date]
    # The days after such a rotation ends: the last contact stays on its last day from then.
    settles: frozenset[datetime.date]
    # Days the quiet spell may cross the dormant line (also turns).
    dormant: frozenset[datetime.date]

    @property
    def steady(self) -> bool:
        """The score is the same on every day of the stretch."""
        return not (self.turns or self.moving)


STEADY = ScoreChanges(frozenset(), frozenset(), frozenset(), frozenset())


def score_changes(
    contact: ContactRecord,
    index: StudentIndex,
    conf: EngineConf,
    first: datetime.date,
    last: datetime.date,
) -> ScoreChanges:
    """The days in [first, last] on which `contact`'s score (as `score_contact` works it out on
    each day, from the same records) may differ from the day before: a sound bound, so a
    caller that rescored only on these days misses nothing. The records hold nothing dated
    after `first - 1`."""
    teams = index.teams.get(contact.id, _NONE)
    interactions = index.interactions.get(contact.id, _NONE)
    letters = index.letters.get(contact.id, _NONE)
    turns: set[datetime.date] = set()
    moving: set[datetime.date] = set()
    settles: set[datetime.date] = set()
    one = datetime.timedelta(days=1)

    def within(day: datetime.date) -> bool:
        return first <= day <= last

    # The last contact on a day no rotation is under way is one of these (their latest).
    anchors = [interactions[-1].date] if interactions else []
    if contact.created_on is not None:
        anchors.append(contact.created_on)
        if within(contact.created_on):
            turns.add(contact.created_on)
    for rotation, _weeks in teams:
        anchors.append(rotation.end)
        if within(rotation.start):
            turns.add(rotation.start)
        if within(rotation.end + one):
            settles.add(rotation.end + one)
        on = max(rotation.start, first)
        while on <= rotation.end and on <= last:
            moving.add(on)
            on += one
    # A conversation counts while today < its date + the window: it leaves on that day.
    window = datetime.timedelta(days=conf.interaction_window_days)
    oldest, newest = first - window, last - window
    for interaction in reversed(interactions):
        if interaction.date < oldest:
            break
        if interaction.date <= newest:
            turns.add(interaction.date + window)
    dormant: set[datetime.date] = set()
    for quiet in (conf.decay_half_after_days, conf.decay_quarter_after_days):
        span = datetime.timedelta(days=quiet + 1)
        turns.update(anchor + span for anchor in anchors if within(anchor + span))
    span = datetime.timedelta(days=conf.dormant_after_days + 1)
    dormant.update(anchor + span for anchor in anchors if within(anchor + span))
    turns |= dormant
    for letter in letters:
        given = letter.agreed_on or letter.submitted_on or letter.asked_on or letter.created_on
        if given is not None and within(given):
            turns.add(given)
    if index.evidence_until is not None and within(index.evidence_until):
        turns.add(index.evidence_until)
    if not (turns or moving or settles):
        return STEADY
    return ScoreChanges(frozenset(turns), frozenset(moving), frozenset(settles), frozenset(dormant))


def _feedback_parts(conf: EngineConf) -> tuple[Part, Part, Part]:
    """_feedback_part's three answers (not asked; asked; asked and circled back), by stage."""
    max_points = conf.feedback_asked_points + conf.feedback_circled_back_points
    points = (0, conf.feedback_asked_points, max_points)
    return tuple(
        Part("feedback_loop", "The feedback loop", points[stage], max_points, (stage,))
        for stage in range(3)
    )


def _rank(score: ContactScore) -> tuple:
    # Highest influence x depth first; ties broken so the answer never depends on load order.
    return (-score.weight, -score.influence.value, score.contact.name, score.contact.id)


def ranked(scores: Iterable[ContactScore]) -> list[ContactScore]:
    return sorted(scores, key=_rank)


def focus_set(scores: Iterable[ContactScore], conf: EngineConf) -> tuple[int, ...]:
    """The advocates (the strongest `focus_max` if more), topped up with the strongest
    developing contacts until there are `focus_min`. Never more than `focus_max`."""
    active = [score for score in scores if not score.contact.archived]
    advocates = ranked(score for score in active if holds_focus_slot(score, conf))
    developing = (
        ranked(score for score in active if tops_up_focus(score, conf))
        if min(len(advocates), conf.focus_max) < conf.focus_min  # focus_of tops up only then
        else []
    )
    return focus_of(advocates, developing, conf)


def holds_focus_slot(score: ContactScore, conf: EngineConf) -> bool:
    """An advocate, who keeps the slot through decay until dormant: six quiet months halve the
    depth, not what they would say if a program called."""
    return score.tier == Tier.ADVOCATE or (
        score.tier != Tier.DORMANT and score.depth.decay_factor < 1 and was_advocate(score, conf)
    )


def tops_up_focus(score: ContactScore, conf: EngineConf) -> bool:
    """A developing contact who could become an advocate: tops up a focus set short of
    advocates."""
    return score.tier == Tier.DEVELOPING and can_advocate(score.contact, conf)


def focus_of(
    advocates: list[ContactScore], developing: list[ContactScore], conf: EngineConf
) -> tuple[int, ...]:
    """The focus set from the advocates and the developing contacts who could top it up, each
    ranked (strongest first); only the first `focus_max` and `focus_min + focus_max` of them
    are read."""
    focus = advocates[: conf.focus_max]
    if len(focus) < conf.focus_min:
        chosen = {score.contact.id for score in focus}
        top_up = [score for score in developing if score.contact.id not in chosen]
        focus += top_up[: conf.focus_min - len(focus)]
    return tuple(score.contact.id for score in focus[: conf.focus_max])


def strongest_evidence(score: ContactScore) -> str:
    """What they know you from, in a few words, e.g. "4 weeks together (Medicine sub-I)"."""
    parts = [part for part in score.depth.parts if part.points > 0]
    if not parts:
        return "you have met"
    best = max(parts, key=lambda part: part.points)
    return best.evidence


def next_step_for(score: ContactScore, conf: EngineConf) -> str:
    """The one thing that would most deepen this relationship, from what is missing."""
    depth = score.depth
    if depth.decay_factor < 1:
        return "reconnecting after a quiet spell would count most"
    feedback = depth.part("feedback_loop")
    if feedback.points == 0:
        return "asking for feedback on your work would deepen it"
    if feedback.points < feedback.max_points:
        return "circling back on their feedback would close the loop"
    if depth.part("interactions").points < conf.interaction_points_cap / 2:
        return "a short meeting or call about your work would deepen it"
    if depth.part("contexts").points == 0:
        return "working with them in a second setting (research, teaching) would deepen it"
    if depth.part("weeks_together").points < conf.weeks_together_points / 2:
        return "more time on the same team would deepen it"
    return "keep the conversations going"
