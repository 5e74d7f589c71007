"""Engine v3 (issue 19), on an advocate/v1 student: a DO student with a red flag and two away
rotations (tests/reminders/students/do_red_flag.json), read on the dates the issue names."""

import datetime
import json
import pathlib

import pytest

from contacts import datafile
from reminders.engine.conf import get_conf
from reminders.engine.red_flags import red_flag_line
from reminders.engine.rules import evaluate
from reminders.evaluation.loader import load_records

D = datetime.date
STUDENTS = pathlib.Path(__file__).parent / "students"
pytestmark = pytest.mark.django_db


@pytest.fixture
def do_student():
    document = json.loads((STUDENTS / "do_red_flag.json").read_text())
    student = datafile.import_document(document).student
    records, _tz = load_records([student.pk])[student.pk]
    return records


def said(records, day):
    return evaluate(records, day, get_conf())


def test_a_would_vouch_letter_writer_is_an_advocate_in_rank_list_season(do_student):
    evaluation = said(do_student, D(2027, 2, 1))
    moss = next(c for c in do_student.contacts if c.name == "Dr. Lena Moss")
    assert evaluation.scores[moss.id].tier == "advocate"
    assert evaluation.progress.advocates >= 1
    assert "0 of" not in evaluation.progress.headline


def test_a_classmate_is_never_named_as_the_one_to_invest_in(do_student):
    for day in (D(2026, 8, 3), D(2026, 11, 2), D(2027, 2, 1)):
        evaluation = said(do_student, day)
        assert "Sam Cole" not in evaluation.progress.next_step
        assert all("Sam Cole (peer)" not in n.reason for n in evaluation.nudges)


def test_the_weak_writer_is_never_told_ask_this_week(do_student):
    for day in (D(2026, 8, 3), D(2026, 8, 24), D(2026, 9, 14), D(2026, 9, 21)):
        asks = [n for n in said(do_student, day).nudges if n.contact_name == "Dr. Elena Vasquez"]
        (ask,) = [n for n in asks if n.kind == "letter_ask"]
        assert "this week" not in ask.reason and "generic" in ask.reason


def test_a_letter_with_a_due_date_is_never_silent_before_it(do_student):
    vasquez = next(c for c in do_student.contacts if c.name == "Dr. Elena Vasquez")
    day = D(2026, 8, 3)  # eight weeks before Sep 28
    while day < D(2026, 9, 28):
        nudges = said(do_student, day).nudges
        assert any(n.contact_id == vasquez.id for n in nudges), day
        day += datetime.timedelta(days=7)


def test_the_red_flag_is_raised_before_letters_are_asked_naming_writers_and_the_pd(do_student):
    found = [
        n
        for day in (D(2026, 4, 6), D(2026, 4, 13), D(2026, 8, 3))
        for n in said(do_student, day).nudges
        if n.key.startswith("letter_ask:red_flag")
    ]
    assert found
    reason = found[0].reason
    assert "Dr. Lena Moss" in reason and "Dr. Ray Ortiz" in reason and "COMLEX" in reason
    assert "in person or by phone" in reason


def test_the_interview_season_brief_and_the_soap_note_carry_the_one_line(do_student):
    assert red_flag_line(do_student) == (
        "Failed COMLEX Level 1 first attempt; passed; Level 2 CE 612"
    )
    briefs = [
        n
        for n in said(do_student, D(2026, 9, 14)).nudges
        if n.key.startswith("cycle_update:applied")
    ]
    assert briefs and all("COMLEX" in n.reason for n in briefs)


def test_no_monthly_gap_after_the_rank_lists_lock_until_residency(do_student):
    for day in (D(2027, 3, 8), D(2027, 3, 15), D(2027, 4, 5), D(2027, 6, 7)):
        kinds = {n.kind for n in said(do_student, day).nudges}
        assert not kinds & {"gap", "invest"}, (day, kinds)
