"""Live and fast: after a student logs an interaction, re-evaluate only what it touches.

A contact's scores depend on their own records alone, and the rules speak of one person at a
time, reading of everyone else only the focus set, the progress line, the gaps and whether the
week already asks something of the student. So after a change to a few contacts ("touched")
the engine's whole answer is:

- the touched contacts re-scored, everyone else's scores reused from the day's last answer;
- the rules run for the touched contacts, their rotation teammates (a feedback ask closes for
  the whole team), the focus set before and after, and the few SOAP helpers; every other
  person's nudges are the day's last answer, unchanged;
- the nudges about no one (invest, gap, SOAP, the small action) recomputed.

`evaluate_touched` is pure (records come from a loader); tests/reminders/test_live_refresh.py
proves it equals the full evaluation over random networks. The day's last answer (`Answer`)
is kept by reminders.evaluation.baseline, keyed by the student, the day and the records' change
stamp it reflects: a stamp that does not match means "no baseline".
"""

from __future__ import annotations

import dataclasses
import datetime
import heapq
from collections.abc import Callable, Collection, Iterable

from contacts.vocabulary import Tier
from reminders.engine.conf import EngineConf
from reminders.engine.cycle import match_calendar
from reminders.engine.match_week import match_week_days
from reminders.engine.records import StudentRecords
from reminders.engine.rules import Evaluation, Network, NudgeSpec, evaluate
from reminders.engine.rules.monthly import gaps_for, progress_for, progress_moment
from reminders.engine.rules.residency import resident_circle
from reminders.engine.scoring import (
    ContactScore,
    _rank,
    can_advocate,
    focus_set,
    index_records,
    score_contacts,
    was_advocate,
)

# --- What the network-wide answers depend on ----------------------------------------------------
#
# The focus set, the progress line and the gaps are functions of every score, but they read
# little of it: the strongest few advocates and developing contacts (focus_set, and the
# progress line's candidates), how many advocates there are (the count), and which
# specialties, cities, settings and roles are present (gaps_for). So the answer keeps
# "leaders", the best few of each ranking, which stay a true prefix of the ranking whatever
# one contact does; the advocates' ids; and one exemplar per kind of contact. Each answer is
# then worked out by the engine's own function over those few scores.

_LEADERS = 8  # kept per ranking: the focus needs 5 advocates, or 3 developing, at most


def _active(score: ContactScore | None) -> bool:
    return score is not None and not score.contact.archived


def _is_advocate(score: ContactScore | None) -> bool:
    return _active(score) and score.tier == Tier.ADVOCATE


def _leads_as_advocate(conf: EngineConf):
    """Who may take an advocate's focus slot (scoring.focus_set): an advocate, or one whose
    quiet months decayed them below the tier but who was an advocate before (until dormant)."""

    def leads(score: ContactScore | None) -> bool:
        return _active(score) and (
            score.tier == Tier.ADVOCATE
            or (
                score.tier != Tier.DORMANT
                and score.depth.decay_factor < 1
                and was_advocate(score, conf)
            )
        )

    return leads


def _is_developing(score: ContactScore | None) -> bool:
    return _active(score) and score.tier == Tier.DEVELOPING


def _helps(conf: EngineConf):
    """Whom a SOAP plan may name (match_week.soap_helpers): a voice programs listen to."""

    def helps(score: ContactScore | None) -> bool:
        return (
            _active(score)
            and score.weight > 0
            and score.tier != Tier.DORMANT
            and can_advocate(score.contact, conf)
        )

    return helps


def _gap_kind(score: ContactScore | None):
    # What gaps_for reads of a contact it counts (active; dormant ones count for a city only).
    if not _active(score):
        return None
    c = score.contact
    return (
        score.tier == Tier.DORMANT,
        c.specialty,
        c.city,
        c.state,
        c.setting,
        c.role,
        c.institution,
    )


@dataclasses.dataclass(frozen=True)
class Leaders:
    """The best `len(ids)` of one ranking (by scoring._rank) among the contacts `eligible`
    admits; `complete` when that is all of them."""

    ids: tuple[int, ...]
    complete: bool

    @classmethod
    def of(cls, scores: Iterable[ContactScore], eligible) -> Leaders:
        chosen = [score for score in scores if eligible(score)]
        best = heapq.nsmallest(_LEADERS, chosen, key=_rank)
        return cls(tuple(score.contact.id for score in best), len(chosen) <= _LEADERS)

    def after(
        self, touched: set[int], scores: dict[int, ContactScore], eligible, needed: int
    ) -> Leaders | None:
        """The leaders once the touched contacts have new scores, or None if too few are left
        to be sure (ask everyone again). Everyone else's place is unchanged, so the old
        leaders minus the touched are still the best of the rest; a touched contact rejoins
        if it now beats the last of them (or the ranking is complete)."""
        kept = [pk for pk in self.ids if pk not in touched]
        ranked_kept = [scores[pk] for pk in kept]
        last = _rank(ranked_kept[-1]) if ranked_kept else None
        for pk in touched:
            score = scores.get(pk)
            if eligible(score) and (self.complete or (last is not None and _rank(score) < last)):
                ranked_kept.append(score)
        ranked_kept.sort(key=_rank)
        complete = self.complete
        if len(ranked_kept) > _LEADERS:
            ranked_kept, complete = ranked_kept[:_LEADERS], False
        if not complete and len(ranked_kept) < needed:
            return None
        return Leaders(tuple(score.contact.id for score in ranked_kept), complete)


@dataclasses.dataclass(frozen=True)
class Answer:
    """The engine's whole answer for one student on one day, as the next change reuses it."""

    today: datetime.date
    scores: dict[int, ContactScore]
    nudges: tuple[NudgeSpec, ...]
    focus: tuple[int, ...]
    # Rotation id -> the contact ids on its team (to find a touched contact's teammates).
    teams: dict[int, tuple[int, ...]]
    tiers: dict[int, str]  # every contact's tier, for the pages' standing
    advocate_scores: dict[int, ContactScore]  # active advocates: the progress line counts them
    lead_advocates: Leaders
    lead_developing: Leaders
    helpers: Leaders  # whom a SOAP plan would name
    exemplars: dict[tuple, tuple[int, int]]  # kind of contact -> (how many, one of them)
    # A target program -> one contact who can vouch there (rules.monthly.program_witnesses).
    witnesses: dict[int, int] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, evaluation: Evaluation, records: StudentRecords, conf: EngineConf) -> Answer:
        scores = evaluation.scores
        return cls(
            today=evaluation.today,
            scores=dict(scores),
            nudges=evaluation.nudges,
            focus=evaluation.focus,
            teams={r.id: tuple(pk for pk, _ in r.team) for r in records.rotations},
            tiers={pk: score.tier for pk, score in scores.items()},
            advocate_scores={pk: s for pk, s in scores.items() if _is_advocate(s)},
            lead_advocates=Leaders.of(scores.values(), _leads_as_advocate(conf)),
            lead_developing=Leaders.of(scores.values(), _is_developing),
            helpers=Leaders.of(scores.values(), _helps(conf)),
            exemplars=_exemplars(scores.values()),
            witnesses=dict(evaluation.witnesses),
        )


def _exemplars(scores: Iterable[ContactScore]) -> dict[tuple, tuple[int, int]]:
    found: dict[tuple, tuple[int, int]] = {}
    for score in scores:
        kind = _gap_kind(score)
        if kind is not None:
            count, pk = found.get(kind, (0, score.contact.id))
            found[kind] = (count + 1, pk)
    return found


def _exemplars_after(before: Answer, touched: set[int], scores: dict[int, ContactScore]):
    """One exemplar per kind of contact after the change, or None if a kind lost its
    exemplar but not all its members (ask everyone again)."""
    found = dict(before.exemplars)
    for pk in touched:
        kind = _gap_kind(before.scores.get(pk))
        if kind is not None:
            count, exemplar = found[kind]
            if count == 1:
                del found[kind]
            elif exemplar == pk:
                return None
            else:
                found[kind] = (count - 1, exemplar)
    for pk in touched:
        kind = _gap_kind(scores.get(pk))
        if kind is not None:
            count, exemplar = found.get(kind, (0, pk))
            found[kind] = (count + 1, exemplar)
    return found


def _reads_everyone(records: StudentRecords, today: datetime.date, conf: EngineConf) -> bool:
    if not records.match_year:
        return False
    cal = match_calendar(records.match_year, conf, dict(records.cycle_dates))
    return cal.rank_deadline < today <= match_week_days(cal).monday_after


# Loads the student's records limited to these contacts (with every rotation and the profile).
Loader = Callable[[Collection[int]], StudentRecords]


def evaluate_touched(
    before: Answer,
    touched: Collection[int],
    load: Loader,
    today: datetime.date,
    conf: EngineConf,
) -> tuple[Evaluation, Answer, frozenset[int]]:
    """The engine's answer after a change to the `touched` contacts' records, from the day's
    last answer `before`. Returns the evaluation (scores of everyone; nudges of the contacts
    it re-evaluated and those about no one), the new whole answer, and the contact ids it
    re-evaluated (their stored nudges, and those about no one, are what a refresh updates)."""
    assert before.today == today, "an answer is reused on its own day only"
    touched = set(touched)

    def team_closure(people: set[int], teams: dict[int, tuple[int, ...]]) -> set[int]:
        # Whole rotation teams: a teammate's feedback closes the ask for everyone on the team.
        # Rotations are few and teams small, so this closes over tens of people at most.
        grown = True
        while grown:
            grown = False
            for team in teams.values():
                if people.intersection(team) and not people.issuperset(team):
                    people.update(team)
                    grown = True
        return people

    # One load, usually: the touched, the focus set and SOAP helpers as they were, a voucher
    # for each target program, and teams.
    loaded = team_closure(
        touched
        | set(before.focus)
        | set(before.helpers.ids[: conf.soap_contacts])
        | set(before.witnesses.values()),
        dict(before.teams),
    )
    records = load(loaded)
    rescored = score_contacts(index_records(records, today), conf)
    # Copies of big dicts are made whole (at C speed) and then patched, never rebuilt.
    scores = dict(before.scores)
    tiers = dict(before.tiers)
    advocate_scores = dict(before.advocate_scores)
    for pk in touched:
        scores.pop(pk, None)  # a deleted contact is simply gone
        tiers.pop(pk, None)
        advocate_scores.pop(pk, None)
        if pk in rescored:
            scores[pk] = rescored[pk]
            tiers[pk] = rescored[pk].tier
            if _is_advocate(rescored[pk]):
                advocate_scores[pk] = rescored[pk]

    # Who leads now, from the leaders kept with the day's answer (or everyone, if too few).
    def leaders(kept: Leaders, eligible, needed: int) -> Leaders:
        return kept.after(touched, scores, eligible, needed) or Leaders.of(
            scores.values(), eligible
        )

    lead_advocates = leaders(before.lead_advocates, _leads_as_advocate(conf), conf.focus_max)
    lead_developing = leaders(before.lead_developing, _is_developing, conf.focus_min + 1)
    helpers = leaders(before.helpers, _helps(conf), conf.soap_contacts)
    exemplars = _exemplars_after(before, touched, scores)
    if exemplars is None:
        exemplars = _exemplars(scores.values())
    # The engine's own functions over the few scores they read.
    few = {pk: scores[pk] for pk in lead_advocates.ids + lead_developing.ids}
    focus = focus_set(few.values(), conf)
    calendar = (
        match_calendar(records.match_year, conf, dict(records.cycle_dates))
        if records.match_year
        else None
    )
    # In residency the progress line counts the resident's circle: read from every score.
    circle = resident_circle(records, scores.values(), today, calendar, conf)
    moment = progress_moment(records, today, calendar)
    progress = progress_for({**advocate_scores, **few}, focus, conf, circle, moment)
    gaps = gaps_for(records, {pk: scores[pk] for _count, pk in exemplars.values()}, today, calendar)
    teams = {r.id: tuple(pk for pk, _ in r.team) for r in records.rotations}
    # Whom the student's Match Week story would call (the story comes with every load).
    callers = set(records.story.caller_ids) if records.story else set()
    wanted = team_closure(
        loaded | set(focus) | set(helpers.ids[: conf.soap_contacts]) | callers, teams
    )
    wanted &= scores.keys() | touched
    if not wanted <= loaded:
        records = load(wanted)
    rest_scores = dict(scores)
    for pk in wanted:
        rest_scores.pop(pk, None)
    rest = Network(
        scores=rest_scores,
        nudges=tuple(
            spec
            for spec in before.nudges
            if spec.contact_id is not None and spec.contact_id not in wanted
        ),
        focus=focus,
        progress=progress,
        gaps=gaps,
    )
    evaluation = evaluate(records, today, conf, network=rest)
    if _reads_everyone(records, today, conf) or any(
        before.witnesses.get(program.id) in touched for program in evaluation.uncovered_programs
    ):
        # From the rank-list deadline to the Monday after Match Week, the SOAP kit and plan
        # rank the whole network by the ladder (the home PD, every tie, this cycle's writers):
        # a few weeks a year, the whole evaluation.
        # A program's one known voucher changed and no one loaded can vouch there now; someone
        # not loaded might: ask everyone again (rare: a witness who stopped being one).
        wanted = set(scores)
        records = load(wanted)
        evaluation = evaluate(records, today, conf)
        return evaluation, Answer.of(evaluation, records, conf), frozenset(wanted)
    whole = Answer(
        today=today,
        scores=scores,
        nudges=tuple(
            sorted(
                rest.nudges + evaluation.nudges,
                key=lambda spec: (spec.due, spec.kind, spec.contact_name or "", spec.key),
            )
        ),
        focus=evaluation.focus,
        teams={r.id: tuple(pk for pk, _ in r.team) for r in records.rotations},
        tiers=tiers,
        advocate_scores=advocate_scores,
        lead_advocates=lead_advocates,
        lead_developing=lead_developing,
        helpers=helpers,
        exemplars=exemplars,
        witnesses=dict(evaluation.witnesses),
    )
    return evaluation, whole, frozenset(wanted)
