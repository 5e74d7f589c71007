"""The engine's standing is cached per student and day, and recomputed when records change."""

import datetime

import pytest
import time_machine

from contacts import services
from crm.models import User
from reminders.evaluation.standing import student_standing
from tests.factories import ContactFactory, RotationFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 8, 2)


def _fresh(student) -> User:
    # Each request loads the user anew; so does this, to read the latest stamp.
    return User.objects.get(pk=student.pk)


def test_a_second_look_the_same_day_needs_no_queries(student, django_assert_num_queries):
    ContactFactory(owner=student)
    student_standing(_fresh(student), TODAY)
    user = _fresh(student)
    with django_assert_num_queries(0):
        student_standing(user, TODAY)


def test_logging_an_interaction_changes_the_answer(student):
    # The worker refreshes the student on their own today, which must be the page's.
    with time_machine.travel(datetime.datetime(2027, 8, 2, 18, tzinfo=datetime.UTC), tick=False):
        _logging_changes_the_answer(student)


def _logging_changes_the_answer(student):
    member = TeamMemberFactory(rotation__owner=student, weeks_together=8)
    contact = member.contact
    before = student_standing(_fresh(student), TODAY).tiers[contact.pk]
    for day in (1, 2, 3):
        services.interaction_create(
            owner=student,
            contact=contact,
            date=TODAY - datetime.timedelta(days=day),
            kind="feedback",
            context="research",
        )
    after = student_standing(_fresh(student), TODAY).tiers[contact.pk]
    assert (before, after) == ("developing", "advocate")


def test_every_kind_of_record_change_stamps_the_student(student):
    # Through the records' services: each calls crm.events.records_changed once per change.
    rotation = RotationFactory(owner=student)
    stamps = [_fresh(student).records_changed_at]
    contact = services.contact_create(owner=student, name="Dr. Rao")
    stamps.append(_fresh(student).records_changed_at)
    interaction = services.interaction_create(
        owner=student, contact=contact, date=TODAY, kind="meeting"
    )
    stamps.append(_fresh(student).records_changed_at)
    member = services.team_member_add(rotation=rotation, contact=contact)
    stamps.append(_fresh(student).records_changed_at)
    services.team_member_remove(member=member)
    stamps.append(_fresh(student).records_changed_at)
    services.interaction_delete(interaction=interaction)
    stamps.append(_fresh(student).records_changed_at)
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_another_day_is_a_new_answer_from_the_worker(student):
    member = TeamMemberFactory(rotation__owner=student, weeks_together=8)
    services.interaction_create(
        owner=student, contact=member.contact, date=TODAY, kind="feedback", context="research"
    )
    with time_machine.travel(datetime.datetime(2027, 8, 2, 18, tzinfo=datetime.UTC)):
        today = student_standing(_fresh(student), TODAY).progress
    later = TODAY + datetime.timedelta(days=400)
    with time_machine.travel(datetime.datetime(2028, 9, 5, 18, tzinfo=datetime.UTC)):
        # A year on, quiet: the worker's answer for the new day, not yesterday's.
        assert student_standing(_fresh(student), later).progress != today


@pytest.mark.refresh_worker_idle
def test_a_page_never_scores_the_network_while_a_worker_can(student, django_assert_num_queries):
    # Nothing kept at all (the first page ever, a flushed cache): the page scores it itself.
    ContactFactory(owner=student)
    with django_assert_num_queries(7):
        first = student_standing(_fresh(student), TODAY)
    # A new day (or a change): the last standing, at once, while a worker works out today's.
    user = _fresh(student)
    with django_assert_num_queries(0):
        assert student_standing(user, TODAY + datetime.timedelta(days=1)) == first
