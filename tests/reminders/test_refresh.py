"""The refresh: stores what the engine says, idempotently, in a constant number of queries."""

import datetime
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact
from contacts.services import interaction_create
from reminders import tasks
from reminders.models import AdvocateSnapshot, Nudge
from reminders.nudges import services
from reminders.schedule import beat_schedule
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    LetterRequestFactory,
    RotationFactory,
    TeamMemberFactory,
    UserFactory,
)

D = datetime.date
DAY = datetime.timedelta(days=1)
pytestmark = pytest.mark.django_db


def make_student(email=None, **fields):
    """A student mid sub-I: two supervisors, a meeting, a letter being considered."""
    student = UserFactory(**({"email": email} if email else {}), match_year=2027, **fields)
    rotation = RotationFactory(owner=student, start=D(2026, 7, 1), end=D(2026, 7, 28))
    rao = ContactFactory(owner=student, name=f"Dr. Rao {student.pk}", role="clerkship_director")
    kim = ContactFactory(owner=student, name=f"Dr. Kim {student.pk}", role="senior_resident")
    TeamMemberFactory(rotation=rotation, contact=rao, weeks_together=4)
    TeamMemberFactory(rotation=rotation, contact=kim, weeks_together=4)
    InteractionFactory(owner=student, contact=rao, date=D(2026, 7, 10), kind="meeting")
    LetterRequestFactory(owner=student, writer=rao, due=D(2026, 9, 15), status="considering")
    return student


def rows(student):
    return list(
        Nudge.objects.filter(owner=student)
        .order_by("key")
        .values_list("key", "kind", "contact_id", "due", "reason", "state", "updated_at")
    )


def test_refresh_stores_what_the_engine_says():
    student = make_student()
    stats = services.refresh_student(student, today=D(2026, 7, 11))
    kinds = sorted(Nudge.objects.filter(owner=student).values_list("kind", flat=True))
    # With the month's letters plan (issue 19).
    assert kinds == ["feedback", "feedback", "gap", "invest", "letter_ask", "thank_you"]
    assert stats.created == 6 and stats.students == 1
    assert all(n.state == "open" and n.reason for n in Nudge.objects.all())


def test_refreshing_twice_changes_nothing():
    student = make_student()
    services.refresh_student(student, today=D(2026, 7, 11))
    before = rows(student)
    stats = services.refresh_student(student, today=D(2026, 7, 11))
    assert rows(student) == before
    assert (stats.created, stats.updated, stats.expired) == (0, 0, 0)
    assert AdvocateSnapshot.objects.filter(owner=student).count() == 1


def test_a_second_refresh_asked_to_skip_what_is_stored_writes_nothing_and_still_answers():
    """The weekly email's refresh after the day's nightly one (skip_stored)."""
    student = make_student()
    day = D(2026, 7, 11)
    services.refresh_student(student, today=day)
    before = rows(student)
    answers = {}
    with CaptureQueriesContext(connection) as captured:
        stats = services.refresh_students(
            [student.pk], today=day, answers=answers, skip_stored=True
        )
    assert stats.students == 0 and rows(student) == before
    writes = [q["sql"] for q in captured if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    records, evaluation = answers[student.pk]  # what the email goes on to say
    assert evaluation.today == day and {n.kind for n in evaluation.nudges} >= {"thank_you"}


def test_skipping_what_is_stored_still_stores_another_day_and_a_change_since():
    student = make_student()
    day = D(2026, 7, 11)
    services.refresh_student(student, today=day)
    stats = services.refresh_students([student.pk], today=day + DAY, skip_stored=True)
    assert stats.students == 1  # another day: stored
    kim = Contact.objects.get(owner=student, role="senior_resident")
    assert not Nudge.objects.filter(contact=kim, kind="thank_you").exists()
    interaction_create(owner=student, contact=kim, date=day + DAY, kind="meeting")  # stamps
    stats = services.refresh_students([student.pk], today=day + DAY, skip_stored=True)
    assert stats.students == 1 and stats.created >= 1
    assert Nudge.objects.filter(contact=kim, kind="thank_you", state="open").exists()


def test_a_dismissed_nudge_never_returns_for_the_same_occasion():
    student = make_student()
    services.refresh_student(student, today=D(2026, 7, 11))
    thanks = Nudge.objects.get(owner=student, kind="thank_you")
    services.nudge_dismiss(nudge=thanks)
    for day in (11, 12, 13):
        services.refresh_student(student, today=D(2026, 7, day))
    thanks.refresh_from_db()
    assert thanks.state == "dismissed"
    assert Nudge.objects.filter(owner=student, key=thanks.key).count() == 1


def test_a_snoozed_nudge_reappears_on_its_date():
    student = make_student()
    # The month's gap item shows in its first two weeks.
    services.refresh_student(student, today=D(2026, 7, 2))
    gap = Nudge.objects.get(owner=student, kind="gap")
    services.nudge_snooze(nudge=gap, until=D(2026, 7, 9))
    services.refresh_student(student, today=D(2026, 7, 8))
    gap.refresh_from_db()
    assert (gap.state, gap.snoozed_until) == ("snoozed", D(2026, 7, 9))
    services.refresh_student(student, today=D(2026, 7, 9))
    gap.refresh_from_db()
    assert (gap.state, gap.snoozed_until) == ("open", None)


def test_a_nudge_the_engine_no_longer_produces_is_closed_quietly():
    student = make_student()
    services.refresh_student(student, today=D(2026, 7, 11))
    thanks = Nudge.objects.get(owner=student, kind="thank_you")
    services.refresh_student(student, today=D(2026, 7, 20))  # a week past due: moot
    thanks.refresh_from_db()
    assert thanks.state == "expired" and thanks.closed_at is not None


def test_done_nudges_are_left_alone():
    student = make_student()
    services.refresh_student(student, today=D(2026, 7, 11))
    invest = Nudge.objects.get(owner=student, kind="invest")
    services.nudge_mark_done(nudge=invest)
    services.refresh_student(student, today=D(2026, 7, 12))
    invest.refresh_from_db()
    assert invest.state == "done"


def test_snapshot_is_written_once_per_week():
    student = make_student()
    services.refresh_student(student, today=D(2026, 7, 13))  # Monday
    services.refresh_student(student, today=D(2026, 7, 15))
    services.refresh_student(student, today=D(2026, 7, 20))  # next Monday
    weeks = list(
        AdvocateSnapshot.objects.filter(owner=student)
        .order_by("week")
        .values_list("week", "focus_size")
    )
    assert [week for week, _ in weeks] == [D(2026, 7, 13), D(2026, 7, 20)]
    assert weeks[-1][1] >= 1


def test_each_student_is_refreshed_on_their_own_local_date():
    auckland = make_student(timezone="Pacific/Auckland")
    la = make_student(timezone="America/Los_Angeles")
    # Sunday 12 July, 12:30 UTC: already Monday in Auckland, still Sunday morning in LA.
    with time_machine.travel(datetime.datetime(2026, 7, 12, 12, 30, tzinfo=datetime.UTC)):
        services.refresh_students([auckland.pk, la.pk])
    assert AdvocateSnapshot.objects.get(owner=auckland).week == D(2026, 7, 13)
    assert AdvocateSnapshot.objects.get(owner=la).week == D(2026, 7, 6)


def count_queries(student_ids, today):
    with CaptureQueriesContext(connection) as context:
        services.refresh_students(student_ids, today=today)
    return len(context.captured_queries)


def test_refresh_queries_are_constant_as_the_number_of_students_grows():
    two = [make_student().pk for _ in range(2)]
    ten = [make_student().pk for _ in range(10)]
    # Reads: students, contacts, interactions, team members, rotations, letters, programs,
    # ties, Match stories (with the programs that contacted the student), red flags, stored
    # nudges; writes in a transaction: nudge insert, snapshot upsert, standing-row upsert
    # (+ savepoint, release).
    first_two, first_ten = count_queries(two, D(2026, 7, 11)), count_queries(ten, D(2026, 7, 11))
    assert first_two == first_ten
    # A later day: expiries and updates as well, still the same count for either size.
    assert count_queries(two, D(2026, 7, 20)) == count_queries(ten, D(2026, 7, 20))
    # An unchanged day: only the reads and the snapshot upsert.
    assert count_queries(two, D(2026, 7, 20)) == count_queries(ten, D(2026, 7, 20))
    assert first_two <= 16


def test_refresh_nudges_command_for_one_student_on_a_date(capsys):
    student = make_student(email="ada@example.edu")
    other = make_student()
    call_command("refresh_nudges", "--date", "2026-07-11", "--student", "ada@example.edu")
    assert Nudge.objects.filter(owner=student).count() == 6
    assert not Nudge.objects.filter(owner=other).exists()
    assert "Refreshed 1 student(s) on 2026-07-11: 6 new" in capsys.readouterr().out


def test_refresh_nudges_command_for_everyone():
    students = [make_student() for _ in range(3)]
    call_command("refresh_nudges", "--date", "2026-07-11")
    assert {n.owner_id for n in Nudge.objects.all()} == {s.pk for s in students}


@time_machine.travel(datetime.datetime(2026, 7, 11, 15, 0, tzinfo=datetime.UTC))
def test_refresh_nudges_command_uses_local_dates_by_default():
    student = make_student()
    call_command("refresh_nudges")
    assert Nudge.objects.filter(owner=student, kind="thank_you").exists()


def test_refresh_nudges_command_rejects_bad_input():
    with pytest.raises(CommandError, match="not a date"):
        call_command("refresh_nudges", "--date", "11/07/2026")
    with pytest.raises(CommandError, match="No student"):
        call_command("refresh_nudges", "--student", "nobody@example.edu")


def test_a_chunk_task_is_safe_to_retry():
    students = [make_student() for _ in range(2)]
    ids = [s.pk for s in students]
    tasks.refresh_chunk.apply(args=(ids, "2026-07-11")).get()
    before = [rows(s) for s in students]
    tasks.refresh_chunk.apply(args=(ids, "2026-07-11")).get()
    assert [rows(s) for s in students] == before


def test_the_daily_refresh_fans_out_in_chunks(settings, monkeypatch):
    settings.ADVOCATE = {"refresh_chunk_size": 2}
    students = [make_student() for _ in range(5)]
    UserFactory(role="advisor")  # advisors have no nudges
    sent = []
    monkeypatch.setattr(tasks.refresh_chunk, "delay", lambda ids, today: sent.append(ids))
    assert tasks.refresh_all_students() == 3
    assert sorted(pk for chunk in sent for pk in chunk) == sorted(s.pk for s in students)
    assert max(len(chunk) for chunk in sent) == 2


def test_beat_runs_the_daily_refresh():
    entry = beat_schedule()["reminders-refresh-all-students"]
    assert entry["task"] == "reminders.tasks.refresh_all_students"
    assert entry["schedule"].hour == {10}
    from crm.celery import app

    app.finalize()
    assert "reminders-refresh-all-students" in app.conf.beat_schedule
    assert json.dumps(tasks.refresh_chunk.name) == '"reminders.tasks.refresh_chunk"'
