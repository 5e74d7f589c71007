"""The rotation and team services and selectors behind the rotation pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from contacts import selectors, services
from contacts.models import Contact, TeamMember
from tests.factories import ContactFactory, RotationFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2027, 7, 1), datetime.date(2027, 7, 28)


@pytest.mark.parametrize(
    ("today", "timing"),
    [
        (datetime.date(2027, 6, 30), "upcoming"),
        (START, "current"),
        (END, "current"),
        (datetime.date(2027, 7, 29), "past"),
    ],
)
def test_rotation_timing_counts_the_first_and_last_days_as_current(today, timing):
    rotation = RotationFactory.build(start=START, end=END)
    assert selectors.rotation_timing(rotation, today) == timing


@pytest.mark.parametrize(
    "today", [datetime.date(2027, 6, 30), START, END, datetime.date(2027, 8, 1)]
)
def test_the_list_groups_rotations_as_rotation_timing_does(student, today):
    RotationFactory(owner=student, start=START, end=END)

    groups = selectors.group_rotations(selectors.rotations_for_list(student, today))

    assert [group.timing for group in groups] == [
        selectors.rotation_timing(RotationFactory.build(start=START, end=END), today)
    ]


def test_the_list_counts_each_rotations_team(student):
    rotation = RotationFactory(owner=student)
    TeamMemberFactory.create_batch(2, rotation=rotation)
    RotationFactory(owner=student)

    sizes = sorted(r.team_size for r in selectors.rotations_for_list(student, START))

    assert sizes == [0, 2]


def test_joining_twice_is_refused_with_a_clear_message(student):
    member = TeamMemberFactory(rotation__owner=student, contact__name="Dr. Rivera")

    with pytest.raises(ValidationError, match="Dr. Rivera is already on the team."):
        services.team_member_join(
            rotation=member.rotation, contact=member.contact, weeks_together=1
        )


def test_a_refused_join_does_not_leave_a_new_contact_behind(student):
    rotation = RotationFactory(owner=student)

    with pytest.raises(ValidationError):
        services.team_member_join(rotation=rotation, new_name="Dr. Okafor", weeks_together=99)

    assert not Contact.objects.filter(name="Dr. Okafor").exists()


def test_joining_refuses_another_students_contact(student, other_student):
    rotation = RotationFactory(owner=student)
    with pytest.raises(ValidationError):
        services.team_member_join(
            rotation=rotation, contact=ContactFactory(owner=other_student), weeks_together=1
        )
    assert not TeamMember.objects.exists()


def test_find_or_create_never_matches_another_students_contact(student, other_student):
    theirs = ContactFactory(owner=other_student, name="Dr. Okafor")
    mine = services.contact_find_or_create(owner=student, name="Dr. Okafor")
    assert mine != theirs
    assert mine.owner == student
