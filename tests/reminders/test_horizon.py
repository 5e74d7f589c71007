"""The horizon (reminders.engine.horizon) says exactly what asking the engine about each day
ahead says: the weekly email's "coming up" lines, each with the words, due date and stakes of
the day it first shows, over random networks and days, and on a few fixed weeks. The
day-by-day loop below is what the email did before (issue 23): seven evaluations an email."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.vocabulary import Direction, InteractionKind, LetterStatus, Role
from reminders.engine.conf import build_conf
from reminders.engine.horizon import horizon
from reminders.engine.kinds import spec_for
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
from tests.reminders.engine_world import RecordsBuilder

CONF = build_conf()
DAY = datetime.timedelta(days=1)


def day_by_day(records: StudentRecords, today: datetime.date, until: datetime.date, conf):
    """The look-ahead as the email worked it out before: the engine asked about each later day
    (with nothing logged after today), keeping each task said ahead, not asked today, due by
    `until`, on the first day it shows."""
    asked = {spec.key for spec in evaluate(records, today, conf).nudges}
    records = dataclasses.replace(
        records, interactions=tuple(i for i in records.interactions if i.date <= today)
    )
    found = {}
    day = today + DAY
    while day <= until:
        for spec in evaluate(records, day, conf).nudges:
            if (
                spec_for(spec.kind).said_ahead
                and spec.key not in asked
                and spec.key not in found
                and spec.due <= until
            ):
                found[spec.key] = (day, spec)
        day += DAY
    return found


def assert_same(records: StudentRecords, today: datetime.date, until: datetime.date, conf=CONF):
    answer = horizon(records, today, until, conf)
    got = {item.spec.key: (item.day, item.spec) for item in answer.ahead}
    assert got == day_by_day(records, today, until, conf)
    assert [item.spec.key for item in answer.ahead] == [
        key
        for key, (day, spec) in sorted(
            got.items(), key=lambda kv: (-kv[1][1].stakes, kv[1][0], kv[0])
        )
    ]
    # Given today's evaluation, it says the same without evaluating again.
    again = horizon(records, today, until, conf, evaluation=answer.evaluation)
    assert again.ahead == answer.ahead
    return got


# --- Random networks, crowded around the stretch -----------------------------------------------

START = datetime.date(2026, 6, 1)  # a Match-2027 cycle, from June to the residency after


@st.composite
def networks(draw):
    """A student on a day of the Match year, with records crowded around the days ahead: the
    conversations a thank-you or a "give them room" follows, rotations starting and ending,
    letters at every step, planned follow-ups, quiet spells crossing their lines."""
    today = draw(
        st.integers(0, 330).map(lambda n: START + n * DAY)
        # Interview season, the rank list, Match Week and the weeks after, residency.
        | st.integers(0, 12).map(lambda n: datetime.date(2026, 9, 8) + n * DAY)
        | st.integers(0, 12).map(lambda n: datetime.date(2026, 10, 8) + n * DAY)
        | st.integers(0, 40).map(lambda n: datetime.date(2027, 2, 24) + n * DAY)
        | st.integers(0, 60).map(lambda n: datetime.date(2027, 6, 24) + n * DAY)
    )

    def around(before: int, after: int = 0):
        return st.integers(-before, after).map(lambda n: today + n * DAY)

    size = draw(st.integers(1, 12))
    contacts = tuple(
        ContactRecord(
            id=pk,
            name=f"Contact {pk:02d}",
            role=draw(st.sampled_from(Role.values)),
            specialty=draw(st.sampled_from(["Internal Medicine", "Surgery", ""])),
            institution=draw(st.sampled_from(["Lakeshore", "Cascade", ""])),
            would_vouch=draw(st.booleans()),
            archived=draw(st.booleans()) and draw(st.booleans()),
            created_on=draw(st.none() | around(400, 10)),
        )
        for pk in range(1, size + 1)
    )
    ids = [contact.id for contact in contacts]
    # Some long ago (a quiet line or the 12-month window), most lately.
    when = around(30) | around(400) | around(200, 0).map(lambda day: day - 180 * DAY)
    interactions = tuple(
        InteractionRecord(
            id=1000 + n,
            contact_id=draw(st.sampled_from(ids)),
            date=draw(when),
            kind=draw(st.sampled_from(InteractionKind.values)),
            direction=draw(st.sampled_from(Direction.values)),
            context=draw(st.sampled_from(["clinical", "research", "teaching", ""])),
            follow_up_by=draw(st.none() | st.none() | around(5, 40)),
        )
        for n in range(draw(st.integers(0, 45)))
    )
    rotations = []
    for n in range(draw(st.integers(0, 3))):
        start = draw(around(45, 10))
        team = draw(st.lists(st.sampled_from(ids), max_size=4, unique=True))
        rotations.append(
            RotationRecord(
                id=2000 + n,
                name=f"Rotation {n}",
                kind=draw(st.sampled_from(["sub_internship", "core", "research"])),
                start=start,
                end=start + draw(st.integers(6, 34)) * DAY,
                specialty=draw(st.sampled_from(["Internal Medicine", "Surgery", ""])),
                team=tuple(sorted((pk, draw(st.integers(0, 5))) for pk in team)),
            )
        )
    letters = tuple(
        LetterRecord(
            id=3000 + n,
            writer_id=draw(st.sampled_from(ids)),
            status=draw(st.sampled_from(LetterStatus.values)),
            due=draw(st.none() | around(20, 75)),
            asked_on=draw(st.none() | around(40, 5)),
            agreed_on=draw(st.none() | around(30, 5)),
            submitted_on=draw(st.none() | around(20, 5)),
            created_on=draw(st.none() | around(60)),
        )
        for n in range(draw(st.integers(0, 3)))
    )
    programs = tuple(
        ProgramRecord(
            id=4000 + n,
            name=f"Program {n}",
            specialty=draw(st.sampled_from(["Internal Medicine", "Surgery"])),
            institution=draw(st.sampled_from(["Lakeshore", "Cascade", "Mercy"])),
            target=draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 3)))
    )
    ties = tuple(
        TieRecord(
            id=5000 + n,
            contact_id=draw(st.sampled_from(ids)),
            kind=draw(st.sampled_from(["trained_at", "works_at", "knows_someone"])),
            program_id=draw(st.sampled_from([p.id for p in programs])) if programs else None,
            institution="" if programs else "Mercy",
        )
        for n in range(draw(st.integers(0, 4)))
    )
    matched = [p.id for p in programs]
    story = (
        StoryRecord(
            year=2027,
            caller_ids=tuple(draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))),
            matched_program_id=draw(st.sampled_from([None, *matched])),
            saved_on=draw(st.none() | st.just(datetime.date(2027, 3, 12))),
        )
        if draw(st.booleans())
        else None
    )
    red_flags = (
        (RedFlagRecord(kind="exam", note="Step 1 failed once, passed on retake"),)
        if draw(st.booleans())
        else ()
    )
    records = StudentRecords(
        id=1,
        match_year=draw(st.sampled_from([2027, 2027, 2028, None])),
        match_outcome=draw(st.sampled_from(["", "", "matched", "unmatched", "partial"])),
        target_specialties=draw(st.sampled_from([("Internal Medicine",), ("Cardiology",), ()])),
        target_cities=("Chicago, IL",),
        contacts=contacts,
        interactions=interactions,
        rotations=tuple(rotations),
        letters=letters,
        programs=programs,
        ties=ties,
        story=story,
        red_flags=red_flags,
    )
    return records, today, today + draw(st.integers(1, 13)) * DAY


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(networks())
def test_the_horizon_says_what_each_day_ahead_says(network):
    records, today, until = network
    assert_same(records, today, until)


# Settings that take the horizon's other roads: a cadence short enough to show a follow-up
# about a contact on a rotation under way, a grace longer than the step back.
ODD_CONF = build_conf(
    {
        "follow_up_days": 6,
        "keep_warm_days": 20,
        "lookahead_days": 9,
        "thank_you_grace_days": 30,
        "step_back_days": 5,
        "over_contact_window_days": 3,
        "decay_half_after_days": 20,
        "dormant_after_days": 40,
    }
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(networks())
def test_with_other_settings_too(network):
    records, today, until = network
    assert_same(records, today, until, ODD_CONF)


# --- A few weeks, by hand ----------------------------------------------------------------------


def test_a_letters_reminder_on_thursday_is_said_on_monday_with_thursdays_words():
    b = RecordsBuilder(match_year=2027)
    rao = b.contact("Dr. Rao", role="faculty")
    monday = datetime.date(2026, 9, 7)
    # Due in 17 days: the polite reminder comes two weeks ahead, on Thursday; until then the
    # letter is in hand.
    letter = b.letter(
        rao,
        "materials_sent",
        due=monday + 17 * DAY,
        asked_on=monday - 30 * DAY,
        agreed_on=monday - 28 * DAY,
    )
    got = assert_same(b.records(), monday, monday + 6 * DAY)
    day, spec = got[f"letter_reminder:{letter.id}"]
    assert day == monday + 3 * DAY
    assert spec.reason == (
        "Dr. Rao's letter is due Sep 24. One polite reminder two weeks ahead is welcome; "
        "one is enough."
    )
    assert horizon(b.records(), monday, monday + 2 * DAY, CONF).ahead == ()


def test_a_follow_up_held_back_by_a_thank_you_shows_the_day_the_thank_you_stops():
    """One voice per person: the planned follow-up waits while the thank-you is asked, and is
    said ahead from the day the thank-you steps back (here the step back comes first)."""
    b = RecordsBuilder(match_year=2027)
    rao = b.contact("Dr. Rao", role="program_director")
    monday = datetime.date(2026, 6, 1)
    b.interaction(rao, monday - 7 * DAY, kind="meeting", direction="inbound", follow_up_by=monday)
    got = assert_same(b.records(), monday, monday + DAY, ODD_CONF)
    assert [(day, spec.kind) for day, spec in got.values()] == [(monday + DAY, "follow_up")]


def test_nothing_ahead_of_a_quiet_network_and_nothing_for_a_day_before_today():
    b = RecordsBuilder(match_year=2027)
    rao = b.contact("Dr. Rao")
    b.interaction(rao, datetime.date(2026, 9, 1), kind="email")
    today = datetime.date(2026, 9, 7)
    assert horizon(b.records(), today, today, CONF).ahead == ()
    assert assert_same(b.records(), today, today + 6 * DAY) == {}


def test_the_evaluation_must_be_of_the_same_day():
    b = RecordsBuilder(match_year=2027)
    b.contact("Dr. Rao")
    today = datetime.date(2026, 9, 7)
    evaluation = evaluate(b.records(), today, CONF)
    with pytest.raises(ValueError):
        horizon(b.records(), today + DAY, today + 7 * DAY, CONF, evaluation=evaluation)
