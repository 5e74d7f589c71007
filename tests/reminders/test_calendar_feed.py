"""The private ICS feed: parsed back with `icalendar`; all-day events for open nudges and the
due dates of letters still in play; stable UIDs; no private notes; a 404 for a wrong or
regenerated token; no session needed."""

import datetime

import icalendar
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reminders.calendar.feed import occasion_uid
from reminders.models import Nudge, NudgeKind, NudgeState
from tests.factories import AdvisorFactory, ContactFactory, LetterRequestFactory

# The stored nudges' feed: the coming week's worker does not run here (that is
# test_calendar_ahead.py).
pytestmark = [pytest.mark.django_db, pytest.mark.refresh_worker_idle]
NOW = datetime.datetime(2027, 8, 2, 15, tzinfo=datetime.UTC)


@pytest.fixture
def records(student):
    rao = ContactFactory(owner=student, name="Dr. Rao", notes="PRIVATE: divorce, do not mention")
    follow_up = Nudge.objects.create(
        owner=student, kind=NudgeKind.FOLLOW_UP, contact=rao, key=f"follow_up:{rao.pk}:2027-04-01",
        occasion_on=datetime.date(2027, 4, 1), due=datetime.date(2027, 8, 10),
        reason="4 months since you last spoke with Dr. Rao: a 3-line update keeps you in mind.",
    )  # fmt: skip
    late = Nudge.objects.create(
        owner=student, kind=NudgeKind.FEEDBACK, contact=rao, key=f"feedback:{rao.pk}:2027-07-26",
        occasion_on=datetime.date(2027, 7, 26), due=datetime.date(2027, 7, 28),
        reason="Halfway through medicine: ask Dr. Rao for feedback.",
    )  # fmt: skip
    # No date of their own: not calendar events.
    for kind, reason in (
        (NudgeKind.SMALL_ACTION, "Attend grand rounds and introduce yourself to one speaker."),
        (NudgeKind.INVEST, "Invest in Dr. Rao: the strongest voice you could have."),
        (NudgeKind.GAP, "Nobody in your network works in a community hospital."),
    ):
        Nudge.objects.create(
            owner=student, kind=kind, key=f"{kind}:2027-08-02", reason=reason,
            occasion_on=datetime.date(2027, 8, 2), due=datetime.date(2027, 8, 2),
        )  # fmt: skip
    Nudge.objects.create(
        owner=student, kind=NudgeKind.THANK_YOU, contact=rao, key="thank_you:done",
        occasion_on=datetime.date(2027, 7, 1), due=datetime.date(2027, 7, 3),
        reason="Thank Dr. Rao.", state=NudgeState.DONE,
    )  # fmt: skip
    letter = LetterRequestFactory(
        owner=student, writer=rao, due=datetime.date(2027, 9, 15), status="agreed",
        notes="PRIVATE letter note",
    )  # fmt: skip
    LetterRequestFactory(
        owner=student, writer=rao, due=datetime.date(2027, 9, 1), status="submitted"
    )
    LetterRequestFactory(owner=student, writer=rao, due=None, status="asked")
    return {"follow_up": follow_up, "late": late, "letter": letter, "rao": rao}


def fetch(token: str, client=None):
    return (client or Client()).get(reverse("reminders:calendar_feed", args=[token]))


def events_of(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["X-WR-CALNAME"] == "Advocate"
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@time_machine.travel(NOW, tick=False)
def test_the_feed_lists_open_nudges_and_open_letter_deadlines_as_all_day_events(
    student, records, settings
):
    settings.SITE_URL = "https://advocate.example.edu"
    events = events_of(fetch(student.calendar_token))
    follow_up_uid = occasion_uid(student.pk, records["follow_up"].key, "advocate.example.edu")
    late_uid = occasion_uid(student.pk, records["late"].key, "advocate.example.edu")
    letter_uid = f"letter-{records['letter'].pk}@advocate.example.edu"
    # Not done, submitted or undated letters; not invest, gap or small action nudges.
    assert set(events) == {follow_up_uid, late_uid, letter_uid}
    follow_up = events[follow_up_uid]
    assert follow_up.decoded("DTSTART") == datetime.date(2027, 8, 10)  # a date: all day
    assert follow_up.decoded("DTEND") == datetime.date(2027, 8, 11)
    assert str(follow_up["SUMMARY"]) == "Follow up: Dr. Rao"
    rao_url = f"https://advocate.example.edu/contacts/{records['rao'].pk}/"
    assert "a 3-line update keeps you in mind" in str(follow_up["DESCRIPTION"])
    assert rao_url in str(follow_up["DESCRIPTION"]) and str(follow_up["URL"]) == rao_url
    # A nudge whose date has passed sits on today: what to do now, never "overdue".
    assert events[late_uid].decoded("DTSTART") == datetime.date(2027, 8, 2)
    letter = events[letter_uid]
    assert letter.decoded("DTSTART") == datetime.date(2027, 9, 15)
    assert str(letter["SUMMARY"]) == "Due: residency letter from Dr. Rao"
    assert "Send your CV and personal-statement draft." in str(letter["DESCRIPTION"])


@time_machine.travel(NOW, tick=False)
def test_the_feed_never_shows_private_notes(student, records):
    body = fetch(student.calendar_token).content.decode()
    assert "PRIVATE" not in body and "divorce" not in body


def test_uids_stay_the_same_from_one_fetch_to_the_next(student, records):
    first = set(events_of(fetch(student.calendar_token)))
    records["follow_up"].due = datetime.date(2027, 8, 20)
    records["follow_up"].save()
    assert set(events_of(fetch(student.calendar_token))) == first


def test_a_wrong_token_is_not_found(student, records):
    assert fetch("not-the-token").status_code == 404
    assert fetch(student.calendar_token[:-1]).status_code == 404


def test_regenerating_kills_the_old_url_at_once(student_client, student, records):
    old = student.calendar_token
    response = student_client.post(reverse("reminders:calendar_feed_regenerate"))
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.calendar_token != old and len(student.calendar_token) >= 40
    assert fetch(old).status_code == 404
    assert fetch(student.calendar_token).status_code == 200


def test_an_advisors_token_has_no_feed(db):
    advisor = AdvisorFactory()
    assert fetch(advisor.calendar_token).status_code == 404


def test_the_feed_is_read_only_and_answers_head(student, records):
    url = reverse("reminders:calendar_feed", args=[student.calendar_token])
    assert Client().post(url).status_code == 405
    head = Client().head(url)
    assert head.status_code == 200
    assert head["Content-Type"] == "text/calendar; charset=utf-8"


def test_the_refresh_hints_are_rfc_5545_durations(student, records):
    body = fetch(student.calendar_token).content.decode()
    assert "\r\nX-PUBLISHED-TTL:PT6H\r\n" in body
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in body
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"


def test_someone_signed_in_as_an_advisor_still_gets_the_feed_with_the_token(
    student, records, advisor_client
):
    assert fetch(student.calendar_token, advisor_client).status_code == 200


def test_every_student_has_their_own_token(student, other_student):
    assert student.calendar_token and other_student.calendar_token
    assert student.calendar_token != other_student.calendar_token


def test_the_settings_page_shows_the_feed_and_how_to_subscribe(student_client, student):
    page = student_client.get(reverse("settings_section", args=["calendar-feed"])).content.decode()
    assert f"http://testserver/calendar/{student.calendar_token}.ics" in page
    assert f"webcal://testserver/calendar/{student.calendar_token}.ics" in page
    for app in ("Google Calendar", "Apple Calendar", "Outlook"):
        assert app in page


def test_the_feed_reads_in_a_fixed_number_of_queries(student, records, django_assert_num_queries):
    for n in range(20):
        LetterRequestFactory(
            owner=student, writer=records["rao"], due=datetime.date(2027, 10, 1 + n)
        )
    # The student by token, the coming week's row (none yet: a worker is asked), the nudges
    # with their contacts, the letters with their writers.
    with django_assert_num_queries(4):
        fetch(student.calendar_token)
