"""How the engine reads a student's records (reminders.selectors.load_records): every field the
rules read, from a plain cursor for the big interactions table, in a fixed number of queries."""

import datetime

import pytest
import time_machine

from reminders.engine.conf import build_conf
from reminders.engine.records import InteractionRecord
from reminders.engine.rules import evaluate
from reminders.evaluation.loader import load_records
from reminders.nudges import services
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    LetterRequestFactory,
    RotationFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_interactions_are_read_with_every_field_the_rules_use(student):
    rao = ContactFactory(owner=student, name="Dr. Rao")
    meeting = InteractionFactory(
        owner=student, contact=rao, date=D(2026, 6, 10), kind="meeting", direction="inbound",
        context="research", follow_up_by=D(2026, 7, 1),
    )  # fmt: skip
    email = InteractionFactory(
        owner=student, contact=rao, date=D(2026, 6, 12), kind="email", context=""
    )
    records, tz = load_records([student.pk])[student.pk]
    assert tz == student.timezone
    assert sorted(records.interactions) == [
        InteractionRecord(meeting.pk, rao.pk, D(2026, 6, 10), "meeting", "inbound", "research",
                          D(2026, 7, 1)),
        InteractionRecord(email.pk, rao.pk, D(2026, 6, 12), "email", "outbound", "", None),
    ]  # fmt: skip
    assert all(type(record) is InteractionRecord for record in records.interactions)


def test_the_day_a_record_was_added_is_its_utc_date(student):
    # 23:30 in Chicago on 9 June is 04:30 UTC on 10 June: the stored (UTC) date counts.
    with time_machine.travel(datetime.datetime(2026, 6, 10, 4, 30, tzinfo=datetime.UTC)):
        contact = ContactFactory(owner=student)
        LetterRequestFactory(owner=student, writer=contact)
    records, _tz = load_records([student.pk])[student.pk]
    assert records.contacts[0].created_on == D(2026, 6, 10)
    assert records.letters[0].created_on == D(2026, 6, 10)


def test_each_student_gets_only_their_own_records(student, other_student):
    mine = InteractionFactory(owner=student)
    theirs = InteractionFactory(owner=other_student)
    loaded = load_records([student.pk, other_student.pk])
    assert [i.id for i in loaded[student.pk][0].interactions] == [mine.pk]
    assert [i.id for i in loaded[other_student.pk][0].interactions] == [theirs.pk]


def test_no_students_is_no_records_and_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert load_records([]) == {}
    assert services.refresh_students([]).students == 0


def test_loading_takes_ten_queries_whatever_the_number_of_students(django_assert_num_queries):
    students = [UserFactory() for _ in range(3)]
    for student in students:
        rotation = RotationFactory(owner=student)
        TeamMemberFactory(rotation=rotation, contact=ContactFactory(owner=student))
        InteractionFactory(owner=student)
        LetterRequestFactory(owner=student)
    # Students, contacts with institution, interactions, team members, rotations, letters,
    # programs, ties, Match stories (and whom a story would call, only when there is one), red
    # flags.
    with django_assert_num_queries(10):
        loaded = load_records([student.pk for student in students])
    assert len(loaded) == 3


def test_without_nudges_the_engine_says_the_same_about_where_the_student_stands(student):
    rao = ContactFactory(owner=student, name="Dr. Rao", role="clerkship_director")
    rotation = RotationFactory(owner=student, start=D(2026, 6, 1), end=D(2026, 6, 28))
    TeamMemberFactory(rotation=rotation, contact=rao, weeks_together=4)
    InteractionFactory(owner=student, contact=rao, date=D(2026, 6, 20), kind="feedback")
    records, _tz = load_records([student.pk])[student.pk]
    full = evaluate(records, D(2026, 7, 1), build_conf())
    lean = evaluate(records, D(2026, 7, 1), build_conf(), with_nudges=False)
    assert (lean.scores, lean.focus, lean.progress, lean.phase) == (
        full.scores,
        full.focus,
        full.progress,
        full.phase,
    )
    assert full.nudges and lean.nudges == () and lean.gaps == ()
