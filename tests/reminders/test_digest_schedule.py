"""When the weekly email goes out: the student's weekday and hour in their own time zone, once
per local ISO week, daylight saving or not; nothing for those who opted out, or for advisors.

The rules (due_week, slot, _is_late, as_if_on) are pure functions of an instant and a zone, so
the daylight-saving and edge cases are tables of instants checked against them, and three weeks
of hourly ticks are replayed through them without a database. One test drives the real path
(run_digests, the Digest rows, the outbox) hour by hour across a fall-back week."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from reminders.email.delivery import _is_late, as_if_on, due_week, run_digests, slot
from reminders.models import Digest, DigestRun
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
HONOLULU = zoneinfo.ZoneInfo("Pacific/Honolulu")
MONDAY, WEDNESDAY, SUNDAY = 0, 2, 6


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


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


def _replayed_sends(tz, weekday: int, hour: int, start: datetime.datetime, hours: int):
    """The hourly job's decision for one student, on the pure rules alone: at each o'clock a
    week's email starts if it is due, not late, and that week has none yet (the Digest row)."""
    sent: dict[datetime.date, datetime.datetime] = {}
    for step in range(hours):
        now = start + step * HOUR
        week = due_week(tz=tz, weekday=weekday, hour=hour, now=now)
        if week is not None and week not in sent and not _is_late(now, tz, week, weekday, hour):
            sent[week] = now
    return list(sent.values())


# (label, zone, weekday, hour, instant, the week due then or None)
DUE = [
    # Tokyo's Monday 07:00 comes first; the same instant is Sunday afternoon in Los Angeles,
    # whose due week is then last week's (its slot long gone).
    ("Tokyo, Mon 06:00", TOKYO, MONDAY, 7, utc(2027, 9, 5, 21), None),
    ("Tokyo, Mon 07:00", TOKYO, MONDAY, 7, utc(2027, 9, 5, 22), datetime.date(2027, 9, 6)),
    (
        "LA at Tokyo's 07:00",
        LOS_ANGELES,
        MONDAY,
        7,
        utc(2027, 9, 5, 22),
        datetime.date(2027, 8, 30),
    ),
    ("LA, Mon 06:00 PDT", LOS_ANGELES, MONDAY, 7, utc(2027, 9, 6, 13), None),
    ("LA, Mon 07:00 PDT", LOS_ANGELES, MONDAY, 7, utc(2027, 9, 6, 14), datetime.date(2027, 9, 6)),
    # New York, spring forward 2027-03-14: 02:00 EST jumps to 03:00 EDT. A 02:00 slot that
    # never exists has come at 03:00 EDT (07:00 UTC).
    ("NY spring, Sun 01:00 EST", NEW_YORK, SUNDAY, 2, utc(2027, 3, 14, 6), None),
    (
        "NY spring, Sun 03:00 EDT",
        NEW_YORK,
        SUNDAY,
        2,
        utc(2027, 3, 14, 7),
        datetime.date(2027, 3, 8),
    ),
    ("NY spring, Mon 06:00 EDT", NEW_YORK, MONDAY, 7, utc(2027, 3, 15, 10), None),
    (
        "NY spring, Mon 07:00 EDT",
        NEW_YORK,
        MONDAY,
        7,
        utc(2027, 3, 15, 11),
        datetime.date(2027, 3, 15),
    ),
    # New York, fall back 2027-11-07: 01:00-02:00 happens twice (05:00 and 06:00 UTC). Both
    # are due; the Digest row makes the repeat a no-op (the end-to-end test below).
    ("NY fall, Sun 00:00 EDT", NEW_YORK, SUNDAY, 1, utc(2027, 11, 7, 4), None),
    ("NY fall, first 01:00", NEW_YORK, SUNDAY, 1, utc(2027, 11, 7, 5), datetime.date(2027, 11, 1)),
    ("NY fall, second 01:00", NEW_YORK, SUNDAY, 1, utc(2027, 11, 7, 6), datetime.date(2027, 11, 1)),
    ("NY fall, 02:00 slot at 01:00 EST", NEW_YORK, SUNDAY, 2, utc(2027, 11, 7, 6), None),
    (
        "NY fall, Sun 02:00 EST",
        NEW_YORK,
        SUNDAY,
        2,
        utc(2027, 11, 7, 7),
        datetime.date(2027, 11, 1),
    ),
    # Auckland is a day ahead: its Monday 07:00 is Sunday 19:00 UTC (NZST, UTC+12) and its
    # clocks go forward in September (02:00 NZST -> 03:00 NZDT on 2027-09-26) and back in April
    # (03:00 NZDT -> 02:00 NZST on 2027-04-04, 02:00 twice).
    ("Auckland, Mon 06:00", AUCKLAND, MONDAY, 7, utc(2027, 9, 5, 18), None),
    ("Auckland, Mon 07:00", AUCKLAND, MONDAY, 7, utc(2027, 9, 5, 19), datetime.date(2027, 9, 6)),
    ("Auckland spring, Sun 01:00", AUCKLAND, SUNDAY, 2, utc(2027, 9, 25, 13), None),
    (
        "Auckland spring, Sun 03:00",
        AUCKLAND,
        SUNDAY,
        2,
        utc(2027, 9, 25, 14),
        datetime.date(2027, 9, 20),
    ),
    (
        "Auckland fall, first 02:00",
        AUCKLAND,
        SUNDAY,
        2,
        utc(2027, 4, 3, 13),
        datetime.date(2027, 3, 29),
    ),
    (
        "Auckland fall, second 02:00",
        AUCKLAND,
        SUNDAY,
        2,
        utc(2027, 4, 3, 14),
        datetime.date(2027, 3, 29),
    ),
    # Honolulu (UTC-10, no daylight saving) at the end of its week: Sunday 23:00 is Monday
    # 09:00 UTC, already next week in UTC, but the week is the student's own.
    ("Honolulu, Sun 22:00", HONOLULU, SUNDAY, 23, utc(2027, 9, 13, 8), None),
    ("Honolulu, Sun 23:00", HONOLULU, SUNDAY, 23, utc(2027, 9, 13, 9), datetime.date(2027, 9, 6)),
    ("Honolulu, Mon 00:00 next week", HONOLULU, SUNDAY, 23, utc(2027, 9, 13, 10), None),
    # The first hour of the week: Monday 00:00 is due at once, Sunday 23:59 the week before is not
    # this week's.
    (
        "Chicago, Mon 00:00 slot at 00:00",
        CHICAGO,
        MONDAY,
        0,
        utc(2027, 9, 6, 5),
        datetime.date(2027, 9, 6),
    ),
    (
        "Chicago, Mon 00:00 slot at Sun 23:59",
        CHICAGO,
        MONDAY,
        0,
        utc(2027, 9, 6, 4, 59),
        datetime.date(2027, 8, 30),
    ),
    # Minutes count: Wednesday 18:00 in Chicago (CDT) is not due at 17:59, due at 18:00.
    ("Chicago, Wed 17:59", CHICAGO, WEDNESDAY, 18, utc(2027, 9, 8, 22, 59), None),
    ("Chicago, Wed 18:00", CHICAGO, WEDNESDAY, 18, utc(2027, 9, 8, 23), datetime.date(2027, 9, 6)),
]


@pytest.mark.parametrize(
    ("tz", "weekday", "hour", "now", "week"), [case[1:] for case in DUE], ids=[c[0] for c in DUE]
)
def test_due_week_is_the_students_own_week_once_their_hour_has_come(tz, weekday, hour, now, week):
    assert due_week(tz=tz, weekday=weekday, hour=hour, now=now) == week


@pytest.mark.parametrize(
    ("monday", "weekday", "hour", "wall_clock"),
    [
        (datetime.date(2027, 9, 6), MONDAY, 7, datetime.datetime(2027, 9, 6, 7)),
        (datetime.date(2027, 9, 6), SUNDAY, 23, datetime.datetime(2027, 9, 12, 23)),
        (datetime.date(2027, 9, 6), MONDAY, 0, datetime.datetime(2027, 9, 6, 0)),
        # Wall-clock, naive: New York's spring-forward 02:00 that never happens is still a slot.
        (datetime.date(2027, 3, 8), SUNDAY, 2, datetime.datetime(2027, 3, 14, 2)),
    ],
)
def test_the_slot_is_the_chosen_weekday_and_hour_on_the_wall_clock(
    monday, weekday, hour, wall_clock
):
    assert slot(monday, weekday, hour) == wall_clock


@pytest.mark.parametrize(
    ("label", "tz", "now", "late"),
    [
        # Chicago, Monday 07:00 CDT of 2027-09-06; the catch-up window is 24 hours.
        ("same day, scheduler back at 20:00", CHICAGO, utc(2027, 9, 7, 1), False),
        ("24 hours after, to the minute", CHICAGO, utc(2027, 9, 7, 12), False),
        ("24 hours and a minute after", CHICAGO, utc(2027, 9, 7, 12, 1), True),
        ("signed up on Wednesday", CHICAGO, utc(2027, 9, 8, 15), True),
        # Auckland's Monday 07:00 NZST is Sunday 19:00 UTC; a day later is still in time.
        ("Auckland, 23 hours after", AUCKLAND, utc(2027, 9, 6, 18), False),
        ("Auckland, 25 hours after", AUCKLAND, utc(2027, 9, 6, 20), True),
    ],
)
def test_a_week_is_late_only_past_the_catch_up_window(settings, label, tz, now, late):
    settings.DIGEST_CATCH_UP_HOURS = 24
    assert _is_late(now, tz, datetime.date(2027, 9, 6), MONDAY, 7) is late, label


@pytest.mark.parametrize(
    ("day", "tz", "hour", "instant"),
    [
        (datetime.date(2027, 9, 8), CHICAGO, 7, utc(2027, 9, 8, 12)),
        (datetime.date(2027, 9, 6), AUCKLAND, 7, utc(2027, 9, 5, 19)),
        (datetime.date(2027, 9, 12), HONOLULU, 23, utc(2027, 9, 13, 9)),
        # An hour that never happens reads as the one after the jump (03:00 EDT); an hour that
        # happens twice is its first time (EDT).
        (datetime.date(2027, 3, 14), NEW_YORK, 2, utc(2027, 3, 14, 7)),
        (datetime.date(2027, 11, 7), NEW_YORK, 1, utc(2027, 11, 7, 5)),
    ],
)
def test_send_digests_date_is_the_moment_the_students_clock_reads_their_hour(
    day, tz, hour, instant
):
    moment = as_if_on(day, tz=tz, hour=hour)
    # In UTC: Python never calls a wall time in a gap or a fold equal to another zone's instant.
    assert moment.astimezone(UTC) == instant
    # And the week due then is that day's own.
    weekday = day.weekday()
    assert due_week(tz=tz, weekday=weekday, hour=hour, now=moment) == day - datetime.timedelta(
        days=weekday
    )


@pytest.mark.parametrize(
    ("label", "tz", "weekday", "hour", "first_tick", "sent_on_change_day"),
    [
        # New York, 2027-03-14: a 02:00 slot that never exists comes at 03:00 EDT (07:00 UTC):
        # neither skipped nor sent twice.
        (
            "NY spring forward, Sunday 02:00",
            NEW_YORK,
            SUNDAY,
            2,
            utc(2027, 3, 3, 5),
            utc(2027, 3, 14, 7),
        ),
        (
            "NY spring forward, Monday 07:00",
            NEW_YORK,
            MONDAY,
            7,
            utc(2027, 3, 3, 5),
            utc(2027, 3, 15, 11),
        ),
        # New York, 2027-11-07: the first 01:00 (EDT, 05:00 UTC) sends; the repeat (EST, 06:00
        # UTC) finds the week's email already gone.
        (
            "NY fall back, Sunday 01:00",
            NEW_YORK,
            SUNDAY,
            1,
            utc(2027, 10, 27, 4),
            utc(2027, 11, 7, 5),
        ),
        (
            "NY fall back, Sunday 02:00",
            NEW_YORK,
            SUNDAY,
            2,
            utc(2027, 10, 27, 4),
            utc(2027, 11, 7, 7),
        ),
        # Auckland, the other way round the year.
        (
            "Auckland spring forward, Sunday 02:00",
            AUCKLAND,
            SUNDAY,
            2,
            utc(2027, 9, 15, 12),
            utc(2027, 9, 25, 14),
        ),
        (
            "Auckland fall back, Sunday 02:00",
            AUCKLAND,
            SUNDAY,
            2,
            utc(2027, 3, 24, 12),
            utc(2027, 4, 3, 13),
        ),
        (
            "Auckland fall back, Monday 07:00",
            AUCKLAND,
            MONDAY,
            7,
            utc(2027, 3, 24, 12),
            utc(2027, 4, 4, 19),
        ),
        # Honolulu has no daylight saving: the same UTC hour every week.
        ("Honolulu, Sunday 23:00", HONOLULU, SUNDAY, 23, utc(2027, 3, 3, 12), utc(2027, 3, 15, 9)),
    ],
)
def test_daylight_saving_weeks_neither_skip_nor_double(
    label, tz, weekday, hour, first_tick, sent_on_change_day
):
    # Three ISO weeks of hourly ticks: the week before the change, its week, the week after.
    received = _replayed_sends(tz, weekday, hour, first_tick, 21 * 24)
    local = [moment.astimezone(tz) for moment in received]
    weeks = [moment.isocalendar()[:2] for moment in local]
    assert len(weeks) == len(set(weeks)) == 3, (label, local)
    assert sent_on_change_day in received, (label, local)
    for moment in local:
        assert (moment.weekday(), moment.hour) in {(weekday, hour), (weekday, hour + 1)}, label


def test_a_fall_back_week_end_to_end_each_student_at_their_own_hour_once():
    """The real path, hour by hour (run_digests: plan, claim, send, mark) across New York's and
    Los Angeles's fall-back week, with students from Tokyo to Honolulu."""
    for email, zone, weekday, hour in [
        ("tokyo@example.edu", "Asia/Tokyo", MONDAY, 7),
        ("la@example.edu", "America/Los_Angeles", MONDAY, 7),
        ("ny-0100@example.edu", "America/New_York", SUNDAY, 1),
        ("ny-0200@example.edu", "America/New_York", SUNDAY, 2),
        ("auckland@example.edu", "Pacific/Auckland", MONDAY, 7),
        ("honolulu@example.edu", "Pacific/Honolulu", SUNDAY, 23),
    ]:
        UserFactory(email=email, timezone=zone, digest_weekday=weekday, digest_hour=hour)
    # From Tuesday 16:00 UTC, when every last week's slot is past the catch-up window, for a week.
    received = _hourly_ticks(utc(2027, 11, 2, 16), 7 * 24)
    assert received == {
        "auckland@example.edu": [utc(2027, 11, 7, 18)],  # Mon 07:00 NZDT
        "ny-0100@example.edu": [utc(2027, 11, 7, 5)],  # the first Sun 01:00 (EDT), not the second
        "ny-0200@example.edu": [utc(2027, 11, 7, 7)],  # Sun 02:00 EST
        "tokyo@example.edu": [utc(2027, 11, 7, 22)],  # Mon 07:00 JST
        "honolulu@example.edu": [utc(2027, 11, 8, 9)],  # Sun 23:00 HST
        "la@example.edu": [utc(2027, 11, 8, 15)],  # Mon 07:00 PST
    }
    weeks = dict(Digest.objects.values_list("student__email", "week"))
    assert weeks == {
        "auckland@example.edu": datetime.date(2027, 11, 8),
        "ny-0100@example.edu": datetime.date(2027, 11, 1),
        "ny-0200@example.edu": datetime.date(2027, 11, 1),
        "tokyo@example.edu": datetime.date(2027, 11, 8),
        "honolulu@example.edu": datetime.date(2027, 11, 1),
        "la@example.edu": datetime.date(2027, 11, 8),
    }
    assert set(Digest.objects.values_list("status", flat=True)) == {"sent"}


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
