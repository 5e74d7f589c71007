"""The records of contacts/models.py and the rules the database itself keeps."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contacts.models import Contact, Institution, Interaction, LetterRequest, TeamMember
from tests.factories import (
    ContactFactory,
    InstitutionFactory,
    InteractionFactory,
    LetterRequestFactory,
    RotationFactory,
    TeamMemberFactory,
)


def test_a_rotation_cannot_end_before_it_starts(student):
    with pytest.raises(IntegrityError), transaction.atomic():
        RotationFactory(
            owner=student, start=datetime.date(2027, 7, 28), end=datetime.date(2027, 7, 1)
        )


def test_a_rotation_ending_before_it_starts_fails_validation_with_plain_words(student):
    rotation = RotationFactory.build(
        owner=student,
        institution=None,
        start=datetime.date(2027, 7, 28),
        end=datetime.date(2027, 7, 1),
    )
    with pytest.raises(ValidationError, match="must end on or after the day it starts"):
        rotation.full_clean()


def test_a_one_day_rotation_is_allowed(student):
    day = datetime.date(2027, 7, 1)
    rotation = RotationFactory(owner=student, start=day, end=day)
    assert rotation.weeks == 1


def test_rotation_weeks_round_its_length(student):
    rotation = RotationFactory(
        owner=student, start=datetime.date(2027, 7, 1), end=datetime.date(2027, 7, 28)
    )
    assert rotation.weeks == 4


def test_a_contact_has_one_team_place_per_rotation(student):
    member = TeamMemberFactory(rotation=RotationFactory(owner=student))
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.create(rotation=member.rotation, contact=member.contact)


def test_a_second_team_place_fails_validation_with_plain_words(student):
    member = TeamMemberFactory(rotation=RotationFactory(owner=student))
    duplicate = TeamMember(rotation=member.rotation, contact=member.contact)
    with pytest.raises(ValidationError, match="already on the rotation's team"):
        duplicate.full_clean()


def test_the_same_contact_can_join_different_rotations(student):
    contact = ContactFactory(owner=student)
    TeamMemberFactory(rotation=RotationFactory(owner=student), contact=contact)
    TeamMemberFactory(rotation=RotationFactory(owner=student), contact=contact)
    assert contact.team_memberships.count() == 2


@pytest.mark.parametrize("weeks", [0, 52])
def test_weeks_together_within_a_year_are_plausible(student, weeks):
    member = TeamMemberFactory(rotation=RotationFactory(owner=student), weeks_together=weeks)
    member.full_clean()


def test_more_than_52_weeks_together_is_refused(student):
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMemberFactory(rotation=RotationFactory(owner=student), weeks_together=53)


def test_more_than_52_weeks_together_fails_validation_with_plain_words(student):
    member = TeamMemberFactory(rotation=RotationFactory(owner=student))
    member.weeks_together = 53
    with pytest.raises(ValidationError, match="Weeks together must be between 0 and 52"):
        member.full_clean()


def test_an_institution_name_is_unique_per_student(student):
    InstitutionFactory(owner=student, name="Lakeshore")
    with pytest.raises(IntegrityError), transaction.atomic():
        Institution.objects.create(owner=student, name="Lakeshore")


def test_a_duplicate_institution_name_fails_validation(student):
    InstitutionFactory(owner=student, name="Lakeshore")
    with pytest.raises(ValidationError):
        Institution(owner=student, name="Lakeshore").full_clean()


def test_two_students_can_each_have_an_institution_of_the_same_name(student, other_student):
    InstitutionFactory(owner=student, name="Lakeshore")
    InstitutionFactory(owner=other_student, name="Lakeshore")
    assert Institution.objects.filter(name="Lakeshore").count() == 2


def test_institution_place_joins_city_and_state(student):
    assert InstitutionFactory(owner=student, city="Chicago", state="IL").place == "Chicago, IL"
    assert InstitutionFactory(owner=student, city="", state="IL").place == "IL"
    assert InstitutionFactory(owner=student, city="", state="").place == ""


def test_owned_by_returns_only_the_students_records(student, other_student):
    mine = ContactFactory(owner=student)
    ContactFactory(owner=other_student)
    assert list(Contact.objects.owned_by(student)) == [mine]


def test_a_new_contact_has_no_role_yet_is_not_archived_and_is_untagged(student):
    # Never silently an attending: "not sure yet" until the student says.
    contact = Contact.objects.create(owner=student, name="Dr. Plain")
    assert (contact.role, contact.archived, contact.tags) == ("", False, [])


def test_interactions_list_newest_first(student):
    contact = ContactFactory(owner=student)
    older = InteractionFactory(owner=student, contact=contact, date=datetime.date(2027, 1, 1))
    newer = InteractionFactory(owner=student, contact=contact, date=datetime.date(2027, 2, 1))
    assert list(Interaction.objects.owned_by(student)) == [newer, older]


def test_an_interaction_reads_as_a_sentence(student):
    interaction = InteractionFactory(
        owner=student,
        contact=ContactFactory(owner=student, name="Dr. Patel"),
        kind="feedback",
        date=datetime.date(2027, 7, 10),
    )
    assert str(interaction) == "Feedback session with Dr. Patel on 2027-07-10"


def test_deleting_a_contact_deletes_its_history(student):
    contact = ContactFactory(owner=student)
    InteractionFactory(owner=student, contact=contact)
    LetterRequestFactory(owner=student, writer=contact)
    TeamMemberFactory(rotation=RotationFactory(owner=student), contact=contact)
    contact.delete()
    assert not Interaction.objects.exists()
    assert not LetterRequest.objects.exists()
    assert not TeamMember.objects.exists()


def test_deleting_an_institution_keeps_its_contacts(student):
    contact = ContactFactory(owner=student)
    contact.institution.delete()
    contact.refresh_from_db()
    assert contact.institution is None


def test_a_contact_links_to_its_page(student):
    contact = ContactFactory(owner=student)
    assert contact.get_absolute_url() == f"/contacts/{contact.pk}/"
