"""The seasons of a Match year."""

import datetime

import pytest

from reminders.engine.conf import build_conf
from reminders.engine.cycle import cycle_phase, match_calendar

D = datetime.date
CONF = build_conf()


def test_match_year_2027_calendar():
    cal = match_calendar(2027, CONF)
    assert cal.applications_open == D(2026, 6, 1)
    assert cal.programs_receive == D(2026, 9, 24)
    assert (cal.interview_start, cal.interview_end) == (D(2026, 10, 1), D(2027, 1, 31))
    assert cal.rank_deadline == D(2027, 3, 3)  # the first Wednesday of March
    assert cal.match_week_start == D(2027, 3, 15)  # Monday
    assert cal.soap_end == D(2027, 3, 18)  # Thursday
    assert cal.match_day == D(2027, 3, 19)  # the third Friday


@pytest.mark.parametrize(
    ("year", "deadline", "match_day"),
    [
        (2026, D(2026, 3, 4), D(2026, 3, 20)),
        (2028, D(2028, 3, 1), D(2028, 3, 17)),
        (2029, D(2029, 3, 7), D(2029, 3, 16)),  # March 1st is a Thursday
        (2030, D(2030, 3, 6), D(2030, 3, 15)),  # March 1st is a Friday
    ],
)
def test_rank_deadline_and_match_day_in_other_years(year, deadline, match_day):
    cal = match_calendar(year, CONF)
    assert cal.rank_deadline == deadline and cal.rank_deadline.weekday() == 2
    assert cal.match_day == match_day and cal.match_day.weekday() == 4


def test_calendar_dates_are_settings():
    conf = build_conf({"interview_season_start": [9, 15], "programs_receive": [9, 20]})
    cal = match_calendar(2027, conf)
    assert cal.interview_start == D(2026, 9, 15) and cal.programs_receive == D(2026, 9, 20)


def test_backchannel_peak_runs_from_interview_season_to_the_rank_deadline():
    cal = match_calendar(2027, CONF)
    assert not cal.in_backchannel_peak(D(2026, 9, 30))
    assert cal.in_backchannel_peak(D(2026, 10, 1))
    assert cal.in_backchannel_peak(D(2027, 3, 3))
    assert not cal.in_backchannel_peak(D(2027, 3, 4))


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (D(2026, 5, 31), "building"),
        (D(2026, 6, 1), "applications"),
        (D(2026, 9, 23), "applications"),
        (D(2026, 9, 24), "screening"),
        (D(2026, 9, 30), "screening"),
        (D(2026, 10, 1), "interviews"),
        (D(2027, 1, 31), "interviews"),
        (D(2027, 2, 1), "ranking"),
        (D(2027, 3, 3), "ranking"),
        (D(2027, 3, 4), "waiting"),
        (D(2027, 3, 15), "match_week"),
        (D(2027, 3, 18), "match_week"),
        (D(2027, 3, 19), "matched"),
        (D(2027, 7, 1), "residency"),
    ],
)
def test_the_phases_of_a_match_year(day, phase):
    assert cycle_phase(day, match_calendar(2027, CONF)).slug == phase


def test_no_match_year_no_phase():
    assert cycle_phase(D(2026, 6, 1), None).slug == "unknown"
