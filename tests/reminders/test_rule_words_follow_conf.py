"""Every number a nudge's sentence mentions is the setting's: change the setting and the
sentence follows (the defaults read as they always have, see test_engine_rules.py)."""

import dataclasses
import datetime

import pytest

from reminders.engine.conf import build_conf
from reminders.engine.scoring import depth_for, index_records
from tests.reminders.engine_world import RecordsBuilder

D = datetime.date
DEFAULTS = build_conf()


def _reason(b: RecordsBuilder, today: datetime.date, kind: str, **settings) -> str:
    conf = dataclasses.replace(DEFAULTS, **settings)
    (spec,) = b.nudges(today, kind, conf=conf)
    return spec.reason


def _met(b: RecordsBuilder, kind: str):
    rao = b.contact("Dr. Rao")
    b.interaction(rao, D(2026, 7, 1), kind=kind)
    return rao


@pytest.mark.parametrize(
    ("days", "words"), [(2, "within two days"), (1, "within one day"), (4, "within four days")]
)
def test_the_thank_you_after_a_meeting_names_thank_you_meeting_days(days, words):
    b = RecordsBuilder()
    _met(b, "meeting")
    assert words in _reason(b, D(2026, 7, 1), "thank_you", thank_you_meeting_days=days)


@pytest.mark.parametrize(("days", "words"), [(3, "within three days"), (5, "within five days")])
def test_the_thank_you_after_a_conference_names_thank_you_conference_days(days, words):
    b = RecordsBuilder()
    _met(b, "conference")
    assert words in _reason(b, D(2026, 7, 1), "thank_you", thank_you_conference_days=days)


@pytest.mark.parametrize(
    ("weeks", "words"), [(6, "at least six weeks"), (4, "at least four weeks")]
)
def test_the_letter_ask_names_letter_ask_deadline_weeks(weeks, words):
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.rotation("Medicine sub-I", D(2026, 5, 4), D(2026, 5, 31), [(rao, 4)])  # a strong writer
    b.letter(rao, "considering", purpose="residency", due=D(2026, 9, 30))
    reason = _reason(b, D(2026, 8, 10), "letter_ask", letter_ask_deadline_weeks=weeks)
    assert words in reason


@pytest.mark.parametrize(("days", "words"), [(3, "within three days"), (7, "within seven days")])
def test_the_letter_materials_nudge_names_letter_materials_days(days, words):
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.letter(rao, "agreed", agreed_on=D(2026, 8, 1), due=D(2026, 9, 30))
    assert words in _reason(b, D(2026, 8, 2), "letter_materials", letter_materials_days=days)


@pytest.mark.parametrize(("weeks", "words"), [(2, "two weeks ahead"), (3, "three weeks ahead")])
def test_the_letter_reminder_names_letter_reminder_weeks(weeks, words):
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.letter(rao, "asked", asked_on=D(2026, 8, 1), due=D(2026, 9, 30))
    # On the day it becomes due ("two weeks ahead" is true then, not on Sep 25).
    today = D(2026, 9, 30) - datetime.timedelta(weeks=weeks)
    assert words in _reason(b, today, "letter_reminder", letter_reminder_weeks=weeks)


@pytest.mark.parametrize(
    ("days", "words"), [(7, "3 times in a week"), (14, "3 times in two weeks")]
)
def test_the_over_contact_warning_names_its_window(days, words):
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    for day in (1, 3, 5):
        b.interaction(rao, D(2026, 7, day), kind="email", direction="outbound")
    reason = _reason(b, D(2026, 7, 5), "over_contact", over_contact_window_days=days)
    assert words in reason


def test_the_over_contact_warning_names_its_count():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    for day in (1, 2, 3, 4):
        b.interaction(rao, D(2026, 7, day), kind="email", direction="outbound")
    assert "4 times in a week" in _reason(b, D(2026, 7, 4), "over_contact", over_contact_count=4)


@pytest.mark.parametrize(("days", "words"), [(30, "a month on"), (14, "two weeks on")])
def test_a_planned_follow_up_moved_by_the_guardrail_names_outreach_quiet_days(days, words):
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.interaction(
        rao, D(2026, 7, 1), kind="email", direction="outbound", follow_up_by=D(2026, 7, 3)
    )
    today = D(2026, 7, 1) + datetime.timedelta(days=days - 1)  # the day before it is due
    reason = _reason(b, today, "follow_up", outreach_quiet_days=days)
    assert f"so {words} is the right moment" in reason


def _advocate_outside_focus(b: RecordsBuilder, last: datetime.date):
    """Six advocates (one more than the focus set holds): the weakest is kept warm instead.
    (A senior resident: a peer is never an advocate.)"""
    people = []
    for number in range(6):
        role = "senior_resident" if number == 5 else "faculty"
        person = b.contact(f"Dr. {chr(65 + number)}", role=role)
        b.rotation(f"Rotation {number}", last - datetime.timedelta(days=55), last, [(person, 8)])
        for offset in (1, 2):
            b.interaction(person, last - datetime.timedelta(days=offset), kind="feedback")
        b.interaction(person, last, kind="meeting", context="research")
        people.append(person)
    return people


@pytest.mark.parametrize(("days", "words"), [(180, "every six months"), (90, "every three months")])
def test_the_keep_warm_follow_up_names_keep_warm_days(days, words):
    b = RecordsBuilder()
    _advocate_outside_focus(b, D(2026, 3, 1))
    today = D(2026, 3, 1) + datetime.timedelta(days=days)
    conf = dataclasses.replace(DEFAULTS, keep_warm_days=days, follow_up_days=1000)
    reasons = [
        s.reason for s in b.nudges(today, "follow_up", conf=conf) if "keeps that warm" in s.reason
    ]
    assert reasons and all(f"A short hello {words} keeps that warm." in r for r in reasons)


@pytest.mark.parametrize(("days", "words"), [(180, "twice a year"), (120, "three times a year")])
def test_more_advocates_than_the_goal_names_keep_warm_days(days, words):
    b = RecordsBuilder()
    _advocate_outside_focus(b, D(2026, 3, 1))
    conf = dataclasses.replace(DEFAULTS, keep_warm_days=days)
    progress = b.evaluate(D(2026, 3, 2), conf).progress
    assert progress.advocates > conf.focus_max
    assert f"keep the others warm with an update {words}." in progress.next_step


@pytest.mark.parametrize(
    ("setting", "days", "quiet", "words"),
    [
        ("decay_half_after_days", 182, 200, "Quiet for over six months: depth counts half"),
        ("decay_half_after_days", 91, 100, "Quiet for over three months: depth counts half"),
        ("decay_quarter_after_days", 365, 400, "Quiet for over a year: depth counts a quarter"),
        ("decay_quarter_after_days", 730, 800, "Quiet for over two years: depth counts a quarter"),
    ],
)
def test_the_decay_words_name_the_decay_settings(setting, days, quiet, words):
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.interaction(rao, D(2026, 1, 1), kind="meeting")
    conf = dataclasses.replace(DEFAULTS, **{setting: days}, dormant_after_days=10_000)
    today = D(2026, 1, 1) + datetime.timedelta(days=quiet)
    if setting == "decay_quarter_after_days":
        conf = dataclasses.replace(conf, decay_half_after_days=days - 1)
    depth = depth_for(rao, index_records(b.records(), today), conf)
    assert depth.decay_detail == words


@pytest.mark.parametrize(
    ("weeks", "words"), [(6, "less than six weeks away"), (4, "less than four weeks away")]
)
def test_the_late_letter_ask_names_letter_ask_deadline_weeks(weeks, words):
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.rotation("Medicine sub-I", D(2026, 5, 4), D(2026, 5, 31), [(rao, 4)])  # a strong writer
    b.letter(rao, "considering", purpose="residency", due=D(2026, 9, 30))
    # A day past the mark, whatever the mark is.
    today = D(2026, 9, 30) - datetime.timedelta(weeks=weeks) + datetime.timedelta(days=1)
    reason = _reason(b, today, "letter_ask", letter_ask_deadline_weeks=weeks)
    assert words in reason and "choose another writer" in reason


@pytest.mark.parametrize(("days", "words"), [(365, "over a year"), (730, "over two years")])
def test_the_reconnect_names_dormant_after_days(days, words):
    b = RecordsBuilder(match_year=2035)
    rao = b.contact("Dr. Rao", would_vouch=True)
    b.rotation("Medicine sub-I", D(2025, 6, 1), D(2025, 7, 26), [(rao, 8)])
    today = D(2025, 7, 26) + datetime.timedelta(days=days + 1)
    conf = dataclasses.replace(DEFAULTS, dormant_after_days=days, decay_quarter_after_days=days)
    (spec,) = b.nudges(today, "follow_up", conf=conf)
    assert f"it's been {words}" in spec.reason
