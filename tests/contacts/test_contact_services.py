"""Writes in contacts/services.py for institutions, contacts and interactions."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from contacts import services
from contacts.models import Contact, Institution, Interaction
from tests.factories import (
    ContactFactory,
    InstitutionFactory,
    InteractionFactory,
)

DAY = datetime.date(2027, 7, 10)


# --- Institutions -----------------------------------------------------------------------------


def test_institution_get_or_create_returns_nothing_for_a_blank_name(student):
    assert services.institution_get_or_create(owner=student, name="  ") is None
    assert not Institution.objects.exists()


def test_institution_get_or_create_creates_a_new_institution(student):
    institution = services.institution_get_or_create(
        owner=student, name=" Northside ", city="Evanston", state="IL", setting="community"
    )
    assert (institution.owner, institution.name, institution.place) == (
        student,
        "Northside",
        "Evanston, IL",
    )


def test_institution_get_or_create_reuses_a_name_in_any_case(student):
    lakeshore = InstitutionFactory(owner=student, name="Lakeshore")
    assert services.institution_get_or_create(owner=student, name="LAKESHORE") == lakeshore
    assert Institution.objects.count() == 1


def test_institution_get_or_create_fills_blanks_but_never_overwrites(student):
    lakeshore = InstitutionFactory(owner=student, name="Lakeshore", city="Chicago", state="")
    services.institution_get_or_create(
        owner=student, name="Lakeshore", city="Elsewhere", state="IL"
    )
    lakeshore.refresh_from_db()
    assert (lakeshore.city, lakeshore.state) == ("Chicago", "IL")


def test_institution_get_or_create_never_reuses_another_students_institution(
    student, other_student
):
    theirs = InstitutionFactory(owner=other_student, name="Lakeshore")
    mine = services.institution_get_or_create(owner=student, name="Lakeshore")
    assert mine != theirs
    assert mine.owner == student


# --- Contacts ---------------------------------------------------------------------------------


def test_contact_create_strips_the_name_and_saves(student):
    contact = services.contact_create(owner=student, name="  Dr. Patel ", role="fellow")
    assert Contact.objects.get() == contact
    assert (contact.name, contact.role) == ("Dr. Patel", "fellow")


def test_contact_create_validates_before_saving(student):
    with pytest.raises(ValidationError) as error:
        services.contact_create(owner=student, name=" ", role="pope")
    assert set(error.value.message_dict) == {"name", "role"}
    assert not Contact.objects.exists()


def test_contact_create_refuses_another_students_institution(student, other_student):
    theirs = InstitutionFactory(owner=other_student)
    with pytest.raises(ValidationError, match="belongs to another student"):
        services.contact_create(owner=student, name="Dr. Patel", institution=theirs)


def test_contact_update_validates_and_saves(student):
    contact = ContactFactory(owner=student)
    services.contact_update(contact=contact, specialty="Surgery")
    contact.refresh_from_db()
    assert contact.specialty == "Surgery"
    with pytest.raises(ValidationError):
        services.contact_update(contact=contact, email="not-an-email")


def test_contact_archive_archives_and_brings_back(student):
    contact = ContactFactory(owner=student)
    services.contact_archive(contact=contact)
    assert Contact.objects.get().archived is True
    services.contact_archive(contact=contact, archived=False)
    assert Contact.objects.get().archived is False


def test_contact_delete_deletes_the_contact_and_its_interactions(student):
    contact = InteractionFactory(owner=student).contact
    services.contact_delete(contact=contact)
    assert not Contact.objects.exists()
    assert not Interaction.objects.exists()


# --- Interactions -----------------------------------------------------------------------------


def test_interaction_create_records_the_interaction(student):
    contact = ContactFactory(owner=student)
    interaction = services.interaction_create(
        owner=student, contact=contact, date=DAY, kind="email", summary="Sent a CV"
    )
    assert Interaction.objects.get() == interaction
    assert interaction.direction == "outbound"


def test_interaction_create_refuses_another_students_contact(student, other_student):
    with pytest.raises(ValidationError, match="belongs to another student"):
        services.interaction_create(
            owner=student, contact=ContactFactory(owner=other_student), date=DAY, kind="email"
        )
    assert not Interaction.objects.exists()


def test_interaction_create_refuses_an_unknown_kind(student):
    with pytest.raises(ValidationError):
        services.interaction_create(
            owner=student, contact=ContactFactory(owner=student), date=DAY, kind="gossip"
        )


def test_talking_to_an_archived_contact_brings_them_back(student):
    contact = ContactFactory(owner=student, archived=True)
    services.interaction_create(owner=student, contact=contact, date=DAY, kind="call")
    contact.refresh_from_db()
    assert contact.archived is False


def test_interaction_update_refuses_another_students_contact(student, other_student):
    interaction = InteractionFactory(owner=student)
    with pytest.raises(ValidationError, match="belongs to another student"):
        services.interaction_update(
            interaction=interaction, contact=ContactFactory(owner=other_student)
        )


def test_interaction_log_records_with_an_existing_contact(student):
    contact = ContactFactory(owner=student)
    interaction = services.interaction_log(owner=student, contact=contact, date=DAY, kind="call")
    assert interaction.contact == contact
    assert Contact.objects.count() == 1


def test_interaction_log_adds_a_new_contact_with_the_role_given(student):
    interaction = services.interaction_log(
        owner=student,
        new_contact_name="Dr. Sam Okafor",
        new_contact_role="chief_resident",
        date=DAY,
        kind="meeting",
    )
    assert (interaction.contact.name, interaction.contact.role) == (
        "Dr. Sam Okafor",
        "chief_resident",
    )
    assert interaction.contact.owner == student


def test_interaction_log_reuses_a_contact_of_exactly_that_name(student):
    contact = ContactFactory(owner=student, name="Dr. Sam Okafor")
    interaction = services.interaction_log(
        owner=student, new_contact_name="DR. SAM OKAFOR", date=DAY, kind="meeting"
    )
    assert interaction.contact == contact


def test_interaction_log_adds_nobody_when_the_interaction_is_refused(student):
    with pytest.raises(ValidationError):
        services.interaction_log(owner=student, new_contact_name="Dr. New", date=DAY, kind="x")
    assert not Contact.objects.exists()


def test_interaction_delete_deletes_only_that_interaction(student):
    contact = ContactFactory(owner=student)
    gone, kept = InteractionFactory.create_batch(2, owner=student, contact=contact)
    services.interaction_delete(interaction=gone)
    assert list(Interaction.objects.all()) == [kept]
