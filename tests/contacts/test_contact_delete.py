"""Deleting a contact is one cascade and one stamp, however long the history."""

import pytest

from contacts import services
from contacts.models import Contact, Interaction
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_contact_with_30_interactions_costs_a_fixed_number_of_queries(
    student, django_assert_num_queries
):
    contact = ContactFactory(owner=student)
    InteractionFactory.create_batch(30, owner=student, contact=contact)
    # 1 select the nudges (their own cascade), 5 fast deletes (team places, interactions,
    # letters, ties, Match story callers: no model signals left to call per row), 1 delete the
    # contact, 1 stamp the student. Before the explicit stamp it was 37: a select per cascade
    # and an UPDATE per row.
    with django_assert_num_queries(8):
        services.contact_delete(contact=contact)
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert not Interaction.objects.filter(contact_id=contact.pk).exists()


def test_deleting_a_contact_stamps_the_student_once(student):
    contact = ContactFactory(owner=student)
    before = type(student).objects.get(pk=student.pk).records_changed_at
    services.contact_delete(contact=contact)
    assert type(student).objects.get(pk=student.pk).records_changed_at > before
