"""Each rule of the pure engine on the days around its edges: the day before, of and after.

No database and no clock: records are built in memory and every call names its `today`."""

import datetime

import pytest

from reminders.engine.conf import build_conf
from reminders.engine.records import InteractionRecord
from reminders.engine.rules import answers
from reminders.vocabulary import NudgeKind
from tests.reminders.engine_world import RecordsBuilder

D = datetime.date
DAY = datetime.timedelta(days=1)


def developing(b, name, last_day, role="faculty", weeks=4, **fields):
    """A contact who worked `weeks` weeks with the student, the rotation ending `last_day`."""
    contact = b.contact(name, role=role, **fields)
    start = last_day - datetime.timedelta(weeks=weeks) + DAY
    b.rotation(f"Rotation with {name}", start, last_day, [(contact, weeks)])
    return contact


def advocate(b, name, last_day, role="faculty"):
    # 8 weeks together (40 points) and "would vouch": an advocate.
    return developing(b, name, last_day, role=role, weeks=8, would_vouch=True)


def kinds(specs):
    return [spec.kind for spec in specs]


def one(b, today, kind):
    found = b.nudges(today, kind)
    assert len(found) == 1, found
    return found[0]


# --- Follow-up cadence --------------------------------------------------------------------


def test_follow_up_is_due_120_days_after_last_contact_and_shows_a_week_ahead():
    b = RecordsBuilder(match_year=2030)
    rao = developing(b, "Dr. Rao", D(2026, 6, 1))
    due = D(2026, 6, 1) + datetime.timedelta(days=120)  # 2026-09-29
    assert b.nudges(due - 8 * DAY, "follow_up") == []
    spec = one(b, due - 7 * DAY, "follow_up")
    assert (spec.contact_id, spec.due) == (rao.id, due)
    assert "4 months since you last spoke with Dr. Rao" in spec.reason
    # Left alone it is shown as due today (never "was due"), then steps back after three
    # weeks (test_engine_current.py: and returns one cadence later).
    assert one(b, due + DAY, "follow_up").due == due + DAY
    assert one(b, due + 21 * DAY, "follow_up")
    assert b.nudges(due + 22 * DAY, "follow_up") == []


def test_follow_up_is_90_days_when_it_lands_in_interview_season():
    b = RecordsBuilder(match_year=2027)  # interview season from 2026-10-01
    developing(b, "Dr. Rao", D(2026, 8, 1))
    spec = one(b, D(2026, 10, 30), "follow_up")
    assert spec.due == D(2026, 10, 30)
    assert "asking around" in spec.reason


def test_follow_up_is_120_days_when_90_would_land_before_the_season():
    b = RecordsBuilder(match_year=2027)
    developing(b, "Dr. Rao", D(2026, 6, 1))
    # (Without the "where you applied" update, which would speak to Dr. Rao instead.)
    conf = build_conf({"cycle_applied_lead_days": 0, "cycle_applied_grace_days": 0})
    found = b.nudges(D(2026, 9, 29), "follow_up", conf=conf)
    assert [spec.due for spec in found] == [D(2026, 9, 29)]


def test_follow_up_is_answered_by_any_later_interaction():
    b = RecordsBuilder(match_year=2030)
    rao = developing(b, "Dr. Rao", D(2026, 6, 1))
    b.interaction(rao, D(2026, 9, 25), "email")
    assert b.nudges(D(2026, 9, 29), "follow_up") == []


def test_acquaintances_get_no_cadence_follow_up():
    b = RecordsBuilder(match_year=2030)
    lee = b.contact("Dr. Lee")
    b.interaction(lee, D(2026, 1, 10), "email")
    assert b.nudges(D(2026, 9, 1), "follow_up") == []


def test_dormant_contacts_get_no_follow_up():
    b = RecordsBuilder(match_year=2030)
    developing(b, "Dr. Rao", D(2025, 1, 31))
    evaluation = b.evaluate(D(2026, 2, 1))
    assert evaluation.scores[1].tier == "dormant"
    assert kinds(evaluation.nudges).count("follow_up") == 0


def test_advocates_outside_the_focus_set_get_a_180_day_keep_warm():
    b = RecordsBuilder(match_year=2030)
    for number in range(6):
        advocate(b, f"Dr. A{number}", D(2026, 3, 1) + number * DAY)
    evaluation = b.evaluate(D(2026, 6, 1))
    outside = [pk for pk, score in evaluation.scores.items() if pk not in evaluation.focus]
    assert len(evaluation.focus) == 5 and len(outside) == 1
    last = evaluation.scores[outside[0]].depth.last_contact_on
    keep_warm = last + datetime.timedelta(days=180)
    found = [s for s in b.nudges(keep_warm - 7 * DAY, "follow_up") if s.contact_id == outside[0]]
    assert [s.due for s in found] == [keep_warm]
    assert "every six months" in found[0].reason
    early = b.nudges(keep_warm - 8 * DAY, "follow_up")
    assert outside[0] not in [s.contact_id for s in early]


def test_planned_follow_up_date_is_honoured_but_never_within_30_days_of_outreach():
    b = RecordsBuilder(match_year=2030)
    lee = b.contact("Dr. Lee")
    b.interaction(lee, D(2026, 7, 1), "email", follow_up_by=D(2026, 7, 8))
    assert b.nudges(D(2026, 7, 8), "follow_up") == []
    assert b.nudges(D(2026, 7, 23), "follow_up") == []
    spec = one(b, D(2026, 7, 24), "follow_up")
    assert spec.due == D(2026, 7, 31)  # 30 days after the email, not 7
    assert "by Jul 8; your last note went out on Jul 1, so a month on" in spec.reason


def test_planned_follow_up_later_than_30_days_keeps_its_date():
    b = RecordsBuilder(match_year=2030)
    lee = b.contact("Dr. Lee")
    b.interaction(lee, D(2026, 7, 1), "meeting", follow_up_by=D(2026, 8, 15))
    spec = one(b, D(2026, 8, 10), "follow_up")
    assert spec.due == D(2026, 8, 15)
    assert "You planned to follow up with Dr. Lee by Aug 15" in spec.reason


# --- Thank-yous -----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "within"), [("meeting", 2), ("call", 2), ("feedback", 2)])
def test_thank_you_within_48_hours_of_a_meeting(kind, within):
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.interaction(rao, D(2026, 7, 10), kind)
    assert b.nudges(D(2026, 7, 9), "thank_you") == []
    spec = one(b, D(2026, 7, 10), "thank_you")
    assert spec.due == D(2026, 7, 10) + within * DAY
    assert spec.key == f"thank_you:{rao.id}:2026-07-10"
    assert one(b, D(2026, 7, 19), "thank_you")  # a week's grace after due
    assert b.nudges(D(2026, 7, 20), "thank_you") == []  # then it is moot


def test_thank_you_72_hours_after_a_conference_conversation():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.interaction(rao, D(2026, 7, 10), "conference")
    assert one(b, D(2026, 7, 10), "thank_you").due == D(2026, 7, 13)


def test_a_thank_you_note_answers_the_thank_you():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.interaction(rao, D(2026, 7, 10), "meeting")
    b.interaction(rao, D(2026, 7, 11), "thank_you")
    assert b.nudges(D(2026, 7, 11), "thank_you") == []


def test_emails_do_not_ask_for_a_thank_you():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.interaction(rao, D(2026, 7, 10), "email")
    assert b.nudges(D(2026, 7, 10), "thank_you") == []


def test_thank_you_at_rotation_end_for_people_worked_closely_with():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    nurse = b.contact("Sam", role="staff")
    brief = b.contact("Dr. Brief")
    b.rotation("Medicine sub-I", D(2026, 7, 1), D(2026, 7, 28), [(rao, 4), (nurse, 2), (brief, 1)])
    # Shown the rotation's last week, so the Monday email before the end carries it.
    assert b.nudges(D(2026, 7, 20), "thank_you") == []
    found = b.nudges(D(2026, 7, 21), "thank_you")
    assert {spec.contact_id for spec in found} == {rao.id, nurse.id}
    assert all(spec.due == D(2026, 7, 30) for spec in found)
    assert len(b.nudges(D(2026, 8, 6), "thank_you")) == 2
    assert b.nudges(D(2026, 8, 7), "thank_you") == []


def test_thanks_when_a_letter_is_submitted():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.letter(rao, "submitted", due=D(2026, 9, 15), submitted_on=D(2026, 9, 10))
    assert b.nudges(D(2026, 9, 9), "letter_thanks") == []
    assert one(b, D(2026, 9, 10), "letter_thanks").due == D(2026, 9, 12)
    # Not for a season: it steps back three weeks after it fell due (the Match thanks is
    # its next moment).
    assert one(b, D(2026, 10, 3), "letter_thanks").due == D(2026, 10, 3)
    assert b.nudges(D(2026, 10, 4), "letter_thanks") == []


def test_a_thanked_letter_needs_nothing():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.letter(rao, "thanked", due=D(2026, 9, 15), submitted_on=D(2026, 9, 10))
    assert b.nudges(D(2026, 9, 12), "letter_thanks") == []


# --- Mid-rotation feedback ------------------------------------------------------------------


def test_feedback_at_the_midpoint_asks_the_supervising_contacts():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao", role="faculty")
    kim = b.contact("Dr. Kim", role="senior_resident")
    peer = b.contact("Pat", role="peer")
    nurse = b.contact("Sam", role="staff")
    team = [(rao, 4), (kim, 4), (peer, 4), (nurse, 4)]
    b.rotation("Medicine sub-I", D(2026, 7, 1), D(2026, 7, 28), team)
    midpoint = D(2026, 7, 14)
    # A week ahead, so the Monday email before the midpoint carries it.
    assert b.nudges(midpoint - 8 * DAY, "feedback") == []
    found = b.nudges(midpoint - 7 * DAY, "feedback")
    assert {spec.contact_id for spec in found} == {rao.id, kim.id}
    assert {spec.due for spec in found} == {midpoint}
    assert "halfway through Medicine sub-I" in found[0].reason
    assert len(b.nudges(D(2026, 7, 28), "feedback")) == 2
    assert b.nudges(D(2026, 7, 29), "feedback") == []


def test_no_feedback_nudge_once_feedback_happened_on_the_rotation():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    kim = b.contact("Dr. Kim", role="senior_resident")
    b.rotation("Medicine sub-I", D(2026, 7, 1), D(2026, 7, 28), [(rao, 4), (kim, 4)])
    b.interaction(kim, D(2026, 7, 8), "feedback")
    assert b.nudges(D(2026, 7, 14), "feedback") == []


def test_no_feedback_nudge_on_a_one_week_rotation():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.rotation("Clinic week", D(2026, 7, 1), D(2026, 7, 7), [(rao, 1)])
    assert b.nudges(D(2026, 7, 4), "feedback") == []


# --- Letters --------------------------------------------------------------------------------


def test_letter_ask_appears_8_weeks_before_due_if_still_considering():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.rotation("Medicine sub-I", D(2026, 5, 4), D(2026, 5, 31), [(rao, 4)])  # a strong writer
    b.letter(rao, "considering", due=D(2026, 9, 15))
    eight_weeks = D(2026, 9, 15) - datetime.timedelta(weeks=8)
    assert b.nudges(eight_weeks - DAY, "letter_ask") == []
    spec = one(b, eight_weeks, "letter_ask")
    assert spec.due == D(2026, 9, 15) - datetime.timedelta(weeks=6)
    assert "at least six weeks" in spec.reason
    # Past the six-week mark it says what is true now, every week until the due date: a
    # letter with a deadline never goes silent before it (issue 19).
    late = one(b, D(2026, 8, 5), "letter_ask")
    assert late.due == D(2026, 8, 5) and "choose another writer" in late.reason
    assert "by Aug 4" not in late.reason
    assert one(b, D(2026, 8, 25), "letter_ask")
    assert one(b, D(2026, 9, 14), "letter_ask").due == D(2026, 9, 14)
    assert b.nudges(D(2026, 9, 15), "letter_ask") == []


def test_letter_materials_within_3_days_of_agreed():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.letter(rao, "agreed", due=D(2026, 9, 15), agreed_on=D(2026, 7, 22), materials=("photo",))
    assert b.nudges(D(2026, 7, 21), "letter_materials") == []
    spec = one(b, D(2026, 7, 22), "letter_materials")
    assert spec.due == D(2026, 7, 25)
    assert "CV and personal-statement draft" in spec.reason


def test_one_letter_reminder_two_weeks_before_due_if_not_submitted():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.letter(rao, "materials_sent", due=D(2026, 9, 15), materials_sent_on=D(2026, 7, 24))
    # Before it, the letter is in hand: one quiet line, never silence (issue 19).
    assert one(b, D(2026, 8, 31), "letter_reminder").key == "letter_wait:2"
    assert one(b, D(2026, 9, 1), "letter_reminder").due == D(2026, 9, 1)
    assert one(b, D(2026, 9, 15), "letter_reminder").key == "letter_reminder:2"
    # After the due date: no reminder, one "has it gone in?" check for three weeks.
    check = one(b, D(2026, 9, 16), "letter_reminder")
    assert check.key == "letter_check:2" and "has passed" in check.reason
    assert b.nudges(D(2026, 10, 7), "letter_reminder") == []


def test_no_letter_reminder_once_submitted():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.letter(rao, "submitted", due=D(2026, 9, 15), submitted_on=D(2026, 9, 20))
    assert b.nudges(D(2026, 9, 5), "letter_reminder") == []


# --- Cycle moments --------------------------------------------------------------------------


def cycle_student(**student):
    b = RecordsBuilder(match_year=2027, **student)
    rao = advocate(b, "Dr. Rao", D(2026, 8, 28))
    kim = developing(b, "Dr. Kim", D(2026, 8, 28), role="senior_resident")
    return b, rao, kim


def test_before_interview_season_tell_the_focus_set_where_you_applied():
    b, rao, kim = cycle_student()
    assert b.nudges(D(2026, 9, 9), "cycle_update") == []
    found = b.nudges(D(2026, 9, 10), "cycle_update")
    assert {spec.contact_id for spec in found} == {rao.id, kim.id}
    assert {spec.due for spec in found} == {D(2026, 9, 30)}
    assert "where you applied" in found[0].reason
    assert len(b.nudges(D(2026, 10, 14), "cycle_update")) == 2
    assert b.nudges(D(2026, 10, 15), "cycle_update") == []


def test_before_the_rank_list_deadline_a_brief_update():
    b, rao, kim = cycle_student()
    b.interaction(rao, D(2027, 1, 10), "email")
    b.interaction(kim, D(2027, 1, 10), "email")
    deadline = D(2027, 3, 3)
    assert b.nudges(deadline - 29 * DAY, "cycle_update") == []
    found = b.nudges(deadline - 28 * DAY, "cycle_update")
    assert {spec.due for spec in found} == {deadline - 14 * DAY}
    assert "Rank-list" in found[0].reason
    assert b.nudges(deadline, "cycle_update")
    # The day after, only the calm "if SOAP happens" kit (issue 18).
    after = b.nudges(deadline + DAY, "cycle_update")
    assert [spec.key for spec in after] == ["cycle_update:soap_ready:2027"]


@pytest.mark.parametrize("outcome", ["unmatched", "partial"])
def test_soap_plan_in_match_week_names_the_strongest_contacts(outcome):
    b, rao, kim = cycle_student(match_outcome=outcome)
    for number in range(3):
        developing(b, f"Dr. Extra{number}", D(2027, 2, 1), role="peer")
    monday, wednesday, friday = D(2027, 3, 15), D(2027, 3, 17), D(2027, 3, 19)
    assert b.nudges(monday - DAY, "soap_plan") == []
    spec = one(b, monday, "soap_plan")
    assert spec.contact_id is None and spec.due == monday
    # Issue 18: Dr. Kim, quiet since August (depth 10, below the ladder's floor, never
    # offered to vouch), is not named; Dr. Rao (would vouch) is.
    assert "Dr. Rao" in spec.reason and "Dr. Kim" not in spec.reason
    assert "Extra" not in spec.reason  # a classmate's call is not a backchannel
    assert "Wednesday" in one(b, wednesday, "soap_plan").reason
    # Issue 18: from Friday, SOAP is over: the free-contact plan, through the Monday after.
    assert "SOAP is over" in one(b, friday, "soap_plan").reason
    assert one(b, friday + 3 * DAY, "soap_plan").key == "soap_plan:2027:free_contact"
    assert b.nudges(friday + 4 * DAY, "soap_plan") == []


def test_no_soap_plan_for_a_matched_student():
    b, _rao, _kim = cycle_student(match_outcome="matched")
    assert b.nudges(D(2027, 3, 15), "soap_plan") == []


def test_after_match_day_thank_every_letter_writer_and_advocate():
    b, rao, kim = cycle_student(match_outcome="matched")
    writer = b.contact("Dr. Writer", role="program_director")
    b.letter(writer, "thanked", due=D(2026, 9, 15))
    b.interaction(rao, D(2027, 2, 10), "update")  # kept warm, so still an advocate
    match_day = D(2027, 3, 19)
    assert b.nudges(match_day - DAY, "match_thanks") == []
    found = b.nudges(match_day, "match_thanks")
    assert {spec.contact_id for spec in found} == {rao.id, writer.id}
    assert {spec.due for spec in found} == {match_day + 7 * DAY}
    assert "You matched." in found[0].reason and "where you are going" in found[0].reason


# --- Over-contact guardrail -----------------------------------------------------------------


def test_over_contact_warning_after_three_outreaches_in_a_week_without_reply():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    for day in (1, 3, 7):
        b.interaction(rao, D(2026, 7, day), "email")
    assert b.nudges(D(2026, 7, 6), "over_contact") == []
    spec = one(b, D(2026, 7, 7), "over_contact")
    assert spec.key == f"over_contact:{rao.id}:2026-07-07"
    assert one(b, D(2026, 7, 13), "over_contact")
    assert b.nudges(D(2026, 7, 14), "over_contact") == []


def test_no_over_contact_warning_when_they_replied():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    for day in (1, 3):
        b.interaction(rao, D(2026, 7, day), "email")
    b.interaction(rao, D(2026, 7, 4), "email", direction="inbound")
    b.interaction(rao, D(2026, 7, 7), "email")
    assert b.nudges(D(2026, 7, 7), "over_contact") == []


def test_no_over_contact_warning_when_spread_over_more_than_a_week():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    for day in (1, 4, 8):
        b.interaction(rao, D(2026, 7, day), "email")
    assert b.nudges(D(2026, 7, 8), "over_contact") == []


# --- Invest, gaps and one small action ------------------------------------------------------


def test_invest_names_whom_to_deepen_when_fewer_than_three_advocates():
    b = RecordsBuilder(match_year=2030)
    advocate(b, "Dr. Rao", D(2026, 6, 1))
    kim = developing(b, "Dr. Kim", D(2026, 6, 1), role="clerkship_director")
    spec = one(b, D(2026, 6, 8), "invest")
    assert spec.key == "invest:2026-06" and spec.contact_id is None
    assert "You have 1 deep advocate; 3\u20135 is the goal." in spec.reason
    assert "Dr. Kim (clerkship director) is closest" in spec.reason
    assert "asking for feedback" in spec.reason
    assert b.evaluate(D(2026, 6, 8)).progress.candidate_ids[0] == kim.id


def test_no_invest_nudge_with_three_advocates():
    b = RecordsBuilder(match_year=2030)
    for name in ("Dr. A", "Dr. B", "Dr. C"):
        advocate(b, name, D(2026, 6, 1))
    assert b.nudges(D(2026, 6, 15), "invest") == []
    assert b.evaluate(D(2026, 6, 15)).progress.headline == "3 of 3\u20135 deep advocates"


def test_monthly_gap_check_names_missing_specialty_city_setting_and_roles():
    b = RecordsBuilder(target_specialties=["Dermatology"], target_cities=["Boston, MA"])
    b.contact(
        "Dr. Rao", specialty="Internal Medicine", city="Chicago", state="IL", setting="academic"
    )
    evaluation = b.evaluate(D(2026, 6, 15))
    assert {gap.kind for gap in evaluation.gaps} == {"specialty", "city", "setting", "role_group"}
    spec = one(b, D(2026, 6, 3), "gap")
    assert spec.key == "gap:2026-06" and spec.due == D(2026, 6, 7)
    # The month's first two weeks, then it retires (never "Was due Jun 7").
    assert one(b, D(2026, 6, 14), "gap").due == D(2026, 6, 14)
    assert b.nudges(D(2026, 6, 15), "gap") == []
    assert "Dermatology" in spec.reason
    assert one(b, D(2026, 7, 1), "gap").key == "gap:2026-07"


def test_no_gap_when_the_network_is_diverse():
    b = RecordsBuilder(target_specialties=["Internal Medicine"], target_cities=["Chicago, IL"])
    b.contact(
        "Dr. Rao", specialty="Internal Medicine", city="Chicago", state="IL", setting="academic"
    )
    b.contact("Dr. Kim", role="senior_resident", setting="community")
    assert b.evaluate(D(2026, 6, 15)).gaps == ()


def test_one_small_action_a_week_when_nothing_else_is_due():
    b = RecordsBuilder()
    monday = D(2026, 6, 15)
    keys = {spec.key for day in range(7) for spec in b.nudges(monday + day * DAY, "small_action")}
    assert keys == {"small_action:2026-06-15"}
    assert one(b, monday, "small_action").due == monday + 6 * DAY


def test_no_small_action_when_something_is_due_this_week():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.interaction(rao, D(2026, 6, 15), "meeting")
    found = kinds(b.nudges(D(2026, 6, 15)))
    assert "thank_you" in found and "small_action" not in found


def test_one_message_per_person_a_follow_up_gives_way_to_a_cycle_update():
    b, rao, _kim = cycle_student()
    found = [spec for spec in b.nudges(D(2026, 9, 20)) if spec.contact_id == rao.id]
    assert kinds(found) == ["cycle_update"]


# --- What answers what ----------------------------------------------------------------------


def interaction(day, kind="email", direction="outbound"):
    return InteractionRecord(id=1, contact_id=1, date=day, kind=kind, direction=direction)


@pytest.mark.parametrize(
    ("kind", "logged", "expected"),
    [
        ("follow_up", interaction(D(2026, 7, 2)), True),
        ("follow_up", interaction(D(2026, 7, 1)), False),
        ("thank_you", interaction(D(2026, 7, 1), "thank_you"), True),
        ("thank_you", interaction(D(2026, 7, 1), "email"), False),
        ("thank_you", interaction(D(2026, 7, 2), "email"), True),
        ("feedback", interaction(D(2026, 7, 2), "feedback"), True),
        ("feedback", interaction(D(2026, 7, 2), "email"), False),
        ("over_contact", interaction(D(2026, 7, 2), "email", "inbound"), True),
        ("over_contact", interaction(D(2026, 7, 2), "email"), False),
        ("letter_thanks", interaction(D(2026, 7, 2), "thank_you"), True),
        ("cycle_update", interaction(D(2026, 7, 2), "update"), True),
        ("match_thanks", interaction(D(2026, 6, 30), "thank_you"), False),
        ("gap", interaction(D(2026, 7, 2)), False),
    ],
)
def test_which_interactions_answer_a_nudge(kind, logged, expected):
    assert answers(kind, D(2026, 7, 1), logged) is expected


def test_every_nudge_kind_is_in_the_contract_vocabulary():
    assert list(NudgeKind.values) == [
        "follow_up", "thank_you", "feedback", "letter_ask", "letter_materials",
        "letter_reminder", "letter_thanks", "cycle_update", "match_thanks", "soap_plan",
        "over_contact", "invest", "small_action", "gap",
    ]  # fmt: skip


def test_thresholds_come_from_the_settings_passed_in():
    b = RecordsBuilder(match_year=2030)
    developing(b, "Dr. Rao", D(2026, 6, 1))
    conf = build_conf({"follow_up_days": 100})
    due = D(2026, 6, 1) + datetime.timedelta(days=100)
    assert [s.due for s in b.nudges(due, "follow_up", conf=conf)] == [due]
