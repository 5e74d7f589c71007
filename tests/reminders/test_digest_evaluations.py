"""How often the weekly email asks the engine (issue 23): at most one evaluation an email. The
refresh before sending evaluates each student on their date, and the content reuses that
answer: its progress and phase, what is asked today, and the look ahead (what the engine will
ask on a later day before the next email), which reminders.engine.horizon works out from it
without evaluating again. The preview path, with no refresh before it, evaluates once too.

The spies count calls to the engine's entry points wherever they were imported, and call them:
nothing is replaced."""

import datetime
import sys
from collections import Counter

import pytest
from django.core import mail

from reminders.email import delivery, digest
from reminders.engine import horizon as horizon_module
from reminders.engine import rules
from tests.factories import ContactFactory, InteractionFactory, LetterRequestFactory, UserFactory

MONDAY_0800_CHICAGO = datetime.datetime(2026, 9, 7, 13, 0, tzinfo=datetime.UTC)
MONDAY = datetime.date(2026, 9, 7)


@pytest.fixture
def engine_calls(monkeypatch):
    """Counts `evaluate` (by student and day) and `horizon` (by student, and whether it was
    handed today's evaluation) wherever a module holds them."""
    calls: Counter = Counter()

    def evaluate(records, today, conf, **kwargs):
        calls["evaluate", records.id, today] += 1
        return original_evaluate(records, today, conf, **kwargs)

    def horizon(records, today, until, conf, **kwargs):
        calls["horizon", records.id, kwargs.get("evaluation") is not None] += 1
        return original_horizon(records, today, until, conf, **kwargs)

    original_evaluate, original_horizon = rules.evaluate, horizon_module.horizon
    for original, spy in ((original_evaluate, evaluate), (original_horizon, horizon)):
        for module in list(sys.modules.values()):
            for name, value in list(getattr(module, "__dict__", {}).items()):
                if value is original:
                    monkeypatch.setattr(module, name, spy)
    return calls


def _students(count: int):
    """Students with a meeting today (a thank-you now) and a letter whose polite reminder
    comes on Thursday (said ahead, from Thursday)."""
    students = []
    for n in range(count):
        student = UserFactory(email=f"s{n}@example.edu", timezone="America/Chicago")
        rao = ContactFactory(owner=student, name="Dr. Rao")
        InteractionFactory(owner=student, contact=rao, date=MONDAY, kind="meeting")
        lee = ContactFactory(owner=student, name="Dr. Lee", role="faculty")
        LetterRequestFactory(
            owner=student,
            writer=lee,
            status="materials_sent",
            due=MONDAY + datetime.timedelta(days=17),
            asked_on=MONDAY - datetime.timedelta(days=30),
            agreed_on=MONDAY - datetime.timedelta(days=28),
        )
        students.append(student)
    return students


@pytest.mark.django_db
def test_each_weekly_email_evaluates_its_student_once(engine_calls):
    students = _students(3)
    run = delivery.run_digests(now=MONDAY_0800_CHICAGO)
    assert run.sent == len(mail.outbox) == 3
    for student in students:
        # One evaluation, on the student's day: the refresh's.
        assert {
            key: n for key, n in engine_calls.items() if key[:2] == ("evaluate", student.pk)
        } == {("evaluate", student.pk, MONDAY): 1}
        # One horizon, handed that evaluation.
        assert engine_calls["horizon", student.pk, True] == 1
        assert engine_calls["horizon", student.pk, False] == 0
    # ... and the look ahead is in the email all the same (this week is full: under "More").
    for message in mail.outbox:
        assert "Letter reminder · Dr. Lee" in message.body


@pytest.mark.django_db
def test_the_preview_evaluates_once_too(engine_calls):
    (student,) = _students(1)
    content = digest.digest_content(student, MONDAY)
    (later,) = [line for line in content.later + content.more if isinstance(line, digest.LaterLine)]
    assert (later.title, later.from_label) == ("Letter reminder · Dr. Lee", "From Thu, Sep 10")
    assert sum(n for key, n in engine_calls.items() if key[0] == "evaluate") == 1
    assert engine_calls["horizon", student.pk, False] == 1
