"""Exactly one weekly email per student per week: claims, retries, crashes, concurrent workers,
and delivery through a real SMTP server."""

import datetime
import email
import email.policy
import gc
import os

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders import tasks
from reminders.email import delivery, health
from reminders.models import BeatTick, Digest, DigestRun
from reminders.nudges import services
from tests.factories import ContactFactory, LetterRequestFactory, UserFactory
from tests.reminders.digest_world import (  # noqa: F401 (a fixture)
    at_once,
    make_nudge,
    smtp_server_fixture,
)

UTC = datetime.UTC
MONDAY_0800_CHICAGO = datetime.datetime(2027, 9, 6, 13, 0, tzinfo=UTC)
MINUTE = datetime.timedelta(minutes=1)
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture
def ada(db):
    return UserFactory(email="ada@example.edu", name="Ada Student", timezone="America/Chicago")


class FlakyBackend(LocmemBackend):
    """Fails after the claim, the way an SMTP error or a crash mid-send would."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise ConnectionResetError("SMTP server went away")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.reminders.test_digest_delivery.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures = 0


class CollectorWatchingBackend(LocmemBackend):
    """Notes whether Python's cyclic garbage collector ran while the batch was sending."""

    collector_on: list[bool] = []

    def send_messages(self, messages):
        CollectorWatchingBackend.collector_on.append(gc.isenabled())
        return super().send_messages(messages)


@pytest.mark.django_db
def test_the_collector_waits_until_a_batch_is_sent(ada, settings):
    settings.EMAIL_BACKEND = "tests.reminders.test_digest_delivery.CollectorWatchingBackend"
    CollectorWatchingBackend.collector_on = []
    assert gc.isenabled()
    assert delivery.run_digests(now=MONDAY_0800_CHICAGO).sent == 1
    assert CollectorWatchingBackend.collector_on == [False]  # paused while it sent...
    assert gc.isenabled()  # ... and on again after


@pytest.mark.django_db
def test_running_the_same_hour_twice_sends_one_email(ada):
    first = delivery.run_digests(now=MONDAY_0800_CHICAGO)
    second = delivery.run_digests(now=MONDAY_0800_CHICAGO + 5 * MINUTE)
    assert len(mail.outbox) == 1
    assert (first.planned, first.sent, first.finished_at is not None) == (1, 1, True)
    assert (second.planned, second.sent) == (0, 0)
    digest = Digest.objects.get()
    assert digest.status == "sent" and digest.attempts == 1 and digest.subject


@pytest.mark.django_db
def test_two_workers_planning_the_same_hour_share_one_row_and_one_claim(ada):
    plan_a = delivery.plan_digests(MONDAY_0800_CHICAGO)
    plan_b = delivery.plan_digests(MONDAY_0800_CHICAGO)
    assert plan_a.to_send == plan_b.to_send and Digest.objects.count() == 1
    result_a = delivery.send_batch(plan_a.to_send, now=MONDAY_0800_CHICAGO)
    result_b = delivery.send_batch(plan_b.to_send, now=MONDAY_0800_CHICAGO)
    assert (result_a.sent, result_b.sent, result_b.skipped) == (1, 0, 1)
    assert len(mail.outbox) == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_in_the_same_hour_send_one_email():
    UserFactory(email="ada@example.edu", timezone="America/Chicago")
    at_once(4, lambda: delivery.run_digests(now=MONDAY_0800_CHICAGO))
    assert len(mail.outbox) == 1
    assert Digest.objects.get().status == "sent"
    assert sum(DigestRun.objects.values_list("sent", flat=True)) == 1


def _digests(count: int) -> list[int]:
    week = datetime.date(2027, 9, 6)
    students = [UserFactory(email=f"student{number}@example.edu") for number in range(count)]
    return [Digest.objects.create(student=student, week=week).pk for student in students]


@pytest.mark.django_db
def test_a_batch_is_claimed_in_one_query_leaving_the_rows_another_worker_holds():
    ids = _digests(5)
    assert delivery.claim(ids[2], MONDAY_0800_CHICAGO)  # another worker has this one
    with CaptureQueriesContext(connection) as captured:
        claims = delivery.claim_many(ids, MONDAY_0800_CHICAGO)
    assert len(captured) == 1
    assert list(claims) == [ids[0], ids[1], ids[3], ids[4]]  # in the batch's order
    assert len(set(claims.values())) == 1
    held = Digest.objects.filter(pk__in=claims, status="sending", claim_token=claims[ids[0]])
    assert held.count() == 4 and set(held.values_list("attempts", flat=True)) == {1}
    assert delivery.claim_many(ids, MONDAY_0800_CHICAGO) == {}  # nothing left to take


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_workers_claiming_the_same_batch_at_once_share_no_row():
    ids = _digests(40)
    taken = at_once(4, lambda: set(delivery.claim_many(ids, MONDAY_0800_CHICAGO)))
    assert sum(len(rows) for rows in taken) == len(ids)  # no row twice...
    assert set().union(*taken) == set(ids)  # ... and none left out


@pytest.mark.django_db
def test_a_failure_after_the_claim_is_retried_once_the_claim_is_stale(ada, flaky, settings):
    flaky.failures = 1
    run = delivery.run_digests(now=MONDAY_0800_CHICAGO)
    assert (run.sent, run.failed) == (0, 1) and mail.outbox == []
    digest = Digest.objects.get()
    assert digest.status == "sending" and "SMTP server went away" in digest.last_error
    # Another worker a few minutes later leaves a fresh claim alone...
    delivery.run_digests(now=MONDAY_0800_CHICAGO + 10 * MINUTE)
    assert mail.outbox == []
    # ... and the run after the stale timeout sends it, once.
    later = MONDAY_0800_CHICAGO + (settings.DIGEST_STALE_CLAIM_MINUTES + 1) * MINUTE
    assert delivery.run_digests(now=later).sent == 1
    delivery.run_digests(now=later + 60 * MINUTE)
    assert len(mail.outbox) == 1
    digest.refresh_from_db()
    assert (digest.status, digest.attempts, digest.last_error) == ("sent", 2, "")


@pytest.mark.django_db
def test_a_crash_between_claim_and_send_loses_no_week(ada, settings):
    plan = delivery.plan_digests(MONDAY_0800_CHICAGO)
    assert delivery.claim(plan.to_send[0], MONDAY_0800_CHICAGO)  # ... and the worker dies here
    assert delivery.run_digests(now=MONDAY_0800_CHICAGO + 20 * MINUTE).sent == 0
    later = MONDAY_0800_CHICAGO + (settings.DIGEST_STALE_CLAIM_MINUTES + 1) * MINUTE
    assert delivery.run_digests(now=later).sent == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_after_the_last_attempt_the_week_is_marked_failed_for_the_operator(ada, flaky, settings):
    flaky.failures = 99
    moment = MONDAY_0800_CHICAGO
    for _ in range(settings.DIGEST_MAX_ATTEMPTS):
        delivery.run_digests(now=moment)
        moment += (settings.DIGEST_STALE_CLAIM_MINUTES + 1) * MINUTE
    run = delivery.run_digests(now=moment)
    assert (run.planned, run.failed) == (1, 1)
    digest = Digest.objects.get()
    assert (digest.status, digest.attempts) == ("failed", settings.DIGEST_MAX_ATTEMPTS)
    assert mail.outbox == []
    with time_machine.travel(moment, tick=False):
        BeatTick.objects.create(ticked_at=moment)
        assert any("1 weekly email failed" in problem for problem in health.problems())


@pytest.mark.django_db
def test_the_hourly_task_ticks_plans_and_sends_in_chunks(ada, monkeypatch, settings):
    settings.DIGEST_CHUNK_SIZE = 2
    for number in range(4):
        UserFactory(email=f"s{number}@example.edu", timezone="America/Chicago")
    monkeypatch.setattr(
        tasks.send_digest_chunk, "delay", lambda *args: tasks.send_digest_chunk.apply(args).get()
    )
    with time_machine.travel(MONDAY_0800_CHICAGO, tick=False):
        summary = tasks.send_due_digests()
        tasks.send_due_digests()  # the same hour again (a retry, a second beat): nothing new
    assert summary["planned"] == 5 and summary["chunks"] == 3
    assert len(mail.outbox) == 5
    run = DigestRun.objects.order_by("started_at", "pk").first()
    assert (run.trigger, run.sent, run.failed, run.finished_at is not None) == ("beat", 5, 0, True)
    assert BeatTick.objects.count() == 2


@pytest.mark.django_db
def test_delivery_through_a_real_smtp_server(ada, smtp_server):
    rao = ContactFactory(owner=ada, name="Dr. Rao")
    make_nudge(ada, contact=rao, kind="thank_you", due=datetime.date(2027, 9, 7),
               reason="A short thank-you to Dr. Rao is remembered.", key="manual")  # fmt: skip
    LetterRequestFactory(owner=ada, writer=rao, due=datetime.date(2027, 9, 15), status="agreed")
    services.refresh_student(ada, today=datetime.date(2027, 9, 6))
    run = delivery.run_digests(now=MONDAY_0800_CHICAGO)
    assert run.sent == 1
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["ada@example.edu"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert "letter from Dr. Rao due Sep 15" in message["Subject"]
    assert message["Subject"] == Digest.objects.get().subject
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part for part in message.walk()}
    text, html = parts["text/plain"].get_content(), parts["text/html"].get_content()
    assert "Dr. Rao" in text and "Dr. Rao" in html
    assert "Letters due in the next 30 days" in text and "Letters due in the next 30 days" in html
    unsubscribe = str(message["List-Unsubscribe"]).strip()  # folded: long URL
    assert unsubscribe.startswith("<http://") and "/email/unsubscribe/" in unsubscribe
    assert unsubscribe.strip("<>") in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    # The boundary was drawn when the message was built (TwoPartEmail): it is in no part.
    boundary = message.get_boundary()
    assert boundary.startswith("=_") and len(boundary) == 34
    assert boundary not in text and boundary not in html


@pytest.mark.django_db
def test_sending_costs_the_same_queries_for_3_or_30_contacts(ada, other_student):
    other_student.timezone = "America/Chicago"
    other_student.save()
    today = datetime.date(2027, 9, 6)
    for student, size in ((ada, 3), (other_student, 30)):
        for number in range(size):
            contact = ContactFactory(owner=student, name=f"Contact {number}")
            make_nudge(student, contact=contact, due=today + datetime.timedelta(days=number % 7))
            LetterRequestFactory(owner=student, writer=contact, due=today, status="agreed")
        # The day's refresh has run: the one inside the send then finds nothing to change.
        services.refresh_student(student, today=today)
    plan = delivery.plan_digests(MONDAY_0800_CHICAGO)
    counts = []
    for digest_id in plan.to_send:
        with CaptureQueriesContext(connection) as captured:
            assert delivery.send_batch([digest_id], now=MONDAY_0800_CHICAGO).sent == 1
        counts.append(len(captured))
    # Per batch of one: claim (1, for the whole batch), load the claimed rows (1), refresh (6
    # reads, stored nudges, snapshot upsert, in a transaction), content (9), mark sent (1).
    assert counts[0] == counts[1], counts
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_week_never_sent_is_marked_failed_once_it_is_over(ada):
    delivery.plan_digests(MONDAY_0800_CHICAGO)  # planned, then the workers were down for weeks
    two_weeks_later = MONDAY_0800_CHICAGO + datetime.timedelta(days=14)
    run = delivery.run_digests(now=two_weeks_later)
    old, new = Digest.objects.order_by("week")
    assert (old.status, old.last_error) == ("failed", "The week ended before it could be sent.")
    assert new.status == "sent" and run.failed == 1 and len(mail.outbox) == 1
