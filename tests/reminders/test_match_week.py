"""Match Week, as the engine says it (issue 11): the dates of several Match years, the story
the Friday before, the outcome on Monday, a SOAP step for each day, the SOAP plan's limits
(at most 3 people, at most 5 programs each, never a program without a tie), and after the
Match: where you matched, the resident's next circle, the next cycle."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reminders.engine.conf import build_conf
from reminders.engine.cycle import match_calendar
from reminders.engine.match_week import match_week_days, soap_plan
from reminders.engine.rules import evaluate
from reminders.engine.scoring import index_records, score_contacts
from reminders.engine.vouch import vouchers_for
from tests.reminders.engine_world import RecordsBuilder
from tests.reminders.test_engine_rules import advocate, developing, one

D = datetime.date
DAY = datetime.timedelta(days=1)
CONF = build_conf()


# --- The dates ----------------------------------------------------------------------------------

# Match Day is the third Friday of March; Match Week its Monday to Friday; the story window
# opens the Friday before.
MATCH_WEEKS = {
    2025: (D(2025, 3, 14), D(2025, 3, 17), D(2025, 3, 21)),
    2026: (D(2026, 3, 13), D(2026, 3, 16), D(2026, 3, 20)),
    2027: (D(2027, 3, 12), D(2027, 3, 15), D(2027, 3, 19)),
    2028: (D(2028, 3, 10), D(2028, 3, 13), D(2028, 3, 17)),
    2029: (D(2029, 3, 9), D(2029, 3, 12), D(2029, 3, 16)),
    2030: (D(2030, 3, 8), D(2030, 3, 11), D(2030, 3, 15)),
}


@pytest.mark.parametrize("year", sorted(MATCH_WEEKS))
def test_match_week_dates_for_several_years(year):
    story_from, monday, friday = MATCH_WEEKS[year]
    days = match_week_days(match_calendar(year, CONF))
    assert (days.story_from, days.monday, days.friday) == (story_from, monday, friday)
    assert (story_from.weekday(), monday.weekday(), friday.weekday()) == (4, 0, 4)


@pytest.mark.parametrize("year", sorted(MATCH_WEEKS))
def test_the_story_the_friday_before_and_the_outcome_on_monday_every_year(year):
    story_from, monday, _friday = MATCH_WEEKS[year]
    b = RecordsBuilder(match_year=year)
    advocate(b, "Dr. Rao", D(year - 1, 8, 28))

    def moments(day):
        return [spec.key.split(":")[1] for spec in b.nudges(day, "cycle_update")]

    # Until the Thursday before, the calm "if SOAP happens" kit (issue 18); then the story.
    assert moments(story_from - DAY) == ["soap_ready"]
    assert moments(story_from) == ["match_story"]
    assert "match_outcome" not in moments(monday - DAY)
    assert "match_outcome" in moments(monday)
    assert "Dr. Rao" in one(b, story_from, "cycle_update").reason


def test_a_saved_story_makes_the_weekend_calm_and_a_recorded_outcome_ends_the_question():
    b = RecordsBuilder(match_year=2027)
    rao = advocate(b, "Dr. Rao", D(2026, 8, 28))
    b.tell_story(2027, [rao], specialties=("Internal Medicine",), pitch="a steady sub-I")
    assert b.nudges(D(2027, 3, 13), "cycle_update") == []
    monday = b.nudges(D(2027, 3, 15), "cycle_update")
    assert [spec.key for spec in monday] == ["cycle_update:match_outcome:2027"]
    assert "NRMP email" in monday[0].reason
    b.student["match_outcome"] = "matched"
    assert b.nudges(D(2027, 3, 15), "cycle_update") == []
    assert b.nudges(D(2027, 3, 15), "soap_plan") == []


def test_last_years_story_is_not_this_years():
    b = RecordsBuilder(match_year=2027)
    advocate(b, "Dr. Rao", D(2026, 8, 28))
    b.tell_story(2026)
    assert one(b, D(2027, 3, 12), "cycle_update").key == "cycle_update:match_story:2027"


# --- Each day of SOAP ---------------------------------------------------------------------------


def soap_student(outcome="unmatched"):
    """Two advocates and a developing attending, each tied to programs in and out of range."""
    b = RecordsBuilder(
        match_year=2027, match_outcome=outcome, target_specialties=("Internal Medicine",)
    )
    rao = advocate(b, "Dr. Rao", D(2026, 8, 28), role="program_director")
    lee = advocate(b, "Dr. Lee", D(2026, 9, 28))
    kim = developing(b, "Dr. Kim", D(2026, 10, 28))
    lakeshore = b.program("Lakeshore IM")
    cascade = b.program("Cascade IM")
    derm = b.program("Cascade Dermatology", specialty="Dermatology")
    b.tie(rao, lakeshore, "trained_at")
    b.tie(rao, derm, "works_at")  # not in range: never in the plan
    b.tie(lee, cascade, "knows_someone", note="the PD, a co-resident")
    b.tie(kim, lakeshore, "knows_someone")  # Dr. Rao's is the stronger tie: his call
    return b, rao, lee, kim


STEPS = {
    D(2027, 3, 15): ("SOAP, Monday: Tell your people; apply", "Tell your people (Dr. Rao"),
    D(2027, 3, 16): ("SOAP, Tuesday: Programs review applications", "Answer any program"),
    D(2027, 3, 17): ("SOAP, Wednesday: Interviews and preference lists", "preference lists"),
    D(2027, 3, 18): ("SOAP, Thursday: Offer rounds", "12:00 PM ET, 3:00 PM ET, 6:00 PM ET"),
}


@pytest.mark.parametrize("day", sorted(STEPS))
def test_each_day_of_soap_has_its_own_allowed_step_and_the_rule(day):
    b, *_ = soap_student()
    spec = one(b, day, "soap_plan")
    opening, words = STEPS[day]
    assert spec.reason.startswith(opening) and words in spec.reason
    assert "in SOAP nobody contacts a program for you until it contacts you" in spec.reason
    assert spec.due == day and spec.key == f"soap_plan:2027:{day.isoformat()}"
    others = [one(b, other, "soap_plan").reason for other in STEPS if other != day]
    assert spec.reason not in others


def test_from_friday_to_the_monday_after_one_free_contact_plan():
    b, *_ = soap_student()
    assert b.nudges(D(2027, 3, 14), "soap_plan") == []
    for day in (D(2027, 3, 19), D(2027, 3, 20), D(2027, 3, 22)):
        spec = one(b, day, "soap_plan")
        assert spec.key == "soap_plan:2027:free_contact"
        assert spec.reason.startswith("SOAP is over: you may now contact unfilled programs")
        assert "Dr. Rao (program director) could call Lakeshore IM" in spec.reason
        assert "Dr. Lee (attending) could call Cascade IM" in spec.reason
        assert "Dermatology" not in spec.reason
    assert b.nudges(D(2027, 3, 23), "soap_plan") == []


def test_during_soap_no_program_is_named_until_it_contacts_the_student():
    b, rao, lee, kim = soap_student()
    for day in STEPS:
        assert "IM" not in one(b, day, "soap_plan").reason
    cascade = next(p for p in b.records().programs if p.name == "Cascade IM")
    b.tell_story(2027, contacted_program_ids=(cascade.id,))
    reason = one(b, D(2027, 3, 16), "soap_plan").reason
    assert "Cascade IM contacted you, so it is now within the rules for Dr. Lee" in reason
    assert "Lakeshore IM" not in reason


def test_a_preliminary_year_is_worded_as_one():
    b, *_ = soap_student(outcome="partial")
    reason = one(b, D(2027, 3, 15), "soap_plan").reason
    assert "preliminary year" in reason and "advanced position for July 2028" in reason


SOAP_TUESDAY = D(2027, 3, 16)
SOAP_FRIDAY = D(2027, 3, 19)


def plan_of(b, today=SOAP_TUESDAY):
    records = b.records()
    scores = score_contacts(index_records(records, today), CONF)
    return soap_plan(records, scores, match_calendar(2027, CONF), today, CONF), records, scores


def test_after_soap_the_plan_gives_each_program_to_the_one_best_placed():
    b, rao, lee, kim = soap_student()
    plan, _records, _scores = plan_of(b)
    assert all(not helper.calls for helper in plan.helpers)  # SOAP: nobody calls anyone
    plan, _records, _scores = plan_of(b, SOAP_FRIDAY)
    calls = {helper.name: [call.program.name for call in helper.calls] for helper in plan.helpers}
    assert calls == {"Dr. Rao": ["Lakeshore IM"], "Dr. Lee": ["Cascade IM"], "Dr. Kim": []}
    assert [step.today for step in plan.timeline] == [False, False, False, False, True]


def test_the_students_chosen_callers_are_the_plan():
    b, rao, lee, kim = soap_student()
    b.tell_story(2027, [kim, lee])
    plan, _records, _scores = plan_of(b, SOAP_FRIDAY)
    assert [helper.name for helper in plan.helpers] == ["Dr. Lee", "Dr. Kim"]
    # Dr. Kim now calls Lakeshore: Dr. Rao is not calling.
    assert [call.program.name for call in plan.helpers[1].calls] == ["Lakeshore IM"]


def test_the_note_is_filled_in_from_the_story_and_the_students_own_edit_wins():
    b, rao, *_ = soap_student()
    b.tell_story(
        2027, [rao], pitch="a fourth-year at Lakeshore with a medicine sub-I behind me",
        scores="Step 1 pass, Step 2 CK 238", red_flag="",
    )  # fmt: skip
    plan, _records, _scores = plan_of(b)
    assert plan.note_is_template
    assert "I am Ada Student, a fourth-year at Lakeshore" in plan.note
    assert "Step 2 CK 238." in plan.note
    assert "no leaves of absence or professionalism concerns" in plan.note
    assert "available to start on July 1, 2027" in plan.note
    assert "Dr. Rao (program director) knows my work" in plan.note
    assert len(plan.note.split()) < 130  # brief: no life story
    b.tell_story(2027, [rao], note="Dear Dr. Ames, my own words.")
    plan, _records, _scores = plan_of(b)
    assert plan.note == "Dear Dr. Ames, my own words." and not plan.note_is_template


def test_a_partial_matchs_note_speaks_of_the_advanced_position_after_the_preliminary_year():
    b, rao, *_ = soap_student(outcome="partial")
    plan, _records, _scores = plan_of(b)
    assert "July 1, 2027" not in plan.note.replace("preliminary year on July 1, 2027", "")
    assert "the advanced position after it, in July 2028" in plan.note


# --- The plan's limits, on any network ------------------------------------------------------------

ROLES = ["program_director", "chair", "faculty", "clerkship_director", "peer", "staff", "dean"]
KINDS = ["trained_at", "works_at", "knows_someone"]


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(
        st.tuples(st.sampled_from(ROLES), st.integers(1, 10), st.booleans()),
        min_size=0,
        max_size=12,
    ),
    programs=st.lists(st.sampled_from(["Internal Medicine", "Surgery", ""]), max_size=14),
    ties=st.lists(
        st.tuples(st.integers(0, 11), st.integers(0, 13), st.sampled_from(KINDS)), max_size=40
    ),
    chosen=st.lists(st.integers(0, 11), max_size=5),
)
def test_the_plan_never_names_more_than_3_people_or_5_programs_each_or_an_untied_program(
    people, programs, ties, chosen
):
    b = RecordsBuilder(
        match_year=2027, match_outcome="unmatched", target_specialties=("Internal Medicine",)
    )
    contacts = [
        developing(b, f"Dr. {n}", D(2027, 1, 10), role=role, weeks=weeks, would_vouch=vouch)
        for n, (role, weeks, vouch) in enumerate(people)
    ]
    made = [b.program(f"Program {n}", specialty=s) for n, s in enumerate(programs)]
    for person, program, kind in ties:
        if person < len(contacts) and program < len(made):
            b.tie(contacts[person], made[program], kind)
    if contacts and chosen:
        b.tell_story(2027, [contacts[n % len(contacts)] for n in chosen])
    for day in (SOAP_TUESDAY, SOAP_FRIDAY):
        plan, records, scores = plan_of(b, day)
        assert len(plan.helpers) <= CONF.soap_contacts
        called = [call.program.id for helper in plan.helpers for call in helper.calls]
        assert len(called) == len(set(called))  # one caller per program
        for helper in plan.helpers:
            assert len(helper.calls) <= CONF.soap_programs_max
            assert helper.score.contact.role not in ("peer", "staff")
            assert day == SOAP_FRIDAY or not helper.calls  # nobody calls during SOAP
            for call in helper.calls:
                assert call.program.specialty in ("Internal Medicine", "")
                tied = vouchers_for(call.program, [helper.score], records.ties, CONF)
                assert tied, f"{helper.name} has no tie to {call.program.name}"
        # The engine's nudge names no one the plan does not.
        for spec in evaluate(records, day, CONF).nudges:
            if spec.kind == "soap_plan":
                for score in scores.values():
                    if score.contact.name + " (" in spec.reason:
                        assert score.contact.id in {h.score.contact.id for h in plan.helpers}


def test_with_nobody_to_speak_the_plan_is_calm_and_sends_no_mass_email():
    b = RecordsBuilder(match_year=2027, match_outcome="unmatched")
    b.contact("Sam Peer", role="peer")
    reason = one(b, D(2027, 3, 15), "soap_plan").reason
    assert "Tell your advisor and your letter writers" in reason
    assert "dean" not in reason.lower()
    friday = one(b, SOAP_FRIDAY, "soap_plan").reason
    assert "A mass email from your school is ignored" in friday


# --- After the Match ------------------------------------------------------------------------


def test_a_matched_student_is_asked_where_then_given_the_next_circle_in_july():
    b = RecordsBuilder(match_year=2027, match_outcome="matched")
    advocate(b, "Dr. Rao", D(2026, 8, 28))
    match_day = D(2027, 3, 19)
    assert b.nudges(match_day - DAY, "cycle_update") == []
    where = one(b, match_day, "cycle_update")
    assert (
        where.key == "cycle_update:matched_program:2027" and "Where did you match" in where.reason
    )
    lakeshore = b.program("Lakeshore IM")
    b.tell_story(2027, matched_program_id=lakeshore.id)
    assert b.nudges(match_day, "cycle_update") == []
    assert b.nudges(D(2027, 6, 30), "cycle_update") == []
    july = one(b, D(2027, 7, 1), "cycle_update")
    assert july.key == "cycle_update:resident:2027"
    assert "Residency starts at Lakeshore IM" in july.reason
    assert "program director, your chiefs and one faculty mentor" in july.reason
    assert "fellowship" in july.reason
    assert b.nudges(D(2027, 7, 23), "cycle_update") == []


def test_a_student_who_did_not_match_is_offered_the_next_cycle_a_week_after():
    b = RecordsBuilder(match_year=2027, match_outcome="unmatched")
    advocate(b, "Dr. Rao", D(2026, 8, 28))
    assert b.nudges(D(2027, 3, 25), "cycle_update") == []
    spec = one(b, D(2027, 3, 26), "cycle_update")
    assert "next Match" in spec.reason and "can help again" in spec.reason


# --- The target programs nobody can vouch at -----------------------------------------------------


def test_a_target_program_nobody_can_vouch_at_is_the_months_gap_until_the_rank_lists_lock():
    b = RecordsBuilder(match_year=2027)
    rao = advocate(b, "Dr. Rao", D(2026, 8, 28))
    covered = b.program("Lakeshore IM", target=True)
    b.program("Lake Michigan IM", target=True, place="Milwaukee, WI")
    b.program("Not on my list IM")
    b.tie(rao, covered)

    def program_gaps(day):
        return [s for s in b.nudges(day, "gap") if s.key.startswith("gap:programs")]

    (spec,) = program_gaps(D(2027, 2, 1))
    assert "vouch for you at Lake Michigan IM (Milwaukee, WI)" in spec.reason
    assert "Lakeshore" not in spec.reason and "Not on my list" not in spec.reason
    assert program_gaps(D(2027, 2, 15)) == []  # a monthly reflection, not a standing task
    assert program_gaps(D(2027, 3, 1))  # the rank list is not locked yet (Mar 3)
    assert program_gaps(D(2027, 4, 1)) == []


def test_an_unrecorded_outcome_is_asked_once_more_from_match_day_then_let_go():
    b = RecordsBuilder(match_year=2027)
    advocate(b, "Dr. Rao", D(2026, 8, 28))
    friday = one(b, D(2027, 3, 19), "cycle_update")
    assert (
        friday.key == "cycle_update:match_outcome:2027" and "How did the Match go" in friday.reason
    )
    assert one(b, D(2027, 4, 9), "cycle_update").due == D(2027, 4, 9)
    assert b.nudges(D(2027, 4, 10), "cycle_update") == []
