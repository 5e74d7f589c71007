"""The calendar feed's coming week (reminders.calendar.ahead): what the engine will first ask over
the next days, worked out by a worker and read back by the feed, which evaluates no one; one
event from the look ahead to the nudge it becomes (the same UID); nothing stale after a change;
never what the student dismissed; a fixed number of queries."""

import datetime

import icalendar
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from contacts.models import LetterRequest
from crm.events import records_changed
from reminders import tasks
from reminders.calendar import ahead
from reminders.calendar.feed import occasion_uid
from reminders.models import LookAhead, Nudge, NudgeState
from tests.factories import ContactFactory, LetterRequestFactory

# The worker is asked, and runs when a test says so.
pytestmark = [pytest.mark.django_db, pytest.mark.refresh_worker_idle]
MONDAY = datetime.datetime(2027, 9, 6, 15, tzinfo=datetime.UTC)  # 10:00 in Chicago
FRIDAY = datetime.date(2027, 9, 10)
HOST = "testserver.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = f"https://{HOST}"


@pytest.fixture
def asked(monkeypatch):
    """The students a worker was asked to look ahead for."""
    calls = []
    monkeypatch.setattr(tasks.look_ahead, "delay", lambda student_id: calls.append(student_id))
    return calls


@pytest.fixture
def shah(student):
    """A letter due Fri Sep 24 with its materials sent: its polite reminder opens two weeks
    ahead, on Fri Sep 10, later in the week of Monday Sep 6."""
    writer = ContactFactory(owner=student, name="Dr. Shah", role="faculty")
    LetterRequestFactory(
        owner=student, writer=writer, due=datetime.date(2027, 9, 24), materials_sent=True
    )
    return writer


def events(student) -> dict[str, icalendar.Event]:
    response = Client().get(reverse("reminders:calendar_feed", args=[student.calendar_token]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    found = [event for event in calendar.walk("VEVENT") if str(event["UID"]).startswith("nudge-")]
    by_uid = {str(event["UID"]): event for event in found}
    assert len(by_uid) == len(found), "two events with one UID"
    return by_uid


def reminder_key(student) -> str:
    [item] = LookAhead.objects.get(owner=student).items
    return item["key"]


def test_a_worker_looks_ahead_and_the_feed_shows_the_reminder_on_its_day(student, shah, asked):
    with time_machine.travel(MONDAY, tick=False):
        assert events(student) == {}  # nothing looked at yet: served without, a worker asked
        assert asked == [student.pk]
        assert tasks.look_ahead(student.pk) == 1  # the worker
        shown = events(student)
        assert len(asked) == 1  # the week it stored is today's: nobody asked again
    uid = occasion_uid(student.pk, reminder_key(student), HOST)
    assert list(shown) == [uid]
    event = shown[uid]
    assert event.decoded("DTSTART") == FRIDAY
    assert str(event["SUMMARY"]) == "Letter reminder: Dr. Shah"
    assert "Dr. Shah" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"https://{HOST}/contacts/{shah.pk}/"

    # Friday: the day's refresh has made it a nudge; the calendar keeps one event, the same UID.
    with time_machine.travel(MONDAY + datetime.timedelta(days=4), tick=False):
        tasks.refresh_student(student.pk)
        assert Nudge.objects.filter(owner=student, key=reminder_key(student)).exists()
        shown = events(student)  # with whatever else Friday asks
        assert shown[uid].decoded("DTSTART") == FRIDAY


def test_a_feed_request_evaluates_no_one(student, shah, asked, monkeypatch):
    def no(*args, **kwargs):
        raise AssertionError("a feed request evaluated a network")

    with time_machine.travel(MONDAY, tick=False):
        tasks.look_ahead(student.pk)
        monkeypatch.setattr(ahead, "horizon", no)
        monkeypatch.setattr(ahead, "load_records", no)
        assert len(events(student)) == 1
        LookAhead.objects.all().delete()
        assert events(student) == {}
    assert asked == [student.pk]


def test_after_a_change_the_coming_week_waits_for_the_worker_to_look_again(student, shah, asked):
    with time_machine.travel(MONDAY, tick=False):
        tasks.look_ahead(student.pk)
        assert len(events(student)) == 1
        # The letter went in: its reminder will never come.
        letter = LetterRequest.objects.get(owner=student)
        letter.status = "submitted"
        letter.submitted_on = MONDAY.date()
        letter.save()
        records_changed(owner_id=student.pk)  # as the letter's service does after its write
        assert events(student) == {}
        assert asked == [student.pk]
        tasks.look_ahead(student.pk)
        assert events(student) == {}
        assert LookAhead.objects.get(owner=student).items == []


def test_an_earlier_days_week_still_shows_what_is_ahead_and_asks_for_a_fresh_one(
    student, shah, asked
):
    with time_machine.travel(MONDAY, tick=False):
        tasks.look_ahead(student.pk)
    with time_machine.travel(MONDAY + datetime.timedelta(days=2), tick=False):  # Wednesday
        assert len(events(student)) == 1  # Friday's reminder: still exact, the records as they were
        assert asked == [student.pk]
    with time_machine.travel(MONDAY + datetime.timedelta(days=5), tick=False):  # Saturday
        assert events(student) == {}  # its day has passed: the nudge (or nothing) says it now


def test_never_what_the_student_dismissed(student, shah, asked):
    with time_machine.travel(MONDAY, tick=False):
        tasks.look_ahead(student.pk)
        Nudge.objects.create(
            owner=student, kind="letter_reminder", contact=shah, key=reminder_key(student),
            occasion_on=FRIDAY, due=FRIDAY, reason="Remind Dr. Shah.",
            state=NudgeState.DISMISSED,
        )  # fmt: skip
        assert events(student) == {}


def test_the_feed_reads_the_coming_week_in_a_fixed_number_of_queries(
    student, asked, django_assert_num_queries
):
    with time_machine.travel(MONDAY, tick=False):
        for number in range(4):
            writer = ContactFactory(owner=student, name=f"Dr. {number}", role="faculty")
            LetterRequestFactory(
                owner=student, writer=writer, due=datetime.date(2027, 9, 22 + number),
                materials_sent=True,
            )  # fmt: skip
        tasks.look_ahead(student.pk)
        assert len(LookAhead.objects.get(owner=student).items) == 4
        # The student by token, the coming week, which of its keys are stored, their contacts,
        # the nudges with their contacts, the letters with their writers.
        with django_assert_num_queries(6):
            assert len(events(student)) == 4
