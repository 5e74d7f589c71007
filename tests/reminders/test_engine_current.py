"""Current: every nudge is judged against the day it is shown. A moment that passes retires or
becomes a different, still-true nudge; nothing carries a date already gone; an item left alone
steps back and returns at its next natural moment. (Issue 9, "Never lets go".)"""

import datetime

from tests.reminders.engine_world import RecordsBuilder

D = datetime.date
DAY = datetime.timedelta(days=1)


def mondays(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += 7 * DAY


def vouching_attending(b: RecordsBuilder, name: str, last_day: datetime.date, weeks: int = 8):
    contact = b.contact(name, role="faculty", would_vouch=True)
    b.rotation(f"Sub-I with {name}", last_day - weeks * 7 * DAY + DAY, last_day, [(contact, weeks)])
    b.interaction(contact, last_day, "feedback")
    return contact


def test_no_nudge_ever_carries_a_due_date_in_the_past():
    b = RecordsBuilder(match_year=2027, target_specialties=["Dermatology"])
    rao = vouching_attending(b, "Dr. Rao", D(2026, 6, 30))
    b.interaction(rao, D(2026, 7, 2), "meeting", follow_up_by=D(2026, 7, 20))
    b.letter(rao, "agreed", due=D(2026, 9, 15), agreed_on=D(2026, 7, 20))
    kim = b.contact("Dr. Kim", role="clerkship_director")
    b.letter(kim, "considering", due=D(2026, 10, 1))
    for monday in mondays(D(2026, 6, 1), D(2027, 4, 26)):
        for spec in b.nudges(monday):
            assert spec.due >= monday, (monday, spec)
            assert "overdue" not in spec.reason.lower() and "was due" not in spec.reason.lower()


def test_a_follow_up_left_alone_steps_back_then_returns_one_cadence_later():
    b = RecordsBuilder(match_year=2030)
    rao = vouching_attending(b, "Dr. Rao", D(2026, 6, 1))
    due = D(2026, 6, 1) + 120 * DAY
    assert b.nudges(due + 21 * DAY, "follow_up")
    assert b.nudges(due + 22 * DAY, "follow_up") == []
    returned = b.nudges(due + 113 * DAY, "follow_up")
    assert [(s.contact_id, s.due) for s in returned] == [(rao.id, due + 120 * DAY)]
    assert returned[0].key.endswith(":1")  # a new occasion: a dismissal of the first holds


def test_no_nudge_is_shown_for_two_months_running():
    b = RecordsBuilder(match_year=2027)
    rao = vouching_attending(b, "Dr. Rao", D(2026, 6, 30))
    b.letter(rao, "submitted", due=D(2026, 9, 20), submitted_on=D(2026, 9, 18))
    b.interaction(rao, D(2026, 9, 24), "email", follow_up_by=D(2026, 10, 8))
    runs: dict[str, int] = {}
    longest: dict[str, int] = {}
    for monday in mondays(D(2026, 6, 1), D(2027, 4, 26)):
        keys = {spec.key for spec in b.nudges(monday)}
        runs = {key: runs.get(key, 0) + 1 for key in keys}
        for key, run in runs.items():
            longest[key] = max(longest.get(key, 0), run)
    assert longest and max(longest.values()) <= 4, longest


def test_a_planned_follow_up_never_says_by_a_date_already_gone():
    # "your last note went out on Sep 24, so a month on is the right moment", in March.
    b = RecordsBuilder(match_year=2027)
    rao = vouching_attending(b, "Dr. Rao", D(2026, 8, 30))
    b.interaction(rao, D(2026, 9, 24), "email", follow_up_by=D(2026, 10, 8))
    on_time = b.nudges(D(2026, 10, 20), "follow_up")
    assert "so a month on is the right moment" in on_time[0].reason
    later = b.nudges(D(2026, 11, 2), "follow_up")
    assert later and "Oct 8" not in later[0].reason and "a month on" not in later[0].reason
    for monday in mondays(D(2027, 3, 1), D(2027, 3, 29)):
        for spec in b.nudges(monday, "follow_up"):
            assert "Sep 24" not in spec.reason


def test_programs_are_asking_around_only_while_they_are():
    b = RecordsBuilder(match_year=2027)
    vouching_attending(b, "Dr. Rao", D(2026, 10, 1))
    in_season = b.nudges(D(2026, 12, 28), "follow_up")
    assert in_season and "quietly asking around now" in in_season[0].reason
    # Lists lock Mar 3 2027: after that nothing says programs are asking around (the
    # follow-up comes round again once the Match thanks have had their weeks).
    after = [b.nudges(day) for day in (D(2027, 3, 8), D(2027, 3, 22), D(2027, 4, 19))]
    assert any(spec.kind == "follow_up" for specs in after for spec in specs)
    for specs in after:
        for spec in specs:
            assert "asking around" not in spec.reason


def test_a_letter_ask_past_the_six_week_mark_says_ask_now_or_choose_another_writer():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.rotation("Medicine sub-I", D(2026, 5, 4), D(2026, 5, 31), [(rao, 4)])  # a strong writer
    b.letter(rao, "considering", due=D(2026, 9, 28))  # ask by Aug 17
    (on_time,) = b.nudges(D(2026, 8, 10), "letter_ask")
    assert "by Aug 17" in on_time.reason
    (late,) = b.nudges(D(2026, 8, 24), "letter_ask")
    assert "Aug 17" not in late.reason and "choose another writer" in late.reason
    assert late.due == D(2026, 8, 24)
    # A letter with a due date never goes silent before it (issue 19): no step-back.
    (still,) = b.nudges(D(2026, 9, 14), "letter_ask")
    assert still.due == D(2026, 9, 14) and "choose another writer" in still.reason
    assert b.nudges(D(2026, 9, 28), "letter_ask") == []


def test_a_letter_thank_you_is_not_shown_37_mondays_running():
    b = RecordsBuilder(match_year=2027)
    rao = b.contact("Dr. Rafael Mendes")
    b.letter(rao, "submitted", due=D(2026, 9, 20), submitted_on=D(2026, 9, 18))
    shown = [m for m in mondays(D(2026, 9, 21), D(2027, 6, 1)) if b.nudges(m, "letter_thanks")]
    assert 1 <= len(shown) <= 3


def test_monthly_items_show_in_the_first_two_weeks_only():
    b = RecordsBuilder(target_specialties=["Dermatology"])
    b.contact("Dr. Rao", specialty="Internal Medicine")
    assert b.nudges(D(2026, 9, 7), "gap") and b.nudges(D(2026, 9, 7), "invest")
    assert b.nudges(D(2026, 9, 15), "gap") == [] and b.nudges(D(2026, 9, 15), "invest") == []
    assert b.nudges(D(2026, 9, 21), "gap") == []
    (october,) = b.nudges(D(2026, 10, 5), "gap")
    assert october.key == "gap:2026-10" and october.due >= D(2026, 10, 5)


def test_the_where_you_applied_update_speaks_of_interview_season_as_it_is():
    b = RecordsBuilder(match_year=2027)
    vouching_attending(b, "Dr. Rao", D(2026, 8, 28))
    (before,) = b.nudges(D(2026, 9, 21), "cycle_update")
    assert "Interview season starts Oct 1" in before.reason
    (after,) = b.nudges(D(2026, 10, 5), "cycle_update")
    assert "starts Oct 1" not in after.reason and "has begun" in after.reason


def test_the_letter_reminder_says_two_weeks_ahead_only_while_it_is():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.letter(rao, "materials_sent", due=D(2026, 10, 30), materials_sent_on=D(2026, 9, 1))
    (first,) = b.nudges(D(2026, 10, 16), "letter_reminder")
    assert "two weeks ahead" in first.reason
    (later,) = b.nudges(D(2026, 10, 26), "letter_reminder")
    assert "two weeks ahead" not in later.reason and "due Oct 30, in 4 days" in later.reason
    (last,) = b.nudges(D(2026, 10, 30), "letter_reminder")
    assert "due Oct 30, today" in last.reason
