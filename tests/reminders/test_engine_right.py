"""Right at the moments that matter: each finding of issue 9's "Wrong at the moments that
matter", on the dates given, as `nudges --json` would show it."""

import datetime

from reminders.engine.rules import answers
from reminders.vocabulary import NudgeKind
from tests.reminders.engine_world import RecordsBuilder

D = datetime.date
DAY = datetime.timedelta(days=1)


def kinds_for(b, today, contact):
    return sorted(spec.kind for spec in b.nudges(today) if spec.contact_id == contact.id)


# --- Letters ------------------------------------------------------------------------------


def test_logging_the_writers_yes_does_not_close_send_your_cv_and_draft():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.letter(rao, "agreed", due=D(2026, 10, 15), agreed_on=D(2026, 8, 7))
    yes = b.interaction(rao, D(2026, 8, 7), "letter", direction="inbound")
    (spec,) = b.nudges(D(2026, 8, 8), "letter_materials")
    assert "CV and personal-statement draft" in spec.reason
    assert not answers(NudgeKind.LETTER_MATERIALS, spec.occasion_on, yes)


def test_the_two_weeks_ahead_reminder_is_not_skipped_while_materials_are_missing():
    b = RecordsBuilder()
    cho = b.contact("Dr. Daniel Cho")
    b.letter(cho, "agreed", due=D(2026, 10, 15), agreed_on=D(2026, 8, 7))
    (reminder,) = b.nudges(D(2026, 10, 5), "letter_reminder")
    assert "due Oct 15" in reminder.reason and "CV" in reminder.reason
    assert b.nudges(D(2026, 10, 5), "letter_materials") == []  # one message at a time


def test_the_letter_reminder_never_appears_after_the_due_date():
    b = RecordsBuilder()
    cho = b.contact("Dr. Daniel Cho")
    b.letter(cho, "materials_sent", due=D(2026, 10, 15), materials_sent_on=D(2026, 8, 9))
    assert b.nudges(D(2026, 10, 15), "letter_reminder")[0].key.startswith("letter_reminder:")
    for day in (D(2026, 10, 16), D(2026, 10, 19), D(2026, 10, 26)):
        for spec in b.nudges(day, "letter_reminder"):
            assert not spec.key.startswith("letter_reminder:")
            assert "One polite reminder" not in spec.reason and "has passed" in spec.reason
    assert b.nudges(D(2026, 11, 9), "letter_reminder") == []


# --- The over-texter -------------------------------------------------------------------------


def over_texter():
    b = RecordsBuilder(match_year=2027)
    rao = b.contact("Dr. Rao", role="faculty", would_vouch=True)
    b.rotation("Medicine sub-I", D(2026, 6, 1), D(2026, 6, 28), [(rao, 4)])
    b.letter(rao, "materials_sent", due=D(2026, 9, 28), materials_sent_on=D(2026, 7, 1))
    for day in (14, 15, 16, 17):
        b.interaction(rao, D(2026, 9, day), "email")
    return b, rao


def test_the_over_texter_is_warned_with_the_real_count():
    b, rao = over_texter()
    (warning,) = b.nudges(D(2026, 9, 17), "over_contact")
    assert "4 times" in warning.reason and "3 times" not in warning.reason


def test_the_over_texter_gets_no_other_outreach_for_that_person():
    b, rao = over_texter()
    # Sep 14 is the letter's two-weeks-ahead day: no "one polite reminder" beside the warning.
    assert kinds_for(b, D(2026, 9, 17), rao) == ["over_contact"]
    assert kinds_for(b, D(2026, 9, 21), rao) == ["over_contact"]


def test_the_rank_list_update_keeps_the_30_day_guard():
    b = RecordsBuilder(match_year=2027)  # lists lock Wed Mar 3 2027
    rao = b.contact("Dr. Rao", role="faculty", would_vouch=True)
    b.rotation("Medicine sub-I", D(2026, 12, 1), D(2026, 12, 28), [(rao, 4)])
    kim = b.contact("Dr. Kim", role="clerkship_director", would_vouch=True)
    b.rotation("Medicine clerkship", D(2026, 12, 1), D(2026, 12, 28), [(kim, 4)])
    b.interaction(rao, D(2027, 2, 5), "update")  # 12 days before the update is due
    found = b.nudges(D(2027, 2, 17), "cycle_update")
    assert [spec.contact_id for spec in found] == [kim.id]


# --- The focus set through decay, and dormancy -------------------------------------------------


def sub_i_attending():
    """A would-vouch attending from a 4-week sub-I in June 2026, then quiet."""
    b = RecordsBuilder(match_year=2027)
    rao = b.contact("Dr. Rao", role="faculty", would_vouch=True)
    b.rotation("Medicine sub-I", D(2026, 6, 1), D(2026, 6, 28), [(rao, 4)])
    for day in (8, 15, 22):
        b.interaction(rao, D(2026, 6, day), "feedback")
    b.interaction(rao, D(2026, 6, 28), "meeting", context="research")
    return b, rao


def test_a_would_vouch_attending_keeps_the_focus_slot_when_decay_halves_his_depth():
    b, rao = sub_i_attending()
    assert rao.id in b.evaluate(D(2026, 7, 1)).focus
    evaluation = b.evaluate(D(2027, 1, 4))  # over six months quiet: depth halved
    assert evaluation.scores[rao.id].depth.decay_factor == 0.5
    assert rao.id in evaluation.focus


def test_a_decayed_focus_member_gets_a_re_warm_nudge_in_interview_season():
    b, rao = sub_i_attending()
    shown = [
        spec
        for monday in (D(2026, 12, 28) + 7 * n * DAY for n in range(5))
        for spec in b.nudges(monday, "follow_up")
        if spec.contact_id == rao.id
    ]
    assert shown and "re-warms" in shown[0].reason


def test_a_dormant_former_advocate_gets_one_reconnect():
    b = RecordsBuilder(match_year=2030)
    rao = b.contact("Dr. Rao", role="faculty", would_vouch=True)
    b.rotation("Medicine sub-I", D(2025, 6, 1), D(2025, 7, 26), [(rao, 8)])
    b.interaction(rao, D(2025, 7, 26), "meeting")
    dormant_on = D(2025, 7, 26) + 366 * DAY
    assert b.evaluate(dormant_on).scores[rao.id].tier == "dormant"
    keys = set()
    for day in range(0, 120, 7):
        keys |= {s.key for s in b.nudges(dormant_on + day * DAY, "follow_up")}
    assert len(keys) == 1 and "reconnect" in next(iter(keys))
    (spec,) = b.nudges(dormant_on, "follow_up")
    assert "reconnects you" in spec.reason


# --- Influence counts in the tier ------------------------------------------------------------


def classmates(b, count=10):
    people = []
    for number in range(count):
        peer = b.contact(f"Classmate {number}", role="peer", would_vouch=True)
        b.rotation(f"Study group {number}", D(2026, 9, 1), D(2026, 10, 26), [(peer, 8)])
        for day in (5, 12, 19):
            b.interaction(peer, D(2026, 10, day), "feedback")
        people.append(peer)
    return people


def test_classmates_are_never_counted_as_advocates_nor_take_focus_slots():
    b = RecordsBuilder(match_year=2027)
    peers = classmates(b)
    writer = b.contact("Dr. Writer", role="faculty")
    b.letter(writer, "submitted", due=D(2026, 9, 15), submitted_on=D(2026, 9, 10))
    apd = b.contact("Dr. Home APD", role="associate_program_director", would_vouch=True)
    for contact in (writer, apd):
        b.interaction(contact, D(2026, 10, 13), "feedback")
        b.interaction(contact, D(2026, 10, 20), "meeting", context="research")
    evaluation = b.evaluate(D(2026, 11, 2))
    # The letter writer and the would-vouch APD are advocates on their evidence (issue 19);
    # ten would-vouch classmates are not.
    assert evaluation.progress.advocates == 2
    assert not set(evaluation.focus) & {peer.id for peer in peers}
    assert {writer.id, apd.id} <= set(evaluation.focus)


def test_classmates_are_never_thanked_for_having_spoken_for_you():
    b = RecordsBuilder(match_year=2027, match_outcome="matched")
    peers = classmates(b)
    for peer in peers:
        b.interaction(peer, D(2027, 3, 1), "meeting")
    found = b.nudges(D(2027, 3, 19), "match_thanks")
    assert not {spec.contact_id for spec in found} & {peer.id for peer in peers}


# --- Thank-yous --------------------------------------------------------------------------------


def test_no_thank_you_after_every_routine_weekly_meeting_with_your_pi():
    b = RecordsBuilder()
    pi = b.contact("Dr. PI", role="research_pi")
    weekly = [D(2026, 9, 1) + 7 * n * DAY for n in range(8)]
    for day in weekly:
        b.interaction(pi, day, "meeting", context="research")
    keys = {spec.key for day in weekly for spec in b.nudges(day + DAY, "thank_you")}
    assert keys == {f"thank_you:{pi.id}:2026-09-01"}
    # After a month apart, the next meeting is an occasion again.
    b.interaction(pi, D(2026, 11, 30), "meeting", context="research")
    assert b.nudges(D(2026, 12, 1), "thank_you")


def test_the_rotation_end_thank_you_never_says_before_you_go_after_it_ended():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.rotation("Medicine sub-I", D(2026, 6, 1), D(2026, 6, 28), [(rao, 4)])
    (before,) = b.nudges(D(2026, 6, 22), "thank_you")
    assert "before you go" in before.reason
    (after,) = b.nudges(D(2026, 6, 29), "thank_you")
    assert "before you go" not in after.reason and "ended Jun 28" in after.reason


def test_the_midpoint_ask_and_the_rotation_end_thanks_reach_the_monday_email_before_them():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    # Midpoint Fri Jun 12, last day Fri Jun 26: the Mondays before are Jun 8 and Jun 22.
    b.rotation("Medicine sub-I", D(2026, 5, 30), D(2026, 6, 26), [(rao, 4)])
    (ask,) = b.nudges(D(2026, 6, 8), "feedback")
    assert ask.due == D(2026, 6, 12)
    (thanks,) = b.nudges(D(2026, 6, 22), "thank_you")
    assert thanks.due == D(2026, 6, 28)


def test_a_classmate_is_never_one_of_the_soap_callers():
    b = RecordsBuilder(match_year=2027, match_outcome="unmatched")
    classmates(b, count=3)
    rao = b.contact("Dr. Rao", role="faculty", would_vouch=True)
    b.interaction(rao, D(2027, 2, 1), "meeting")
    (plan,) = b.nudges(D(2027, 3, 15), "soap_plan")
    # Issue 18: during SOAP the plan names the people to tell, never a program.
    assert "Tell your people (Dr. Rao)" in plan.reason and "Classmate" not in plan.reason


def test_a_close_classmate_is_kept_warm_though_never_an_advocate():
    b = RecordsBuilder(match_year=2030)
    (peer,) = classmates(b, count=1)
    evaluation = b.evaluate(D(2026, 11, 2))
    assert evaluation.scores[peer.id].depth.value >= 50
    assert evaluation.scores[peer.id].tier == "developing"
    (warm,) = b.nudges(D(2026, 10, 19) + 180 * DAY, "follow_up")
    assert warm.contact_id == peer.id and "keeps that warm" in warm.reason


def test_match_week_holds_routine_follow_ups_and_small_actions():
    b = RecordsBuilder(match_year=2027, match_outcome="unmatched")
    rao = b.contact("Dr. Rao", role="faculty", would_vouch=True)
    b.rotation("Medicine sub-I", D(2026, 9, 7), D(2026, 10, 4), [(rao, 4)])
    # He wrote in February; the student planned to follow up in Match Week.
    b.interaction(rao, D(2027, 2, 10), "email", direction="inbound", follow_up_by=D(2027, 3, 16))
    # Mon Mar 15 2027 to Sun Mar 21: the SOAP plan and the thanks, nothing routine.
    for day in range(7):
        kinds = {spec.kind for spec in b.nudges(D(2027, 3, 15) + day * DAY)}
        assert not kinds & {"follow_up", "small_action"}, (day, kinds)
    assert b.nudges(D(2027, 3, 15), "soap_plan")
    # The week after, a would-vouch attending is an advocate (issue 19: evidence counts), so
    # the planned follow-up comes back as the after-Match thanks, one voice for the person.
    assert not b.nudges(D(2027, 3, 22), "follow_up")
    (back,) = b.nudges(D(2027, 3, 22), "match_thanks")
    assert back.contact_id == rao.id and "Mar 16" not in back.reason
