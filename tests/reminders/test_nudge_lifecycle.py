"""Logging an interaction closes the nudges it answers (contacts.services.interaction_create)."""

import datetime

import pytest

from contacts.services import interaction_create
from reminders.models import Nudge
from reminders.nudges import services
from tests.factories import ContactFactory
from tests.reminders.test_refresh import make_student

D = datetime.date
pytestmark = pytest.mark.django_db


def log(student, contact, day, kind, direction="outbound"):
    return interaction_create(
        owner=student, contact=contact, date=day, kind=kind, direction=direction,
        context="clinical",
    )  # fmt: skip


@pytest.fixture
def refreshed():
    student = make_student()
    services.refresh_student(student, today=D(2026, 7, 11))
    return student


def state(student, kind, contact=None):
    nudges = Nudge.objects.filter(owner=student, kind=kind)
    if contact is not None:
        nudges = nudges.filter(contact=contact)
    return sorted(nudges.values_list("state", flat=True))


def test_a_thank_you_closes_the_thank_you_nudge(refreshed):
    rao = refreshed.contacts.get(role="clerkship_director")
    log(refreshed, rao, D(2026, 7, 11), "thank_you")
    assert state(refreshed, "thank_you") == ["done"]
    assert state(refreshed, "feedback", rao) == ["open"]


def test_a_feedback_session_closes_that_contacts_feedback_nudge(refreshed):
    kim = refreshed.contacts.get(role="senior_resident")
    log(refreshed, kim, D(2026, 7, 12), "feedback")
    assert state(refreshed, "feedback", kim) == ["done"]
    # The rotation had its feedback: the next refresh closes the other one quietly.
    services.refresh_student(refreshed, today=D(2026, 7, 12))
    assert state(refreshed, "feedback") == ["done", "expired"]


def test_an_interaction_dated_before_the_occasion_closes_nothing(refreshed):
    rao = refreshed.contacts.get(role="clerkship_director")
    log(refreshed, rao, D(2026, 7, 9), "thank_you")
    assert state(refreshed, "thank_you") == ["open"]


def test_another_contacts_interaction_closes_nothing(refreshed):
    stranger = ContactFactory(owner=refreshed, name="Dr. Stranger")
    log(refreshed, stranger, D(2026, 7, 11), "thank_you")
    assert state(refreshed, "thank_you") == ["open"]


def test_a_follow_up_is_closed_by_any_later_interaction(student):
    rao = ContactFactory(owner=student, name="Dr. Rao")
    Nudge.objects.create(
        owner=student, kind="follow_up", contact=rao, key=f"follow_up:{rao.pk}:2026-03-01",
        occasion_on=D(2026, 3, 1), due=D(2026, 6, 29), reason="It's been 4 months.",
    )  # fmt: skip
    log(student, rao, D(2026, 6, 30), "email", direction="inbound")
    assert state(student, "follow_up") == ["done"]


def test_a_reply_closes_the_over_contact_warning(student):
    rao = ContactFactory(owner=student, name="Dr. Rao")
    for day in (1, 3, 7):
        log(student, rao, D(2026, 7, day), "email")
    services.refresh_student(student, today=D(2026, 7, 7))
    assert state(student, "over_contact") == ["open"]
    log(student, rao, D(2026, 7, 8), "email", direction="inbound")
    assert state(student, "over_contact") == ["done"]


def test_a_snoozed_nudge_answered_is_done(refreshed):
    rao = refreshed.contacts.get(role="clerkship_director")
    thanks = Nudge.objects.get(owner=refreshed, kind="thank_you")
    services.nudge_snooze(nudge=thanks, until=D(2026, 7, 18))
    log(refreshed, rao, D(2026, 7, 12), "thank_you")
    thanks.refresh_from_db()
    assert (thanks.state, thanks.snoozed_until) == ("done", None)
