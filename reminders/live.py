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
is kept in this process (`remember` / `recall`), keyed by the student, the day and the
records' change stamp it reflects: a stamp that does not match means "evaluate everything".
"""

from __future__ import annotations

import dataclasses
import datetime
import heapq
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable

from contacts.vocabulary import Tier

from .conf import EngineConf
from .records import StudentRecords
from .rules import Evaluation, Network, NudgeSpec, evaluate
from .scoring import ContactScore, _rank, focus_set, index_records, score_contacts


@dataclasses.dataclass(frozen=True)
class Answer:
    """The engine's whole answer for one student on one day, as the next change reuses it."""

    today: datetime.date
    scores: dict[int, ContactScore]
    nudges: tuple[NudgeSpec, ...]
    focus: tuple[int, ...]
    # Rotation id -> the contact ids on its team (to find a touched contact's teammates).
    teams: dict[int, tuple[int, ...]]
    helpers: tuple[int, ...] = ()  # the strongest few a SOAP plan would name

    @classmethod
    def of(cls, evaluation: Evaluation, records: StudentRecords, conf: EngineConf) -> Answer:
        return cls(
            today=evaluation.today,
            scores=dict(evaluation.scores),
            nudges=evaluation.nudges,
            focus=evaluation.focus,
            teams={r.id: tuple(pk for pk, _ in r.team) for r in records.rotations},
            helpers=tuple(_soap_helpers(evaluation.scores.values(), conf)),
        )


# Loads the student's records limited to these contacts (with every rotation and the profile).
Loader = Callable[[Collection[int]], StudentRecords]


def _helps(score: ContactScore) -> bool:
    return not score.contact.archived and score.weight > 0 and score.tier != Tier.DORMANT


def _soap_helpers(scores: Iterable[ContactScore], conf: EngineConf) -> list[int]:
    # The strongest few a SOAP plan names (cycle_moments._soap_plan): a bounded heap, not a sort.
    helpers = (score for score in scores if _helps(score))
    return [score.contact.id for score in heapq.nsmallest(conf.soap_contacts, helpers, key=_rank)]


def _helper_key(score: ContactScore | None) -> tuple:
    if score is None or not _helps(score):
        return (1,)
    return (0, *_rank(score))


def _top_moved_down(chosen: Iterable[int], old, new, touched, key) -> bool:
    """Whether a touched contact among `chosen` (a top-k) now stands lower than before: only
    then can the new top-k hold someone from outside the old one and the touched."""
    chosen = set(chosen)
    return any(pk in chosen and key(new.get(pk)) > key(old.get(pk)) for pk in touched)


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

    # One load, usually: the touched, the focus set and SOAP helpers as they were, and teams.
    loaded = team_closure(touched | set(before.focus) | set(before.helpers), dict(before.teams))
    records = load(loaded)
    rescored = score_contacts(index_records(records, today), conf)
    scores = {pk: s for pk, s in before.scores.items() if pk not in touched}
    scores.update((pk, rescored[pk]) for pk in touched if pk in rescored)  # deleted: gone
    # Who leads now: the focus set (a few milliseconds for thousands), and the SOAP helpers.
    # Only the touched moved, so the new helpers are among the old ones and the touched,
    # unless a touched helper moved down: then ask everyone.
    focus = focus_set(scores.values(), conf)
    if _top_moved_down(before.helpers, before.scores, scores, touched, _helper_key):
        helpers = _soap_helpers(scores.values(), conf)
    else:
        candidates = set(before.helpers) | touched
        helpers = _soap_helpers((scores[pk] for pk in candidates if pk in scores), conf)
    teams = {r.id: tuple(pk for pk, _ in r.team) for r in records.rotations}
    wanted = team_closure(loaded | set(focus) | set(helpers), teams)
    wanted &= scores.keys() | touched
    if not wanted <= loaded:
        records = load(wanted)
    rest = Network(
        scores={pk: s for pk, s in scores.items() if pk not in wanted},
        nudges=tuple(
            spec
            for spec in before.nudges
            if spec.contact_id is not None and spec.contact_id not in wanted
        ),
    )
    evaluation = evaluate(records, today, conf, network=rest)
    whole = Answer(
        today=today,
        scores=dict(evaluation.scores),
        nudges=tuple(
            sorted(
                rest.nudges + evaluation.nudges,
                key=lambda spec: (spec.due, spec.kind, spec.contact_name or "", spec.key),
            )
        ),
        focus=evaluation.focus,
        teams={r.id: tuple(pk for pk, _ in r.team) for r in records.rotations},
        helpers=tuple(helpers),
    )
    return evaluation, whole, frozenset(wanted)


# --- The day's last answer, per student, in this process --------------------------------------

_ANSWERS_KEPT = 32  # students; a big network's answer is a few megabytes
_answers: OrderedDict[int, tuple[str, Answer]] = OrderedDict()
_lock = threading.Lock()


def remember(student_id: int, stamp: str, answer: Answer) -> None:
    with _lock:
        _answers[student_id] = (stamp, answer)
        _answers.move_to_end(student_id)
        while len(_answers) > _ANSWERS_KEPT:
            _answers.popitem(last=False)


def recall(student_id: int, stamp: str, today: datetime.date) -> Answer | None:
    """The answer stored for exactly this state of the records (stamp) and day, else None."""
    with _lock:
        kept = _answers.get(student_id)
    if kept is None or kept[0] != stamp or kept[1].today != today:
        return None
    return kept[1]


def forget(student_id: int | None = None) -> None:
    with _lock:
        if student_id is None:
            _answers.clear()
        else:
            _answers.pop(student_id, None)
