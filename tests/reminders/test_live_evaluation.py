"""The live refresh's incremental evaluation (reminders.live.evaluate_touched) says exactly what
the full evaluation says, over random networks: same scores, focus, progress, gaps and nudges."""

from __future__ import annotations

import dataclasses
import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.vocabulary import Direction, InteractionKind, LetterStatus, Role
from reminders.conf import build_conf
from reminders.live import Answer, evaluate_touched
from reminders.records import (
    ContactRecord,
    InteractionRecord,
    LetterRecord,
    RotationRecord,
    StudentRecords,
)
from reminders.rules import evaluate

CONF = build_conf()
START = datetime.date(2026, 6, 1)  # a Match-2027 cycle: June to the spring after
DAYS = 330


def _restrict(records: StudentRecords, contact_ids) -> StudentRecords:
    """What the database loader returns for some contacts: theirs, plus every rotation."""
    ids = set(contact_ids)
    return dataclasses.replace(
        records,
        contacts=tuple(c for c in records.contacts if c.id in ids),
        interactions=tuple(i for i in records.interactions if i.contact_id in ids),
        letters=tuple(letter for letter in records.letters if letter.writer_id in ids),
    )


@st.composite
def networks(draw):
    size = draw(st.integers(min_value=1, max_value=14))
    contacts = tuple(
        ContactRecord(
            id=pk,
            name=f"Contact {pk:02d}",
            role=draw(st.sampled_from(Role.values)),
            specialty=draw(st.sampled_from(["Internal Medicine", "Surgery", ""])),
            city=draw(st.sampled_from(["Chicago", "Boston", ""])),
            setting=draw(st.sampled_from(["academic", "community", ""])),
            would_vouch=draw(st.booleans()),
            archived=draw(st.booleans()) and draw(st.booleans()),
            created_on=START,
        )
        for pk in range(1, size + 1)
    )
    ids = [c.id for c in contacts]
    # Records crowd the weeks before `today`, where the rules have most to say.
    today = START + datetime.timedelta(days=draw(st.integers(min_value=0, max_value=DAYS)))

    def around(before: int, after: int = 0):
        return st.integers(-before, after).map(lambda n: today + datetime.timedelta(n))

    day = around(240)
    interactions = tuple(
        InteractionRecord(
            id=1000 + n,
            contact_id=draw(st.sampled_from(ids)),
            date=draw(day),
            kind=draw(st.sampled_from(InteractionKind.values)),
            direction=draw(st.sampled_from(Direction.values)),
            context=draw(st.sampled_from(["clinical", "research", "teaching"])),
        )
        for n in range(draw(st.integers(min_value=0, max_value=60)))
    )
    rotations = []
    for n in range(draw(st.integers(min_value=0, max_value=3))):
        start = draw(around(40, 5))
        team = draw(st.lists(st.sampled_from(ids), max_size=4, unique=True))
        rotations.append(
            RotationRecord(
                id=2000 + n,
                name=f"Rotation {n}",
                kind="sub_internship",
                start=start,
                end=start + datetime.timedelta(days=draw(st.integers(13, 34))),
                team=tuple(sorted((pk, draw(st.integers(1, 5))) for pk in team)),
            )
        )
    letters = tuple(
        LetterRecord(
            id=3000 + n,
            writer_id=draw(st.sampled_from(ids)),
            status=draw(st.sampled_from(LetterStatus.values)),
            due=draw(around(10, 70)),
            asked_on=START,
            agreed_on=draw(st.none() | around(20)),
            submitted_on=draw(st.none() | around(20)),
            created_on=START,
        )
        for n in range(draw(st.integers(min_value=0, max_value=3)))
    )
    records = StudentRecords(
        id=1,
        match_year=2027,
        match_outcome=draw(st.sampled_from(["", "matched", "unmatched", "partial"])),
        target_specialties=("Internal Medicine",),
        target_cities=("Chicago, IL",),
        contacts=contacts,
        interactions=interactions,
        rotations=tuple(rotations),
        letters=letters,
    )
    new = InteractionRecord(
        id=9999,
        contact_id=draw(st.sampled_from(ids)),
        date=today - datetime.timedelta(days=draw(st.integers(0, 3))),
        kind=draw(st.sampled_from(InteractionKind.values)),
        direction=draw(st.sampled_from(Direction.values)),
        context="clinical",
    )
    return records, today, new


def _comparable(evaluation):
    return (
        {pk: (s.tier, s.depth.value, s.influence.value) for pk, s in evaluation.scores.items()},
        evaluation.focus,
        evaluation.progress,
        evaluation.gaps,
        sorted(evaluation.nudges, key=lambda spec: spec.key),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_logging_an_interaction_re_evaluates_to_exactly_the_full_answer(network):
    records, today, new = network
    before = evaluate(records, today, CONF)
    after_records = dataclasses.replace(records, interactions=records.interactions + (new,))
    full = evaluate(after_records, today, CONF)

    evaluation, whole, redone = evaluate_touched(
        Answer.of(before, records, CONF),
        {new.contact_id},
        lambda ids: _restrict(after_records, ids),
        today,
        CONF,
    )

    assert new.contact_id in redone
    # The whole answer (reused + re-evaluated) is the full evaluation's.
    assert sorted(whole.nudges, key=lambda spec: spec.key) == sorted(
        full.nudges, key=lambda spec: spec.key
    )
    assert _comparable(evaluation)[:4] == _comparable(full)[:4]
    assert whole.tiers == {pk: score.tier for pk, score in full.scores.items()}
    assert whole.scores.keys() == full.scores.keys()
    # What a refresh stores: the re-evaluated contacts' nudges and those about no one.
    assert sorted(evaluation.nudges, key=lambda spec: spec.key) == sorted(
        (s for s in full.nudges if s.contact_id is None or s.contact_id in redone),
        key=lambda spec: spec.key,
    )


def test_only_the_touched_contact_and_the_focus_set_are_re_evaluated_in_a_big_network():
    contacts = tuple(
        ContactRecord(id=pk, name=f"C{pk}", role="faculty", created_on=START)
        for pk in range(1, 401)
    )
    interactions = tuple(
        InteractionRecord(id=10_000 + pk, contact_id=pk, date=START, kind="meeting")
        for pk in range(1, 401)
    )
    records = StudentRecords(id=1, contacts=contacts, interactions=interactions)
    today = START + datetime.timedelta(days=3)
    new = InteractionRecord(id=99_999, contact_id=200, date=today, kind="email")
    after = dataclasses.replace(records, interactions=interactions + (new,))
    loaded = []

    def load(ids):
        loaded.append(set(ids))
        return _restrict(after, ids)

    _, whole, redone = evaluate_touched(
        Answer.of(evaluate(records, today, CONF), records, CONF), {200}, load, today, CONF
    )
    assert len(redone) <= 1 + 2 * CONF.focus_max + 2 * CONF.soap_contacts
    assert max(len(ids) for ids in loaded) == len(redone)
    assert sorted(whole.nudges, key=lambda s: s.key) == sorted(
        evaluate(after, today, CONF).nudges, key=lambda s: s.key
    )
