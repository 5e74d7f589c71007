"""No user's request evaluates a whole network: the day's first write closes what it answers and
leaves the rest to a worker; a later write starts from the baseline the worker left, in any
process (the shared cache), and re-evaluates only what it touched."""

import datetime
from html import escape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reminders import tasks
from reminders.engine import live
from reminders.evaluation import baseline, standing
from reminders.models import Nudge, NudgeState
from reminders.nudges import services
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db
YESTERDAY = datetime.datetime(2026, 7, 13, 15, 0, tzinfo=datetime.UTC)  # Monday, Chicago morning
TODAY = YESTERDAY + datetime.timedelta(days=1)


@pytest.fixture
def full_evaluations(monkeypatch):
    """Every evaluation of a whole network, wherever it is asked for (a spy: the engine still
    answers). The live path's evaluations, of a few contacts over a network, are not counted."""
    calls = []

    def spy(real):
        def evaluate(records, today, conf, **kwargs):
            if kwargs.get("network") is None:
                calls.append(len(records.contacts))
            return real(records, today, conf, **kwargs)

        return evaluate

    for module in (services, standing, live):
        monkeypatch.setattr(module, "evaluate", spy(module.evaluate))
    baseline.forget()
    yield calls
    baseline.forget()


@pytest.fixture
def network(student):
    """Sixty contacts; Dr. Rao, an advocate last seen four months ago, is due a follow-up."""
    day = YESTERDAY.date()
    people = [ContactFactory(owner=student, name=f"Dr. {n:02}") for n in range(59)]
    rao = ContactFactory(owner=student, name="Dr. Rao", role="program_director", would_vouch=True)
    for contact in people[:20]:
        InteractionFactory(owner=student, contact=contact, date=day - datetime.timedelta(days=40))
    for days_ago in (125, 200, 260):
        InteractionFactory(owner=student, contact=rao, date=day - datetime.timedelta(days=days_ago))
    with time_machine.travel(YESTERDAY, tick=False):
        tasks.refresh_student(student.pk)  # last night's refresh, by a worker
        page = Client()
        page.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
        follow_up = Nudge.objects.get(owner=student, contact=rao, kind="follow_up")
        assert escape(follow_up.reason) in page.get(reverse("home")).content.decode()
    return rao


def _log(client, contact, kind="call"):
    payload = {"contact": contact.pk, "kind": kind, "date": "2026-07-14", "direction": "outbound"}
    return client.post(reverse("contacts:interaction_create"), payload)


def _first_meeting_with_a_newcomer(client, student, capture_on_commit_callbacks):
    """Today's first write: a meeting with someone just added, its commit's work run."""
    newcomer = ContactFactory(owner=student, name="Dr. Osei", role="faculty")
    with time_machine.travel(TODAY, tick=False), capture_on_commit_callbacks(execute=True):
        _log(client, newcomer, kind="meeting")
    return newcomer


@pytest.mark.refresh_worker_idle
def test_the_days_first_write_evaluates_nothing_and_closes_what_it_answers(
    student_client, student, network, full_evaluations, django_capture_on_commit_callbacks
):
    with time_machine.travel(TODAY, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = _log(student_client, network)
        assert response.status_code in (200, 302)
        page = student_client.get(reverse("home")).content.decode()
        student_client.get(reverse("contacts:list"))
        student_client.get(network.get_absolute_url())

    assert full_evaluations == []
    follow_up = Nudge.objects.get(owner=student, contact=network, kind="follow_up")
    assert follow_up.state == NudgeState.DONE
    assert escape(follow_up.reason) not in page


@pytest.mark.refresh_worker_idle
def test_once_the_worker_has_run_a_write_starts_from_its_baseline_in_any_process(
    student_client, student, network, full_evaluations, django_capture_on_commit_callbacks
):
    newcomer = ContactFactory(owner=student, name="Dr. Osei", role="faculty")
    with time_machine.travel(TODAY, tick=False):
        tasks.refresh_student(student.pk)  # the worker, asked by the first page of the day
        evaluated_by_the_worker = len(full_evaluations)
        baseline.forget()  # this request is served by another process
        with django_capture_on_commit_callbacks(execute=True):
            _log(student_client, newcomer, kind="meeting")
        page = student_client.get(reverse("home")).content.decode()

    assert evaluated_by_the_worker == 1 and len(full_evaluations) == 1
    # The live path's answer is already on the page: the thank-you for today's meeting.
    assert "Dr. Osei" in page
    assert Nudge.objects.filter(
        owner=student, contact=newcomer, kind="thank_you", state=NudgeState.OPEN
    ).exists()


def test_with_the_worker_the_first_writes_page_is_whole(
    student_client, student, network, full_evaluations, django_capture_on_commit_callbacks
):
    # The same first write with a worker that answers at once (tests run it in-thread): the
    # worker evaluates the student, the request itself did not.
    newcomer = _first_meeting_with_a_newcomer(
        student_client, student, django_capture_on_commit_callbacks
    )
    assert len(full_evaluations) == 1
    assert Nudge.objects.filter(owner=student, contact=newcomer, kind="thank_you").exists()


@pytest.mark.refresh_worker_idle
def test_with_no_worker_to_ask_the_request_refreshes_after_all(
    student_client, student, network, full_evaluations, django_capture_on_commit_callbacks,
    monkeypatch,
):  # fmt: skip
    def broker_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(tasks.refresh_student, "delay", broker_down)
    newcomer = _first_meeting_with_a_newcomer(
        student_client, student, django_capture_on_commit_callbacks
    )
    assert len(full_evaluations) == 1
    assert Nudge.objects.filter(owner=student, contact=newcomer, kind="thank_you").exists()
