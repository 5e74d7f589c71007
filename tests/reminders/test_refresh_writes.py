"""A refresh writes only what changed (issue 23): a nudge whose kind, person, words, window and
state are the same is left alone the next day, though the engine now dates a late one today.
Its stored due date stays the first day it was due; every reader shows it as due today."""

import datetime

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisors.selectors import advisor_students, student_review
from reminders.calendar.feed import occasion_uid
from reminders.email.digest import digest_content
from reminders.engine.rules import NudgeSpec
from reminders.models import Nudge, NudgeKind, StudentStanding
from reminders.nudges import lifecycle, services
from tests.advisors.advisor_world import overdue_follow_up, share
from tests.factories import AdvisorFactory, ContactFactory
from tests.reminders.test_refresh import make_student

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


def stored(student):
    return {
        row[0]: row[1:]
        for row in Nudge.objects.filter(owner=student).values_list(
            "key", "kind", "state", "due", "reason", "occasion_on", "stakes", "updated_at"
        )
    }


def nudge_writes(queries) -> list[str]:
    table = Nudge._meta.db_table
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith(("UPDATE", "INSERT")) and f'"{table}"' in query["sql"]
    ]


@pytest.fixture
def late_student():
    """make_student's sub-I student, refreshed on Monday 13 July 2026: six open nudges, four
    of them already late by the 14th (the letter ask, the month's invest and gap lines, the
    thank-you for the meeting of the 10th), none of whose words change on the 14th."""
    student = make_student()
    services.refresh_student(student, today=D(2026, 7, 12))
    services.refresh_student(student, today=D(2026, 7, 13))
    return student


def test_a_next_day_refresh_writes_no_nudge_when_none_changed(late_student):
    before = stored(late_student)
    assert len(before) == 6 and all(state == "open" for _, state, *_ in before.values())

    with CaptureQueriesContext(connection) as queries:
        stats = services.refresh_student(late_student, today=D(2026, 7, 14))

    assert (stats.created, stats.updated, stats.reopened, stats.expired) == (0, 0, 0, 0)
    assert nudge_writes(queries.captured_queries) == []
    assert stored(late_student) == before
    # Four are late: stored with the first day they were due, not the 14th.
    late = {key: row[2] for key, row in before.items() if row[2] < D(2026, 7, 14)}
    assert len(late) == 4


def test_the_days_after_write_nothing_either_until_something_changes(late_student):
    for day in (14, 15, 16, 17, 18, 19):
        stats = services.refresh_student(late_student, today=D(2026, 7, day))
        # The 15th closes the month's lines and the letter ask (they stepped back): only that.
        expected = (0, 0, 3) if day == 15 else (0, 0, 0)
        assert (stats.created, stats.updated, stats.expired) == expected, day


def test_a_nudge_whose_words_change_is_rewritten_and_keeps_its_first_due_date():
    student = make_student()
    services.refresh_student(student, today=D(2026, 7, 12))
    thanks = Nudge.objects.get(owner=student, kind=NudgeKind.THANK_YOU)
    assert thanks.due == D(2026, 7, 12) and "within two days" in thanks.reason

    stats = services.refresh_student(student, today=D(2026, 7, 13))

    # Late now: the words say what to do now, so the row is rewritten, and only it.
    assert (stats.created, stats.updated, stats.expired) == (0, 1, 0)
    thanks.refresh_from_db()
    assert "A short thank-you now" in thanks.reason
    assert thanks.due == D(2026, 7, 12)
    assert thanks.shown_due(D(2026, 7, 13)) == D(2026, 7, 13)


def test_every_reader_shows_a_late_nudge_as_due_today(late_student):
    services.refresh_student(late_student, today=D(2026, 7, 14))
    today = D(2026, 7, 14)
    thanks = Nudge.objects.get(owner=late_student, kind=NudgeKind.THANK_YOU)
    assert thanks.due == D(2026, 7, 12)  # stored: the first day it was due

    client = Client()
    client.force_login(late_student)
    with time_machine.travel(datetime.datetime(2026, 7, 14, 18, tzinfo=datetime.UTC), tick=False):
        page = client.get(reverse("home"))
        week = page.context["items"] + page.context["more_items"]
        feed = client.get(reverse("reminders:calendar_feed", args=[late_student.calendar_token]))
    # This week: the thank-you says "Today", nothing a day gone.
    html = page.content.decode()
    item = html[html.index(f'id="nudge-{thanks.pk}"') :]
    assert "Today" in item[: item.index("</li>")]
    assert all(nudge.shown_due(today) >= today for line in week for nudge in line.nudges)
    # The weekly email: each item dated today or later, the thank-you today.
    content = digest_content(late_student, today)
    assert content.items and all(item.due >= today for item in content.items)
    (thanks_item,) = [item for item in content.items if item.nudge_id == thanks.pk]
    assert (thanks_item.due, thanks_item.due_label) == (today, "Today")
    # The calendar feed: the thank-you's event is on the 14th.
    events = {
        str(event["UID"]).split("@")[0]: event
        for event in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    }
    uid = occasion_uid(late_student.pk, thanks.key, "x").split("@")[0]
    assert events[uid].decoded("DTSTART") == today


def test_this_week_orders_a_late_nudge_with_those_due_today():
    """Same stakes: a late one and one due today stand together, in the order of their kinds,
    as they did when a late nudge's stored date moved to each day."""
    student = make_student()
    today = D(2026, 7, 14)
    rao = ContactFactory(owner=student, name="Dr. Rao")
    common = {"owner": student, "contact": rao, "stakes": 50, "reason": "r"}
    late = Nudge.objects.create(
        kind=NudgeKind.THANK_YOU, key="t", occasion_on=today - 9 * DAY, due=today - 5 * DAY,
        **common,
    )  # fmt: skip
    due_today = Nudge.objects.create(
        kind=NudgeKind.FOLLOW_UP, key="f", occasion_on=today - 9 * DAY, due=today, **common
    )
    later = Nudge.objects.create(
        kind=NudgeKind.FEEDBACK, key="b", occasion_on=today - 9 * DAY, due=today + DAY, **common
    )
    rows = list(Nudge.objects.filter(owner=student, key__in="tfb").in_week_order(today))
    assert rows == [due_today, late, later]  # follow_up < thank_you, then tomorrow's


def test_planning_leaves_a_row_alone_when_only_the_calendar_moved():
    today = D(2026, 7, 14)
    spec = NudgeSpec("thank_you", "k", 7, "Dr. Rao", today, "Now.", D(2026, 7, 10))
    row = lifecycle.StoredNudge(
        1, "k", "thank_you", "open", D(2026, 7, 12), "Now.", 7, spec.occasion_on
    )
    assert lifecycle.plan_refresh([spec], [row], today).is_empty
    # The engine moves it into the future (it stepped back and came round again): written.
    later = NudgeSpec("thank_you", "k", 7, "Dr. Rao", today + 30 * DAY, "Now.", spec.occasion_on)
    (change,) = lifecycle.plan_refresh([later], [row], today).change
    assert change.due == today + 30 * DAY


# --- The advisors' overdue follow-ups: counted as before ------------------------------------


def test_advisors_count_overdue_follow_ups_as_the_student_last_saw_them(student):
    """Before, each refresh moved a late follow-up's stored date to its own day, so it counted
    as overdue only on a day after the student's last refresh. Kept so: the stored date (the
    first day it was due) with the day of the last refresh (StudentStanding.computed_on)."""
    advisor = AdvisorFactory()
    share(student, advisor)
    today = D(2026, 7, 14)
    follow_up = overdue_follow_up(student, ContactFactory(owner=student), today, days=5)

    def counted():
        (summary,) = advisor_students(advisor, today)
        review = student_review(student, today, show_notes=False)
        return summary.overdue_follow_ups, [
            (nudge, nudge.last_shown_due) for nudge in review.overdue_follow_ups
        ]

    # Never refreshed: its stored date.
    assert counted() == (1, [(follow_up, today - 5 * DAY)])
    standing = StudentStanding.objects.create(
        owner=student, computed_on=today - DAY, updated_at=datetime.datetime.now(datetime.UTC)
    )
    # Last refreshed yesterday: shown as due yesterday then, overdue today.
    assert counted() == (1, [(follow_up, today - DAY)])
    # Refreshed today: shown as due today, not overdue.
    standing.computed_on = today
    standing.save()
    assert counted() == (0, [])
