"""The advocate engine's rules: a student's records and a date in, nudges with reasons out.

Pure on purpose: no ORM, no clock, no settings lookups. `evaluate(records, today, conf)` is the
whole answer for one student on one day, so it can be asked about any date (the `nudges`
command), tested without a database, and run for thousands of students in a loop.

One module per family of nudges (follow_ups, thank_yous, feedback, letters, cycle_moments,
over_contact, monthly); each decides *when* in one small function and writes *the words* in
another, taking every number it mentions from the conf it was given. What they share is in
`base`. This module puts them together: which interaction answers which nudge, one voice per
person, the week's one small action, and the order of a day's nudges, each as the kind's spec
says (reminders.engine.kinds: one table of what every kind means).

Every nudge is judged against `today` (issue 9, "current"): each rule ends its own moments and
words a late one as what to do now ("A short thank-you now still lands well", "ask now, or
choose another writer"); `_current` is the backstop that steps back anything left alone
`step_back_days` past its date and shows a date already gone as today, never "was due".
Each nudge carries `stakes` (base.NudgeSpec) and, when one occasion asks the same of several
people, a `group` (grouping.group_line writes its one line).

Each nudge carries an occasion key: the same occasion always yields the same key, so storing
nudges under a unique (owner, key) makes a second refresh a no-op and a dismissal final.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from collections.abc import Mapping

from crm.dates import week_end
from reminders.engine.conf import EngineConf
from reminders.engine.cycle import cycle_phase, match_calendar
from reminders.engine.kinds import spec_for
from reminders.engine.records import InteractionRecord, StudentRecords
from reminders.engine.replies import is_reply
from reminders.engine.rules.base import Context, Evaluation, Gap, NudgeSpec, Progress
from reminders.engine.rules.cycle_moments import cycle_moments
from reminders.engine.rules.feedback import feedback
from reminders.engine.rules.follow_ups import follow_ups
from reminders.engine.rules.letters import letters, letters_plan, tell_about_red_flags
from reminders.engine.rules.monthly import (
    gap,
    gaps_for,
    invest,
    program_gap,
    program_witnesses,
    progress_for,
    progress_moment,
    small_action,
)
from reminders.engine.rules.over_contact import over_contact
from reminders.engine.rules.residency import residency, resident_circle
from reminders.engine.rules.thank_yous import thank_yous
from reminders.engine.scoring import ContactScore, focus_set, index_records, score_contacts
from reminders.vocabulary import NudgeKind

__all__ = [
    "Evaluation",
    "Network",
    "Gap",
    "NudgeSpec",
    "Progress",
    "answers",
    "evaluate",
    "gaps_for",
    "is_reply",
    "progress_for",
]

# --- Which interactions answer a nudge (shared with reminders.nudges.services)
# -----------------------


def answers(kind: str, occasion_on: datetime.date, interaction: InteractionRecord) -> bool:
    """Whether logging `interaction` (with the nudge's contact) does what the nudge asked:
    on or after its occasion, one of the ways its spec (reminders.engine.kinds) lists."""
    answered_by = spec_for(kind).answered_by
    if interaction.date < occasion_on:
        return False
    return any(answer.matches(interaction, occasion_on) for answer in answered_by)


def _answered(spec: NudgeSpec, interactions) -> bool:
    return any(answers(spec.kind, spec.occasion_on, interaction) for interaction in interactions)


# --- One voice per person ----------------------------------------------------------------------


def _one_voice_per_person(specs: list[NudgeSpec]) -> list[NudgeSpec]:
    """Drop redundant asks: a follow-up when something more specific goes to the same person;
    any outreach to someone already contacted too often this week; duplicate thank-yous."""
    by_contact: dict[int, set[str]] = {}
    for spec in specs:
        if spec.contact_id is not None:
            by_contact.setdefault(spec.contact_id, set()).add(spec.kind)
    latest_thanks: dict[int, NudgeSpec] = {}
    for spec in specs:
        if spec.kind == NudgeKind.THANK_YOU and spec.contact_id is not None:
            current = latest_thanks.get(spec.contact_id)
            if current is None or (spec.occasion_on, spec.key) > (current.occasion_on, current.key):
                latest_thanks[spec.contact_id] = spec
    kept = []
    for spec in specs:
        kinds = by_contact.get(spec.contact_id, set()) if spec.contact_id is not None else set()
        # No outreach (KindSpec.outreach) while the student is giving them room.
        if spec_for(spec.kind).outreach and NudgeKind.OVER_CONTACT in kinds:
            continue
        if spec.kind == NudgeKind.FOLLOW_UP and kinds - {
            NudgeKind.FOLLOW_UP,
            NudgeKind.OVER_CONTACT,
        }:
            continue
        if spec.kind == NudgeKind.THANK_YOU and latest_thanks.get(spec.contact_id) is not spec:
            continue
        kept.append(spec)
    return kept


# --- Current: judged against today -----------------------------------------------------------


def _current(specs: list[NudgeSpec], today: datetime.date, conf: EngineConf) -> list[NudgeSpec]:
    """What is still true today. Each rule ends its own moments (and words a late one as what
    to do now); this is the backstop: a nudge left alone `step_back_days` past its date steps
    back, and a date already gone is shown as today, never as "was due"."""
    horizon = today - datetime.timedelta(days=conf.step_back_days)
    current = []
    for spec in specs:
        if spec.due < horizon:
            continue
        current.append(spec if spec.due >= today else dataclasses.replace(spec, due=today))
    return current


# --- The evaluation ----------------------------------------------------------------------------

# The families that speak about one person, in the order their nudges are gathered.
_PERSON_RULES = (follow_ups, thank_yous, feedback, letters, cycle_moments, over_contact)


@dataclasses.dataclass(frozen=True)
class Network:
    """The rest of a student's network, already evaluated on the same day: the scores and the
    nudges of the contacts *not* in the records passed to `evaluate(..., network=...)`."""

    scores: Mapping[int, ContactScore]
    nudges: tuple[NudgeSpec, ...] = ()
    # The whole network's focus set, progress and gaps, when the caller already knows them
    # (reminders.engine.live works them out from the few contacts they depend on).
    focus: tuple[int, ...] | None = None
    progress: Progress | None = None
    gaps: tuple[Gap, ...] | None = None


def evaluate(
    records: StudentRecords,
    today: datetime.date,
    conf: EngineConf,
    *,
    with_nudges: bool = True,
    network: Network | None = None,
) -> Evaluation:
    """Everything the engine says about one student on `today`.

    Pages that show only where the student stands (scores, focus set, progress, phase) pass
    `with_nudges=False`: the rules are skipped, and `nudges` and `gaps` come back empty.

    With `network` (reminders.engine.live), `records` hold only some contacts (with every focus
    member) and `network` the rest, evaluated before: the rest count toward the focus set,
    progress, gaps and the week's small action, but the rules speak only of the contacts in
    `records` (and the nudges about no one)."""
    index = index_records(records, today)
    own_scores = score_contacts(index, conf)
    scores = {**network.scores, **own_scores} if network else own_scores
    known = network or Network(scores={})
    focus = known.focus if known.focus is not None else focus_set(scores.values(), conf)
    calendar = (
        match_calendar(records.match_year, conf, dict(records.cycle_dates))
        if records.match_year
        else None
    )
    circle = resident_circle(records, scores.values(), today, calendar, conf)
    moment = progress_moment(records, today, calendar)
    progress = known.progress or progress_for(scores, focus, conf, circle, moment)
    if not with_nudges:
        return Evaluation(
            today=today,
            scores=scores,
            focus=focus,
            progress=progress,
            gaps=(),
            calendar=calendar,
            phase=cycle_phase(today, calendar, records.match_outcome),
            nudges=(),
        )
    ctx = Context(records, today, conf, index, own_scores, focus, calendar)
    gaps = known.gaps if known.gaps is not None else gaps_for(records, scores, today, calendar)

    specs: list[NudgeSpec] = []
    for rule in _PERSON_RULES:
        specs.extend(rule(ctx))
    # First what is still true today: a moment already past does not crowd out a live one.
    specs = _current(specs, today, conf)
    # What was already done (an interaction that answers it) is not asked again.
    specs = [
        spec
        for spec in specs
        if spec.contact_id is None
        or not _answered(spec, index.interactions.get(spec.contact_id, ()))
    ]
    specs = _one_voice_per_person(specs)
    uncovered, witnesses = program_witnesses(ctx)
    specs.extend(
        _current(
            invest(ctx, progress)
            + gap(ctx, gaps)
            + program_gap(ctx, uncovered)
            # The letters plan reads the whole network (scores), as invest does.
            + letters_plan(ctx, scores)
            + tell_about_red_flags(ctx, scores)
            # The residency phase reads the whole network too (the resident's circle).
            + residency(ctx, scores),
            today,
            conf,
        )
    )
    # One small action, only in a week when nothing else asks for the student's time (no task:
    # monthly reflections and warnings do not count, KindSpec.task).
    others = network.nudges if network else ()
    if not any(
        spec_for(spec.kind).task and spec.due <= week_end(today)
        for spec in itertools.chain(specs, others)
    ):
        for spec in small_action(ctx, scores):
            interactions = index.interactions.get(spec.contact_id, ()) if spec.contact_id else ()
            if not _answered(spec, interactions):
                specs.append(spec)

    unique: dict[str, NudgeSpec] = {}
    for spec in specs:
        unique.setdefault(spec.key, spec)
    ordered = sorted(
        unique.values(),
        key=lambda spec: (spec.due, spec_for(spec.kind).order, spec.contact_name or "", spec.key),
    )
    return Evaluation(
        today=today,
        scores=scores,
        focus=focus,
        progress=progress,
        gaps=gaps,
        calendar=calendar,
        phase=cycle_phase(today, calendar, records.match_outcome),
        nudges=tuple(ordered),
        uncovered_programs=uncovered,
        witnesses=witnesses,
        index=None if network else index,
    )
