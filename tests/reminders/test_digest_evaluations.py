"""How often the weekly email asks the engine: the refresh before sending evaluates each
student on their date once, and the content reuses that answer (its progress, phase and
what is asked today) instead of loading the records and evaluating them twice more. What
remains is the look-ahead, one evaluation per later day before the next email."""

import datetime
from collections import Counter

import pytest
from django.core import mail

from reminders.email import delivery, digest
from reminders.engine import rules
from reminders.nudges import services
from tests.factories import ContactFactory, InteractionFactory, UserFactory

MONDAY_0800_CHICAGO = datetime.datetime(2026, 9, 7, 13, 0, tzinfo=datetime.UTC)
MONDAY = datetime.date(2026, 9, 7)


@pytest.mark.django_db
def test_each_email_evaluates_its_student_on_the_day_once(monkeypatch):
    students = [
        UserFactory(email=f"s{n}@example.edu", timezone="America/Chicago") for n in range(3)
    ]
    for student in students:
        contact = ContactFactory(owner=student, name="Dr. Rao")
        InteractionFactory(owner=student, contact=contact, date=MONDAY, kind="meeting")
    days: Counter = Counter()

    def counting(records, today, conf, **kwargs):
        days[today] += 1
        return rules.evaluate(records, today, conf, **kwargs)

    monkeypatch.setattr(services, "evaluate", counting)
    monkeypatch.setattr(digest, "evaluate", counting)
    run = delivery.run_digests(now=MONDAY_0800_CHICAGO)
    assert run.sent == len(mail.outbox) == 3
    assert days[MONDAY] == 3  # one a student: the refresh's, reused by the content
    # The look-ahead: each later day up to the day before the next email, once a student.
    assert {day: count for day, count in days.items() if day != MONDAY} == {
        MONDAY + datetime.timedelta(days=offset): 3 for offset in range(1, 7)
    }
