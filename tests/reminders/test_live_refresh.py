"""Live: every change to a student's records refreshes their stored nudges once it commits, so
the page after a write is already right; a logged interaction re-evaluates only what it
touches, in the same number of queries whatever the size of the network."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts import datafile
from contacts import services as records
from crm import services as accounts
from reminders.evaluation import baseline
from reminders.models import Nudge, NudgeState
from reminders.reactions import PendingRefresh
from tests.factories import ContactFactory, InteractionFactory, UserFactory

pytestmark = pytest.mark.django_db
# Tuesday 14 July 2026, mid-morning in Chicago.
NOW = datetime.datetime(2026, 7, 14, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fresh_process():
    baseline.forget()
    with time_machine.travel(NOW, tick=False):
        yield
    baseline.forget()


def _log(client, **data):
    payload = {"kind": "meeting", "date": "2026-07-14", "direction": "outbound", **data}
    return client.post(reverse("contacts:interaction_create"), payload)


def test_a_new_student_who_logs_a_meeting_sees_the_48_hour_thank_you_at_once(
    student_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _log(student_client, new_contact_name="Dr. Rao", new_contact_role="faculty")

    page = student_client.get(reverse("home")).content.decode()
    assert "Dr. Rao" in page
    assert "A short thank-you within two days" in page
    assert "Nothing needs you this week" not in page


def test_did_not_match_shows_the_soap_plan_at_once(
    student_client, student, django_capture_on_commit_callbacks
):
    student.match_year = 2027
    student.save()
    contact = ContactFactory(owner=student, name="Dr. Shah", role="program_director")
    InteractionFactory(owner=student, contact=contact, date=datetime.date(2027, 3, 1))
    form = {
        "name": student.name,
        "timezone": student.timezone,
        "match_year": 2027,
        "target_specialties": "Internal Medicine",
        "target_cities": "Chicago, IL",
        "match_outcome": "unmatched",
    }
    # Tuesday of Match Week 2027 (Match Day is Friday 19 March).
    with time_machine.travel(datetime.datetime(2027, 3, 16, 14, 0, tzinfo=datetime.UTC)):
        student_client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
        assert "SOAP, Tuesday" not in student_client.get(reverse("home")).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            student_client.post(reverse("settings"), form)
        page = student_client.get(reverse("home")).content.decode()
    assert "Tuesday: Programs review applications" in page  # the plan card, first
    assert Nudge.objects.filter(owner=student, kind="soap_plan", state="open").count() == 1


STUDENT = {
    "email": "ada@example.edu",
    "name": "Ada Student",
    "timezone": "America/Chicago",
    "match_year": 2028,
    "target_specialties": ["Internal Medicine"],
    "target_cities": ["Chicago, IL"],
}


CONTACT = {
    "role": "faculty",
    "email": "",
    "phone": "",
    "specialty": "Internal Medicine",
    "institution": None,
    "how_met": "",
    "would_vouch": False,
    "tags": [],
    "notes": "",
}
INTERACTION = {
    "date": "2026-07-13",
    "kind": "meeting",
    "direction": "outbound",
    "context": "clinical",
    "summary": "",
    "follow_up_by": None,
}


def test_a_whole_data_file_refreshes_once(student, django_capture_on_commit_callbacks):
    document = {
        "format": "advocate/v1",
        "student": STUDENT,
        "contacts": [{**CONTACT, "key": f"c{n}", "name": f"Dr. {n}"} for n in range(1, 4)],
        "rotations": [],
        "interactions": [{**INTERACTION, "contact": f"c{n}"} for n in range(1, 4)],
        "letters": [],
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        datafile.import_document(document, student=student)

    # Each change registers the student's one waiting refresh again; it runs once.
    refreshes = {id(c) for c in callbacks if isinstance(c, PendingRefresh)}
    assert len(refreshes) == 1
    assert Nudge.objects.filter(owner=student, kind="thank_you", state="open").count() == 3


def test_a_refused_import_leaves_no_refresh_behind(student, django_capture_on_commit_callbacks):
    document = {
        "format": "advocate/v1",
        "student": STUDENT,
        "contacts": [{**CONTACT, "key": "c1", "name": "Dr. One"}],
        "rotations": [],
        "interactions": [{**INTERACTION, "contact": "c1"}],
        "letters": [],
        "unknown": "a field the format does not have",
    }
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(datafile.DataFileError),
    ):
        datafile.import_document(document, student=student)
    assert callbacks == []
    assert not Nudge.objects.filter(owner=student).exists()


def test_deleting_a_contact_retires_their_nudges_before_the_next_page(
    student_client, student, django_capture_on_commit_callbacks
):
    rao = ContactFactory(owner=student, name="Dr. Rao")
    with django_capture_on_commit_callbacks(execute=True):
        records.interaction_create(
            owner=student, contact=rao, date=datetime.date(2026, 7, 13), kind="meeting"
        )
    assert "Dr. Rao" in student_client.get(reverse("home")).content.decode()

    thanks = Nudge.objects.get(owner=student, kind="thank_you")
    with django_capture_on_commit_callbacks(execute=True):
        student_client.post(reverse("contacts:delete", args=[rao.pk]))
    assert not Nudge.objects.filter(pk=thanks.pk).exists()
    page = student_client.get(reverse("home")).content.decode()
    assert "A short thank-you" not in page


def test_a_changed_calendar_or_target_is_announced_to_the_engine(student):
    before = NOW - datetime.timedelta(days=1)
    type(student).objects.filter(pk=student.pk).update(records_changed_at=before)
    accounts.profile_update(user=student, target_cities=["Boston, MA"])
    after = type(student).objects.get(pk=student.pk).records_changed_at
    assert after > before
    # A name is not something the engine reads: no stamp, no refresh.
    accounts.profile_update(user=student, name="Ada Renamed")
    assert type(student).objects.get(pk=student.pk).records_changed_at == after


def _network(size: int):
    student = UserFactory(email=f"big{size}@example.edu")
    people = ContactFactory.create_batch(size, owner=student, role="faculty")
    for person in people:
        InteractionFactory(owner=student, contact=person, date=datetime.date(2026, 5, 1))
    return student, people


def _queries_to_log(student, contact, capture):
    student = type(student).objects.get(pk=student.pk)  # as the next request loads them
    with capture(execute=True), CaptureQueriesContext(connection) as queries:
        records.interaction_create(
            owner=student, contact=contact, date=datetime.date(2026, 7, 14), kind="email"
        )
    return len(queries)


@pytest.mark.parametrize("size", [5, 60])
def test_logging_an_interaction_costs_the_same_queries_whatever_the_network(
    size, django_capture_on_commit_callbacks
):
    student, people = _network(size)
    # The day's first change evaluates the whole student and keeps the answer.
    _queries_to_log(student, people[0], django_capture_on_commit_callbacks)
    # Then: the write, closing what it answers, and the touched contacts' records (twice,
    # when the focus set is re-evaluated too), the stored nudges about them, and the writes.
    count = _queries_to_log(student, people[-1], django_capture_on_commit_callbacks)
    assert count <= 24
    TestCounts.seen[size] = count
    if len(TestCounts.seen) == 2:
        assert TestCounts.seen[5] == TestCounts.seen[60]


class TestCounts:
    seen: dict[int, int] = {}


def test_the_incremental_refresh_stores_what_a_full_refresh_would(
    student, django_capture_on_commit_callbacks
):
    people = ContactFactory.create_batch(8, owner=student, role="faculty", would_vouch=True)
    for person in people:
        for day in (1, 8, 15):
            InteractionFactory(
                owner=student, contact=person, kind="meeting", date=datetime.date(2026, 6, day)
            )
    with django_capture_on_commit_callbacks(execute=True):
        records.interaction_create(
            owner=student, contact=people[0], date=datetime.date(2026, 7, 13), kind="meeting"
        )
    fresh = type(student).objects.get(pk=student.pk)
    with django_capture_on_commit_callbacks(execute=True):
        records.interaction_create(
            owner=fresh, contact=people[5], date=datetime.date(2026, 7, 14), kind="feedback"
        )

    def live_rows():
        return sorted(
            Nudge.objects.filter(owner=student, state=NudgeState.OPEN).values_list(
                "key", "due", "reason", "stakes", "group"
            )
        )

    incremental = live_rows()
    baseline.forget()
    from reminders.nudges.services import refresh_student

    refresh_student(student)
    assert live_rows() == incremental
    assert any(key.startswith("thank_you:") for key, *_ in incremental)
