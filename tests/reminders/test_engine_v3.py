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


# --- Issue 19, the remaining findings: an MS3 with few contacts, a matched intern -----------


def _student(name):
    document = json.loads((STUDENTS / name).read_text())
    student = datafile.import_document(document).student
    records, _tz = load_records([student.pk])[student.pk]
    return records


@pytest.fixture
def ms3():
    return _student("ms3_few_contacts.json")


@pytest.fixture
def intern():
    return _student("matched_intern.json")


def test_no_city_gap_when_every_contact_is_in_that_city(ms3):
    # "No contacts in Seattle" when all 4 contacts are in Seattle (state spelled out).
    for day in (D(2026, 12, 1), D(2027, 2, 1), D(2027, 6, 1)):
        evaluation = said(ms3, day)
        assert not [g for g in evaluation.gaps if g.kind == "city"], day
        assert all("No contacts in Seattle" not in n.reason for n in evaluation.nudges)


def test_an_ms3_is_never_told_a_generic_line_more_than_four_mondays_running(ms3):
    lines, run, longest, last = [], 0, 0, None
    monday = D(2026, 7, 6)
    while monday < D(2027, 7, 5):
        said_then = [n.reason for n in said(ms3, monday).nudges if n.kind == "small_action"]
        line = said_then[0] if said_then else None
        run = run + 1 if line is not None and line == last else 1
        longest = max(longest, run if line else 0)
        last = line
        lines.append(line)
        monday += datetime.timedelta(days=7)
    assert longest <= 4
    assert any(line and "Surgery clerkship" in line for line in lines)  # new, from the record


def test_the_surgery_clerkship_without_a_team_asks_to_add_its_people(ms3):
    reasons = [n.reason for n in said(ms3, D(2027, 1, 4)).nudges] + [
        n.reason for n in said(ms3, D(2027, 1, 11)).nudges
    ]
    assert any("Add the people you work with on Surgery clerkship" in r for r in reasons)


def test_an_away_rotation_at_a_program_is_a_tie_there(do_student):
    import dataclasses

    from reminders.engine.records import ProgramRecord

    program = ProgramRecord(
        id=999, name="Prairie Regional IM", institution="Prairie Regional", target=True
    )
    records = dataclasses.replace(do_student, programs=(program,))
    for day in (D(2026, 8, 3), D(2026, 10, 5), D(2026, 12, 7)):
        evaluation = said(records, day)
        assert all("Prairie Regional" not in n.reason for n in evaluation.nudges if n.kind == "gap")


def test_two_more_target_programs_is_plural():
    from reminders.engine.records import ProgramRecord
    from reminders.engine.rules.monthly import program_gap_reason

    programs = tuple(ProgramRecord(id=n, name=f"P{n}", target=True) for n in range(3))
    assert "and 2 more target programs yet" in program_gap_reason(programs)
    assert "mores" not in program_gap_reason(programs)


def test_no_city_gap_after_lists_lock_nor_after_matching(intern):
    for day in (D(2027, 3, 8), D(2027, 4, 5), D(2027, 7, 5), D(2027, 10, 4)):
        evaluation = said(intern, day)
        assert not [g for g in evaluation.gaps if g.kind == "city"], day
        assert all("Milwaukee" not in n.reason for n in evaluation.nudges), day


def test_in_intern_orientation_the_progress_line_speaks_of_the_residents_circle(intern):
    evaluation = said(intern, D(2027, 7, 5))
    assert "residency circle at Lakeshore Internal Medicine" in evaluation.progress.headline
    assert evaluation.progress.advocates == 2  # the PD and a chief, met at orientation
    assert "one faculty mentor" in evaluation.progress.next_step
    first = [n for n in evaluation.nudges if n.key == "cycle_update:resident:2027"]
    assert first and "Dr. Miriam Feld" in first[0].reason


def test_no_ask_a_resident_how_they_chose_their_program_for_a_resident_or_after_interviews(
    intern, do_student
):
    monday = D(2026, 11, 2)
    while monday < D(2027, 10, 25):
        for records in (intern, do_student):
            for n in said(records, monday).nudges:
                assert "how they chose their program" not in n.reason, (monday, n.reason)
        monday += datetime.timedelta(days=7)


def test_small_actions_stop_at_the_rank_list_deadline_until_residency(intern):
    monday = D(2027, 3, 8)  # the Monday after the rank-list deadline (Wed Mar 3)
    while monday < D(2027, 6, 28):
        evaluation = said(intern, monday)
        assert not [n for n in evaluation.nudges if n.kind in ("small_action", "gap", "invest")]
        monday += datetime.timedelta(days=7)


def test_the_mentor_becomes_a_sponsor_and_the_fellowship_calendar_speaks(intern):
    october = said(intern, D(2027, 10, 4))
    sponsor = [n for n in october.nudges if n.kind == "invest"]
    assert sponsor and "Dr. Anita Desai" in sponsor[0].reason and "Cardiology" in sponsor[0].reason
    fellowship = [n for n in october.nudges if n.key.startswith("cycle_update:fellowship")]
    assert fellowship and "Jul 1, 2028" in fellowship[0].reason


def test_the_conference_plan_before_during_and_after(intern):
    def plan(day):
        return [n for n in said(intern, day).nudges if ":conference:" in n.key]

    before, during, after = plan(D(2028, 3, 13)), plan(D(2028, 3, 28)), plan(D(2028, 4, 3))
    assert before and "who will be there" in before[0].reason
    assert during and "meet 3\u20135 people" in during[0].reason
    assert after and "within a week" in after[0].reason
