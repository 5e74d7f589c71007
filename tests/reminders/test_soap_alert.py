"""The SOAP email: the moment a student records "did not match" during Match Week, one email
inside NRMP's rules; once per student per Match year, however it is triggered."""

import datetime
import email
import email.policy
import os
import time
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from crm import services as accounts
from reminders import tasks
from reminders.email import soap as soap_alert
from reminders.email.soap import Result, send_soap_alert
from reminders.models import SoapAlert
from tests.factories import ContactFactory, InteractionFactory, ProgramFactory, TieFactory
from tests.reminders.celery_process import celery_worker
from tests.reminders.digest_world import (  # noqa: F401 (a fixture)
    at_once,
    smtp_server_fixture,
    visible_text,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
UTC = datetime.UTC
# Match Week 2027: Monday 15 March to Friday 19 March (Match Day). 14:00 UTC is morning in
# Chicago.
TUESDAY = datetime.datetime(2027, 3, 16, 14, 0, tzinfo=UTC)
THURSDAY = datetime.datetime(2027, 3, 18, 14, 0, tzinfo=UTC)
FRIDAY = datetime.datetime(2027, 3, 19, 14, 0, tzinfo=UTC)
WEEK_BEFORE = datetime.datetime(2027, 3, 9, 14, 0, tzinfo=UTC)


@pytest.fixture
def ada(student):
    """In SOAP's reach: a program director who trained at one of her target programs, and a
    research PI who works at another."""
    student.match_year = 2027
    student.timezone = "America/Chicago"
    student.save()
    shah = ContactFactory(owner=student, name="Dr. Shah", role="program_director")
    okafor = ContactFactory(owner=student, name="Dr. Okafor", role="research_pi")
    for contact in (shah, okafor):
        for days_ago in (90, 40, 10):
            InteractionFactory(
                owner=student,
                contact=contact,
                date=datetime.date(2027, 3, 10) - datetime.timedelta(days=days_ago),
            )
    lakeshore = ProgramFactory(owner=student, name="Lakeshore Internal Medicine")
    cascade = ProgramFactory(owner=student, name="Cascade Internal Medicine")
    TieFactory(owner=student, contact=shah, program=lakeshore, kind="trained_at")
    TieFactory(owner=student, contact=okafor, program=cascade, kind="works_at")
    return student


@pytest.fixture
def enqueue_runs_at_once(monkeypatch):
    """The receiver's `delay` runs the task here, as a worker would (its retries too)."""
    calls = []

    def delay(student_id, year):
        calls.append((student_id, year))
        return tasks.send_soap_plan.apply((student_id, year))

    monkeypatch.setattr(tasks.send_soap_plan, "delay", delay)
    return calls


def record(student, outcome, captured):
    with captured(execute=True):
        accounts.profile_update(user=student, match_outcome=outcome)


def messages(inbox):
    return [
        email.message_from_bytes(envelope.content, policy=email.policy.default)
        for envelope in inbox.envelopes
    ]


def test_recording_did_not_match_on_tuesday_sends_the_plan_at_once(
    ada, smtp_server, enqueue_runs_at_once, django_capture_on_commit_callbacks
):
    with time_machine.travel(TUESDAY, tick=False):
        record(ada, "unmatched", django_capture_on_commit_callbacks)

    assert enqueue_runs_at_once == [(ada.pk, 2027)]
    [message] = messages(smtp_server)
    assert message["To"] == "ada@example.edu"
    assert message["Subject"] == "Your SOAP plan: this week, inside NRMP's rules"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = visible_text(message.get_body(preferencelist=("html",)).get_content())
    for body in (text, html):
        assert "You did not match this year." in body
        # Issue 18: the rule, allowed moves only, and no program named before it makes contact
        # (the old email said "Ask each of them today to call" and named programs to reach).
        assert "neither you nor anyone on your behalf may contact a program" in body
        assert "Today, Tuesday: Programs review applications" in body
        assert "Dr. Shah (program director" in body and "Dr. Okafor (research PI" in body
        assert "Lakeshore Internal Medicine" not in body
        assert "Cascade Internal Medicine" not in body
        assert "Ask " not in body
        assert "Wednesday: Interviews and preference lists" in body
        assert "Thursday: Offer rounds" in body and "Friday: SOAP is over" in body
        assert "SOAP ends: you may contact unfilled programs freely" in body
    assert soap_alert.match_week_url() in text
    alert = SoapAlert.objects.get()
    assert (alert.student_id, alert.year, alert.status, alert.attempts) == (ada.pk, 2027, "sent", 1)


def test_the_link_goes_to_the_match_week_page_on_the_site(ada, settings):
    settings.SITE_URL = "https://advocate.example.org"
    ada.match_outcome = "unmatched"
    ada.save()
    with time_machine.travel(TUESDAY, tick=False):
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.SENT
    [message] = mail.outbox
    assert "https://advocate.example.org/match-week/" in message.body
    assert 'href="https://advocate.example.org/match-week/"' in message.alternatives[0][0]


def test_recording_it_twice_or_toggling_it_sends_one_email(
    ada, smtp_server, enqueue_runs_at_once, django_capture_on_commit_callbacks
):
    with time_machine.travel(TUESDAY, tick=False):
        record(ada, "unmatched", django_capture_on_commit_callbacks)
        record(ada, "matched", django_capture_on_commit_callbacks)
        record(ada, "unmatched", django_capture_on_commit_callbacks)
        record(ada, "partial", django_capture_on_commit_callbacks)
        # The same value again is no new outcome: nothing is even enqueued.
        record(ada, "partial", django_capture_on_commit_callbacks)

    assert len(enqueue_runs_at_once) == 3
    assert len(smtp_server.envelopes) == 1
    assert SoapAlert.objects.get().status == "sent"


def test_the_settings_form_sends_it_too(
    ada, student_client, smtp_server, enqueue_runs_at_once, django_capture_on_commit_callbacks
):
    form = {
        "name": ada.name,
        "timezone": ada.timezone,
        "match_year": 2027,
        "target_specialties": "Internal Medicine",
        "target_cities": "Chicago, IL",
        "match_outcome": "unmatched",
    }
    with time_machine.travel(TUESDAY, tick=False):
        student_client.force_login(ada, backend="django.contrib.auth.backends.ModelBackend")
        with django_capture_on_commit_callbacks(execute=True):
            response = student_client.post(reverse("settings"), form)
        with django_capture_on_commit_callbacks(execute=True):
            student_client.post(reverse("settings"), form)  # a second tab, the same answer
    assert response.status_code == 302
    assert len(smtp_server.envelopes) == 1


def test_matched_sends_nothing(ada, enqueue_runs_at_once, django_capture_on_commit_callbacks):
    with time_machine.travel(TUESDAY, tick=False):
        record(ada, "matched", django_capture_on_commit_callbacks)
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.NOT_IN_SOAP
    assert enqueue_runs_at_once == [] and mail.outbox == []
    assert not SoapAlert.objects.exists()


@pytest.mark.parametrize("moment", [WEEK_BEFORE, FRIDAY], ids=["week-before", "match-day"])
def test_outside_monday_to_thursday_of_match_week_sends_nothing(
    ada, enqueue_runs_at_once, django_capture_on_commit_callbacks, moment
):
    with time_machine.travel(moment, tick=False):
        record(ada, "unmatched", django_capture_on_commit_callbacks)
    assert len(enqueue_runs_at_once) == 1
    assert mail.outbox == [] and not SoapAlert.objects.exists()


def test_thursday_is_the_students_own_thursday(ada):
    ada.match_outcome = "unmatched"
    ada.timezone = "Pacific/Auckland"  # already Friday there at 14:00 UTC on Thursday
    ada.save()
    with time_machine.travel(THURSDAY, tick=False):
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.OUTSIDE_THE_WEEK
    ada.timezone = "America/Chicago"
    ada.save()
    with time_machine.travel(THURSDAY, tick=False):
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.SENT
    assert "Offers go out today" in mail.outbox[0].body


def test_a_preliminary_year_only_sends_one_email_that_says_so(
    ada, smtp_server, enqueue_runs_at_once, django_capture_on_commit_callbacks
):
    with time_machine.travel(TUESDAY, tick=False):
        record(ada, "partial", django_capture_on_commit_callbacks)
    [message] = messages(smtp_server)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "You matched to a preliminary year" in text
    assert "the advanced position that follows it" in text
    assert "You did not match" not in text


def test_a_student_without_weekly_emails_still_gets_it_but_an_inactive_one_does_not(ada):
    ada.match_outcome = "unmatched"
    ada.digest_opt_out = True
    ada.save()
    with time_machine.travel(TUESDAY, tick=False):
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.SENT
    SoapAlert.objects.all().delete()
    ada.is_active = False
    ada.save()
    with time_machine.travel(TUESDAY, tick=False):
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.NOT_IN_SOAP
    assert len(mail.outbox) == 1


def test_another_match_year_is_another_email_and_a_stale_year_none(ada):
    ada.match_outcome = "unmatched"
    ada.save()
    with time_machine.travel(TUESDAY, tick=False):
        assert send_soap_alert(student_id=ada.pk, year=2026) == Result.NOT_IN_SOAP
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.SENT
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.DONE
    assert len(mail.outbox) == 1


def test_a_task_retry_or_a_second_call_sends_nothing_more(ada):
    ada.match_outcome = "unmatched"
    ada.save()
    with time_machine.travel(TUESDAY, tick=False):
        first = tasks.send_soap_plan.apply((ada.pk, 2027)).get()
        second = tasks.send_soap_plan.apply((ada.pk, 2027)).get()
    assert (first, second) == ("sent", "already sent or given up")
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_once_the_claim_is_stale(ada, settings, monkeypatch):
    ada.match_outcome = "unmatched"
    ada.save()

    class Refusing:
        def send_messages(self, messages):
            raise ConnectionResetError("SMTP server went away")

    with time_machine.travel(TUESDAY, tick=False):
        result = send_soap_alert(student_id=ada.pk, year=2027, connection=Refusing())
    assert result == Result.FAILED
    alert = SoapAlert.objects.get()
    assert alert.status == "sending" and "SMTP server went away" in alert.last_error
    # Soon after, the claim is fresh: another call leaves it alone (it may still be sending)...
    with time_machine.travel(TUESDAY + datetime.timedelta(minutes=5), tick=False):
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.HELD
    assert mail.outbox == []
    # ... and the task's retry, once the claim is stale, sends it, once.
    stale = TUESDAY + datetime.timedelta(minutes=settings.DIGEST_STALE_CLAIM_MINUTES + 1)
    with time_machine.travel(stale, tick=False):
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.SENT
        assert send_soap_alert(student_id=ada.pk, year=2027) == Result.DONE
    alert.refresh_from_db()
    assert (alert.status, alert.attempts, alert.last_error, len(mail.outbox)) == ("sent", 2, "", 1)


def test_the_task_asks_to_be_retried_when_the_send_fails(ada, monkeypatch, settings):
    """Retried by the task only where the broker lets a retry wait that long (a visibility
    timeout above the stale-claim wait); otherwise the hourly sweep sends it
    (tests/reminders/test_task_countdowns.py)."""
    settings.CELERY_MAX_RETRY_COUNTDOWN = 3 * 60 * 60
    retries = []
    monkeypatch.setattr(soap_alert, "send_soap_alert", lambda **kwargs: Result.FAILED)
    monkeypatch.setattr(
        tasks.send_soap_plan, "retry", lambda **kwargs: retries.append(kwargs) or RuntimeError()
    )
    with pytest.raises(RuntimeError):
        tasks.send_soap_plan.run(ada.pk, 2027)
    assert retries and retries[0]["countdown"] > 30 * 60


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_one_email(ada):
    ada.match_outcome = "unmatched"
    ada.save()
    # `now` passed in: time-machine's clock is the whole process's, not one thread's.
    results = at_once(4, lambda: send_soap_alert(student_id=ada.pk, year=2027, now=TUESDAY))
    assert results.count(Result.SENT) == 1, results
    assert len(mail.outbox) == 1
    assert SoapAlert.objects.get().status == "sent"


def test_the_plan_never_names_another_students_people(ada, other_student):
    ContactFactory(owner=other_student, name="Dr. Elsewhere", role="program_director")
    ProgramFactory(owner=other_student, name="Other Student's Program")
    ada.match_outcome = "unmatched"
    ada.save()
    with time_machine.travel(TUESDAY, tick=False):
        send_soap_alert(student_id=ada.pk, year=2027)
    body = mail.outbox[0].body
    assert "Dr. Elsewhere" not in body and "Other Student's Program" not in body


# --- Through a real worker -----------------------------------------------------------------------


@pytest.fixture
def soap_worker(db, smtp_server, settings):
    """A real Celery worker (another process, over Redis) whose mail goes to `smtp_server`."""
    with celery_worker(EMAIL_URL=f"smtp://127.0.0.1:{settings.EMAIL_PORT}") as queue:
        yield queue


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_the_email_over_smtp_once(ada, soap_worker, smtp_server):
    # The worker reads the real clock: move this student's Match Day to two days from now, so
    # today is the Wednesday of their Match Week.
    ada.timezone = "UTC"
    today = ada.local_today()
    ada.cycle_dates = {"match_day": (today + datetime.timedelta(days=2)).isoformat()}
    ada.match_outcome = "unmatched"
    ada.save()
    # Someone who knows her work as of the real today, tied to a program.
    rivera = ContactFactory(owner=ada, name="Dr. Rivera", role="program_director")
    for days_ago in (90, 40, 10):
        InteractionFactory(
            owner=ada, contact=rivera, date=today - datetime.timedelta(days=days_ago)
        )
    TieFactory(owner=ada, contact=rivera, program__name="Riverside Internal Medicine")

    for _ in range(2):  # a redelivery, or a second tab: one email
        tasks.send_soap_plan.apply_async(args=[ada.pk, 2027], queue=soap_worker)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
        smtp_server.envelopes and SoapAlert.objects.filter(status="sent").exists()
    ):
        time.sleep(0.5)
    time.sleep(2)  # the second task's turn
    assert len(smtp_server.envelopes) == 1
    [message] = messages(smtp_server)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Today, Wednesday: Interviews and preference lists" in text
    assert "Dr. Rivera (program director" in text
    # Issue 18: no program named for anyone to reach before it contacts the student.
    assert "Riverside Internal Medicine" not in text


def test_an_email_whose_task_was_lost_goes_out_with_the_hourly_sweep_once(
    ada, other_student, django_capture_on_commit_callbacks
):
    # The conftest's stub drops the enqueued task: as if the broker were down at that moment.
    with time_machine.travel(TUESDAY, tick=False):
        record(ada, "unmatched", django_capture_on_commit_callbacks)
        assert len(mail.outbox) == 0
        other_student.match_year, other_student.match_outcome = 2027, "matched"
        other_student.save()
        assert soap_alert.sweep() == 1
        assert soap_alert.sweep() == 0  # sent: skipped
    assert [message.to for message in mail.outbox] == [["ada@example.edu"]]
    with time_machine.travel(FRIDAY, tick=False):
        ada.match_year = 2027
        SoapAlert.objects.all().delete()
        assert soap_alert.sweep() == 0  # Match Day: SOAP is over


def test_the_hourly_beat_task_runs_the_sweep(ada):
    ada.match_outcome = "unmatched"
    ada.save()
    with time_machine.travel(TUESDAY, tick=False):
        result = tasks.send_due_digests.apply().get()
    assert result["soap"] == 1 and len(mail.outbox) == 1
