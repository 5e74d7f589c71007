"""When the weekly email goes out: the student's weekday and hour in their own time zone, once
per local ISO week, daylight saving or not; nothing for those who opted out, or for advisors."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from reminders.email.delivery import due_week, run_digests
from reminders.models import Digest, DigestRun
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _hourly_ticks(start: datetime.datetime, hours: int) -> dict[str, list[datetime.datetime]]:
    """Run the hourly job at every o'clock from `start`; when each address got its email."""
    received: dict[str, list[datetime.datetime]] = {}
    for step in range(hours):
        moment = start + step * HOUR
        with time_machine.travel(moment, tick=False):
            before = len(mail.outbox)
            run_digests()
            for message in mail.outbox[before:]:
                received.setdefault(message.to[0], []).append(moment)
    return received


def test_monday_0700_comes_first_in_tokyo_and_hours_later_in_los_angeles():
    tokyo_monday_7 = datetime.datetime(2027, 9, 5, 22, 0, tzinfo=UTC)  # Mon 07:00 in Tokyo
    assert due_week(tz=TOKYO, weekday=0, hour=7, now=tokyo_monday_7 - HOUR) is None
    assert due_week(tz=TOKYO, weekday=0, hour=7, now=tokyo_monday_7) == datetime.date(2027, 9, 6)
    # The same instant is Sunday afternoon in Los Angeles: last week's slot, long gone.
    assert due_week(tz=LOS_ANGELES, weekday=0, hour=7, now=tokyo_monday_7) == datetime.date(
        2027, 8, 30
    )
    la_monday_7 = datetime.datetime(2027, 9, 6, 14, 0, tzinfo=UTC)  # Mon 07:00 PDT
    assert due_week(tz=LOS_ANGELES, weekday=0, hour=7, now=la_monday_7 - HOUR) is None
    assert due_week(tz=LOS_ANGELES, weekday=0, hour=7, now=la_monday_7) == datetime.date(2027, 9, 6)


def test_each_student_gets_it_at_their_own_monday_0700():
    UserFactory(email="tokyo@example.edu", timezone="Asia/Tokyo")
    UserFactory(email="la@example.edu", timezone="America/Los_Angeles")
    # From Sunday 12:00 UTC, after last week's slots, through Tuesday.
    received = _hourly_ticks(datetime.datetime(2027, 9, 5, 12, 0, tzinfo=UTC), 48)
    assert received == {
        "tokyo@example.edu": [datetime.datetime(2027, 9, 5, 22, 0, tzinfo=UTC)],
        "la@example.edu": [datetime.datetime(2027, 9, 6, 14, 0, tzinfo=UTC)],
    }
    assert set(Digest.objects.values_list("week", flat=True)) == {datetime.date(2027, 9, 6)}


@pytest.mark.parametrize(
    ("label", "weekday", "hour", "first_tick", "sent_on_change_day"),
    [
        # 2027-03-14: 02:00 EST jumps to 03:00 EDT. A 02:00 slot that never exists has come
        # at 03:00 EDT (07:00 UTC): neither skipped nor sent twice.
        (
            "spring forward, Sunday 02:00",
            6,
            2,
            datetime.datetime(2027, 3, 3, 5, tzinfo=UTC),
            datetime.datetime(2027, 3, 14, 7, 0, tzinfo=UTC),
        ),
        (
            "spring forward, Monday 07:00",
            0,
            7,
            datetime.datetime(2027, 3, 3, 5, tzinfo=UTC),
            datetime.datetime(2027, 3, 15, 11, 0, tzinfo=UTC),
        ),
        # 2027-11-07: 01:00-02:00 happens twice. The first 01:00 (EDT, 05:00 UTC) sends; the
        # repeat (EST, 06:00 UTC) finds the week's email already gone.
        (
            "fall back, Sunday 01:00",
            6,
            1,
            datetime.datetime(2027, 10, 27, 4, tzinfo=UTC),
            datetime.datetime(2027, 11, 7, 5, 0, tzinfo=UTC),
        ),
        (
            "fall back, Sunday 02:00",
            6,
            2,
            datetime.datetime(2027, 10, 27, 4, tzinfo=UTC),
            datetime.datetime(2027, 11, 7, 7, 0, tzinfo=UTC),
        ),
    ],
)
def test_daylight_saving_weeks_in_new_york_neither_skip_nor_double(
    label, weekday, hour, first_tick, sent_on_change_day
):
    UserFactory(email="ny@example.edu", timezone="America/New_York",
                digest_weekday=weekday, digest_hour=hour)  # fmt: skip
    # Three ISO weeks of hourly ticks: the week before the change, its week, the week after.
    received = _hourly_ticks(first_tick, 21 * 24)["ny@example.edu"]
    local = [moment.astimezone(NEW_YORK) for moment in received]
    weeks = [moment.isocalendar()[:2] for moment in local]
    assert len(weeks) == len(set(weeks)) == 3, (label, local)
    assert sent_on_change_day in received, (label, local)
    for moment in local:
        assert (moment.weekday(), moment.hour) in {(weekday, hour), (weekday, hour + 1)}


def test_no_email_before_the_chosen_hour_and_one_after_it():
    UserFactory(email="wed@example.edu", timezone="America/Chicago",
                digest_weekday=2, digest_hour=18)  # fmt: skip
    wednesday_1759 = datetime.datetime(2027, 9, 8, 22, 59, tzinfo=UTC)  # CDT is UTC-5
    with time_machine.travel(wednesday_1759, tick=False):
        run_digests()
    assert mail.outbox == []
    with time_machine.travel(wednesday_1759 + datetime.timedelta(minutes=1), tick=False):
        run_digests()
        run_digests()
    assert [message.to for message in mail.outbox] == [["wed@example.edu"]]


@time_machine.travel(datetime.datetime(2027, 9, 6, 15, 0, tzinfo=UTC), tick=False)
def test_opted_out_students_advisors_and_inactive_accounts_get_nothing():
    UserFactory(email="out@example.edu", digest_opt_out=True)
    UserFactory(email="gone@example.edu", is_active=False)
    AdvisorFactory(email="advisor@example.edu")
    UserFactory(email="in@example.edu")
    run_digests()
    assert [message.to for message in mail.outbox] == [["in@example.edu"]]
    assert list(Digest.objects.values_list("student__email", flat=True)) == ["in@example.edu"]


@time_machine.travel(datetime.datetime(2027, 9, 6, 15, 0, tzinfo=UTC), tick=False)
def test_opting_out_after_planning_skips_the_email(monkeypatch):
    from reminders.email import delivery

    student = UserFactory(email="late@example.edu")
    plan = delivery.plan_digests(datetime.datetime.now(tz=UTC))
    type(student).objects.filter(pk=student.pk).update(digest_opt_out=True)
    result = delivery.send_batch(plan.to_send)
    assert (result.sent, result.skipped) == (0, 1)
    assert mail.outbox == []
    assert Digest.objects.get().status == "skipped"


def test_send_digests_dry_run_lists_and_writes_nothing(capsys):
    UserFactory(email="mon@example.edu", digest_weekday=0)
    UserFactory(email="fri@example.edu", digest_weekday=4)
    call_command("send_digests", "--date", "2027-09-08", "--dry-run")  # a Wednesday
    out = capsys.readouterr().out
    assert "mon@example.edu\tweek of 2027-09-06\ttheir date 2027-09-08" in out
    assert "fri@example.edu" not in out
    assert "1 weekly email(s) would go out (2027-09-08)." in out
    assert mail.outbox == []
    assert not Digest.objects.exists() and not DigestRun.objects.exists()


def test_send_digests_on_a_date_sends_that_weeks_email_once(capsys):
    UserFactory(email="mon@example.edu", digest_weekday=0)
    UserFactory(email="fri@example.edu", digest_weekday=4)
    call_command("send_digests", "--date", "2027-09-08")
    call_command("send_digests", "--date", "2027-09-09")  # same ISO week: nothing new
    assert [message.to for message in mail.outbox] == [["mon@example.edu"]]
    assert "Week of Sep 6" in mail.outbox[0].body
    call_command("send_digests", "--date", "2027-09-10")  # Friday: Friday's student
    assert [message.to[0] for message in mail.outbox] == ["mon@example.edu", "fri@example.edu"]
    out = capsys.readouterr().out
    assert "Weekly emails (2027-09-08): 1 sent, 0 failed, 0 skipped of 1 planned." in out
    assert DigestRun.objects.filter(trigger="command").count() == 3


def test_send_digests_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_digests", "--date", "next monday")


def test_the_beat_schedule_checks_every_hour():
    from reminders.schedule import beat_schedule

    entry = beat_schedule()["reminders-send-due-digests"]
    assert entry["task"] == "reminders.tasks.send_due_digests"
    assert entry["schedule"].minute == {0}
    assert entry["schedule"].hour == set(range(24))


def test_a_missed_hour_is_caught_up_the_same_day_but_not_days_later():
    UserFactory(email="mon@example.edu", timezone="America/Chicago")  # Monday 07:00
    # The scheduler was down on Monday morning and comes back at 20:00: still this week's.
    with time_machine.travel(datetime.datetime(2027, 9, 7, 1, 0, tzinfo=UTC), tick=False):
        run_digests()
    assert len(mail.outbox) == 1
    # Someone who signs up on Wednesday waits for next Monday rather than getting a late one.
    UserFactory(email="new@example.edu", timezone="America/Chicago")
    with time_machine.travel(datetime.datetime(2027, 9, 8, 15, 0, tzinfo=UTC), tick=False):
        run_digests()
    assert [message.to[0] for message in mail.outbox] == ["mon@example.edu"]
    with time_machine.travel(datetime.datetime(2027, 9, 13, 12, 0, tzinfo=UTC), tick=False):
        run_digests()
    assert sorted(message.to[0] for message in mail.outbox[1:]) == [
        "mon@example.edu",
        "new@example.edu",
    ]


def test_a_week_already_started_is_retried_even_after_the_catch_up_window():
    from reminders.email.delivery import plan_digests

    UserFactory(email="mon@example.edu", timezone="America/Chicago")
    monday_0700 = datetime.datetime(2027, 9, 6, 12, 0, tzinfo=UTC)
    plan_digests(monday_0700)  # planned, then every worker died before claiming it
    with time_machine.travel(monday_0700 + datetime.timedelta(days=3), tick=False):
        assert run_digests().sent == 1
    assert len(mail.outbox) == 1
