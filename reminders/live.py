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

    @classmethod
    def of(cls, evaluation: Evaluation, records: StudentRecords) -> Answer:
        return cls(
            today=evaluation.today,
            scores=dict(evaluation.scores),
            nudges=evaluation.nudges,
            focus=evaluation.focus,
            teams={r.id: tuple(pk for pk, _ in r.team) for r in records.rotations},
        )


# Loads the student's records limited to these contacts (with every rotation and the profile).
Loader = Callable[[Collection[int]], StudentRecords]


def _soap_helpers(scores: Iterable[ContactScore], conf: EngineConf) -> list[int]:
    # The strongest few a SOAP plan names (cycle_moments._soap_plan): a bounded heap, not a sort.
    helpers = (
        score
        for score in scores
        if not score.contact.archived and score.weight > 0 and score.tier != Tier.DORMANT
    )
    return [score.contact.id for score in heapq.nsmallest(conf.soap_contacts, helpers, key=_rank)]


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
    # First the touched contacts, to know where the focus set goes.
    records = load(touched)
    rescored = score_contacts(index_records(records, today), conf)
    scores = {pk: s for pk, s in before.scores.items() if pk not in touched}
    scores.update(rescored)  # a deleted contact is simply gone
    focus = focus_set(scores.values(), conf)
    teams = {**before.teams, **{r.id: tuple(pk for pk, _ in r.team) for r in records.rotations}}
    wanted = (
        touched
        | set(before.focus)
        | set(focus)
        | set(_soap_helpers(before.scores.values(), conf))
        | set(_soap_helpers(scores.values(), conf))
    )
    # Whole rotation teams: a teammate's feedback closes the ask for everyone on the team.
    # Rotations are few and teams small, so this closes over tens of people at most.
    grown = True
    while grown:
        grown = False
        for team in teams.values():
            if wanted.intersection(team) and not wanted.issuperset(team):
                wanted.update(team)
                grown = True
    wanted &= scores.keys() | touched
    if wanted - touched:
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
