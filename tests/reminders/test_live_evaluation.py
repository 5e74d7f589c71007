"""The live refresh's incremental evaluation (reminders.engine.live.evaluate_touched) says exactly
what
the full evaluation says, over random networks: same scores, focus, progress, gaps and nudges."""

from __future__ import annotations

import dataclasses
import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.vocabulary import Direction, InteractionKind, LetterStatus, Role
from reminders.engine.conf import build_conf
from reminders.engine.live import Answer, evaluate_touched
from reminders.engine.records import (
    ContactRecord,
    InteractionRecord,
    LetterRecord,
    ProgramRecord,
    RedFlagRecord,
    RotationRecord,
    StoryRecord,
    StudentRecords,
    TieRecord,
)
from reminders.engine.rules import evaluate

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
        ties=tuple(tie for tie in records.ties if tie.contact_id in ids),
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
            institution=draw(st.sampled_from(["Lakeshore", "Cascade", ""])),
            setting=draw(st.sampled_from(["academic", "community", ""])),
            would_vouch=draw(st.booleans()),
            archived=draw(st.booleans()) and draw(st.booleans()),
            created_on=START,
        )
        for pk in range(1, size + 1)
    )
    ids = [c.id for c in contacts]
    # Records crowd the weeks before `today`, where the rules have most to say.
    # Sometimes Match Week 2027 (Mar 15-19) or the weekend before, where the SOAP plan speaks.
    # And sometimes the first months of residency (July to October 2027), where the resident's
    # circle speaks.
    today = draw(
        st.integers(min_value=0, max_value=DAYS).map(lambda n: START + datetime.timedelta(n))
        | st.integers(0, 9).map(lambda n: datetime.date(2027, 3, 12) + datetime.timedelta(n))
        | st.integers(0, 120).map(lambda n: datetime.date(2027, 7, 1) + datetime.timedelta(n))
    )

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
    programs = tuple(
        ProgramRecord(
            id=4000 + n,
            name=f"Program {n}",
            specialty=draw(st.sampled_from(["Internal Medicine", "Surgery"])),
            institution=draw(st.sampled_from(["Lakeshore", "Cascade", "Mercy"])),
            target=draw(st.booleans()),
        )
        for n in range(draw(st.integers(min_value=0, max_value=4)))
    )
    ties = tuple(
        TieRecord(
            id=5000 + n,
            contact_id=draw(st.sampled_from(ids)),
            kind=draw(st.sampled_from(["trained_at", "works_at", "knows_someone"])),
            program_id=draw(st.sampled_from([p.id for p in programs])) if programs else None,
            institution="" if programs else "Mercy",
        )
        for n in range(draw(st.integers(min_value=0, max_value=6)))
    )
    callers = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    story = StoryRecord(year=2027, caller_ids=tuple(callers)) if draw(st.booleans()) else None
    # A red flag: its nudge names every letter writer and the home PD (the whole network's,
    # whatever a live refresh loaded).
    red_flags = (
        (RedFlagRecord(kind="exam", note="Step 1 failed once, passed on retake"),)
        if draw(st.booleans())
        else ()
    )
    records = StudentRecords(
        id=1,
        red_flags=red_flags,
        programs=programs,
        ties=ties,
        story=story,
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


def _big_network_with_a_quiet_voucher(**student):
    """Eight strong advocates (the focus set and the SOAP helpers) and one developing
    attending, Dr. Quiet, the only one tied to a target program and the story's one caller."""
    people = [
        ContactRecord(id=pk, name=f"Dr. Strong {pk}", role="program_director", would_vouch=True,
                      created_on=START)
        for pk in range(1, 9)
    ] + [ContactRecord(id=50, name="Dr. Quiet", role="faculty", created_on=START)]  # fmt: skip
    rotation = RotationRecord(
        id=70,
        name="Sub-I",
        kind="sub_internship",
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2026, 9, 28),
        team=tuple((pk, 8) for pk in range(1, 9)),
    )
    quiet = RotationRecord(
        id=71,
        name="Elective",
        kind="elective",
        start=datetime.date(2026, 11, 2),
        end=datetime.date(2026, 11, 29),
        team=((50, 4),),
    )
    program = ProgramRecord(id=80, name="Mercy IM", specialty="Internal Medicine", target=True)
    return StudentRecords(
        id=1,
        match_year=2027,
        target_specialties=("Internal Medicine",),
        contacts=tuple(people),
        rotations=(rotation, quiet),
        programs=(program,),
        ties=(TieRecord(id=90, contact_id=50, kind="trained_at", program_id=80),),
        **student,
    )


def _live_equals_full(records, today, touched_id):
    new = InteractionRecord(id=99_999, contact_id=touched_id, date=today, kind="email")
    after = dataclasses.replace(records, interactions=records.interactions + (new,))
    _, whole, _ = evaluate_touched(
        Answer.of(evaluate(records, today, CONF), records, CONF),
        {touched_id},
        lambda ids: _restrict(after, ids),
        today,
        CONF,
    )
    full = evaluate(after, today, CONF)
    assert sorted(whole.nudges, key=lambda s: s.key) == sorted(full.nudges, key=lambda s: s.key)
    return full


def test_a_target_programs_only_voucher_is_kept_in_view_by_the_live_refresh():
    records = _big_network_with_a_quiet_voucher()
    full = _live_equals_full(records, datetime.date(2027, 2, 1), touched_id=3)
    assert not [s for s in full.nudges if s.key.startswith("gap:programs")]


def test_the_storys_chosen_caller_is_kept_in_view_by_the_live_refresh():
    story = StoryRecord(year=2027, caller_ids=(50,))
    records = _big_network_with_a_quiet_voucher(match_outcome="unmatched", story=story)
    full = _live_equals_full(records, datetime.date(2027, 3, 16), touched_id=3)
    (plan,) = [s for s in full.nudges if s.kind == "soap_plan"]
    # Issue 18: the ladder names only those who can speak; Dr. Quiet (below its depth floor,
    # never offered to vouch) is not named even as the story's choice. Live equals full.
    assert "Dr. Quiet" not in plan.reason


def test_the_red_flag_nudge_names_every_writer_and_leader_in_a_live_refresh():
    """Issue 19: the red-flag nudge names each letter writer and the home PD/APDs. A live
    refresh loads only the touched contacts and the focus set: the nudge must still name the
    writer and the PDs outside it (it reads the whole network's scores, not the records)."""
    writer = ContactRecord(id=60, name="Dr. Writer", role="faculty", created_on=START)
    records = _big_network_with_a_quiet_voucher(
        red_flags=(RedFlagRecord(kind="leave", note="A leave of absence in MS2, for family"),),
    )
    letter = LetterRecord(
        id=61, writer_id=60, status="considering", due=datetime.date(2026, 6, 1), created_on=START
    )
    records = dataclasses.replace(records, contacts=records.contacts + (writer,), letters=(letter,))
    # The earliest ask window (8 weeks before 1 June) opens the nudge on 6 April.
    full = _live_equals_full(records, datetime.date(2026, 4, 10), touched_id=3)
    (flag,) = [s for s in full.nudges if s.key == "letter_ask:red_flag:2027"]
    assert "Dr. Writer" in flag.reason and "Dr. Strong 8" in flag.reason


def test_the_small_action_counts_the_whole_network_in_a_live_refresh():
    """Found by the property test above: "add the people who saw your work" (a network too
    small for an advocate) counted only the contacts a live refresh loads. Three program
    directors, never met; logging one of them must not make the network look empty."""
    contacts = tuple(
        ContactRecord(
            id=pk,
            name=f"Contact 0{pk}",
            role=Role.PROGRAM_DIRECTOR,
            specialty="Internal Medicine",
            institution="Lakeshore",
            city="Chicago",
            setting="academic",
            created_on=START,
        )
        for pk in (1, 2, 3)
    )
    records = StudentRecords(
        id=1,
        match_year=2027,
        target_specialties=("Internal Medicine",),
        target_cities=("Chicago, IL",),
        contacts=contacts,
    )
    _live_equals_full(records, datetime.date(2026, 6, 15), touched_id=1)


def test_a_former_advocate_keeps_the_focus_slot_in_a_live_refresh():
    """Found by the property test: on July 1 of the Match year a would-vouch director's
    evidence no longer holds her tier, but she was an advocate before the quiet months and
    keeps the focus slot (scoring.focus_set); the live refresh must keep her in view too."""
    contacts = tuple(
        ContactRecord(
            id=pk,
            name=f"Contact {pk:02d}",
            role=Role.PROGRAM_DIRECTOR,
            specialty="Internal Medicine",
            institution="Lakeshore",
            city="Chicago",
            setting="academic",
            would_vouch=pk == 3,
            created_on=START,
        )
        for pk in range(1, 11)
    )
    met = datetime.date(2026, 12, 30)
    JULY_1 = datetime.date(2027, 7, 1)  # noqa: N806
    records = StudentRecords(
        id=1,
        match_year=2027,
        target_specialties=("Internal Medicine",),
        target_cities=("Chicago, IL",),
        contacts=contacts,
        interactions=tuple(
            InteractionRecord(pk, who, day, kind, "outbound", context)
            for pk, who, day, kind, context in (
                (1000, 1, JULY_1, "worked_together", "clinical"),
                (1001, 3, met, "worked_together", "clinical"),
                (1002, 1, JULY_1, "worked_together", "clinical"),
                (1003, 3, met, "meeting", "research"),
            )
        ),
    )
    new = InteractionRecord(9999, 1, JULY_1, "worked_together", "outbound", "clinical")
    after = dataclasses.replace(records, interactions=records.interactions + (new,))
    evaluation, _whole, _ = evaluate_touched(
        Answer.of(evaluate(records, JULY_1, CONF), records, CONF),
        {1},
        lambda ids: _restrict(after, ids),
        JULY_1,
        CONF,
    )
    full = evaluate(after, JULY_1, CONF)
    assert evaluation.focus == full.focus
