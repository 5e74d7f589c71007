"""Each contact keeps the date of its latest interaction, through every interaction write, so
the contact list sorts on an index instead of a subquery per contact."""

import datetime

from django.urls import reverse

from contacts import services
from contacts.models import Contact, Interaction
from crm.models import User
from tests.factories import ContactFactory

D = datetime.date


def _last(contact) -> datetime.date | None:
    return Contact.objects.get(pk=contact.pk).last_contact_on


def _log(student, contact, day):
    return services.interaction_create(owner=student, contact=contact, date=day, kind="meeting")


def test_logging_an_interaction_moves_the_last_contact_forward_never_back(student):
    contact = ContactFactory(owner=student)
    assert _last(contact) is None

    _log(student, contact, D(2027, 3, 1))
    _log(student, contact, D(2027, 1, 1))

    assert _last(contact) == D(2027, 3, 1)


def test_editing_and_deleting_interactions_recompute_it(student):
    contact, other = ContactFactory(owner=student), ContactFactory(owner=student)
    early = _log(student, contact, D(2027, 1, 1))
    late = _log(student, contact, D(2027, 3, 1))

    services.interaction_update(interaction=late, date=D(2026, 12, 1))
    assert _last(contact) == D(2027, 1, 1)

    services.interaction_update(interaction=early, contact=other)
    assert (_last(contact), _last(other)) == (D(2026, 12, 1), D(2027, 1, 1))

    services.interaction_delete(interaction=late)
    assert _last(contact) is None


def test_refresh_for_bulk_writers_recomputes_only_that_students_contacts(student, other_student):
    mine, theirs = ContactFactory(owner=student), ContactFactory(owner=other_student)
    for contact in (mine, theirs):
        Interaction.objects.bulk_create(
            [Interaction(owner=contact.owner, contact=contact, date=D(2027, 5, 5), kind="email")]
        )

    updated = services.contacts_refresh_last_contact(
        owner_id=student.pk, contact_ids=[mine.pk, theirs.pk]
    )

    assert updated == 1
    assert (_last(mine), _last(theirs)) == (D(2027, 5, 5), None)


def test_the_contact_list_sorts_most_recent_first_and_never_contacted_last(student_client, student):
    never = ContactFactory(owner=student, name="Never")
    old = ContactFactory(owner=student, name="Old")
    new = ContactFactory(owner=student, name="New")
    _log(student, old, D(2026, 1, 1))
    _log(student, new, D(2027, 1, 1))

    rows = student_client.get("/contacts/").context["rows"]

    assert [row.name for row in rows] == [new.name, old.name, never.name]


def test_an_edit_and_a_delete_in_the_admin_keep_it_too(client, student):
    operator = User.objects.create_superuser(email="ops@example.edu", password="x-long-pass")
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    contact = ContactFactory(owner=student)
    interaction = _log(student, contact, D(2027, 1, 1))
    fields = {
        "owner": student.pk,
        "contact": contact.pk,
        "date": "2027-06-01",
        "kind": "meeting",
        "direction": "outbound",
        "context": "clinical",
        "summary": "",
        "follow_up_by": "",
    }

    edited = client.post(
        reverse("admin:contacts_interaction_change", args=[interaction.pk]), fields
    )
    assert edited.status_code == 302
    assert _last(contact) == D(2027, 6, 1)

    deleted = client.post(
        reverse("admin:contacts_interaction_delete", args=[interaction.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert _last(contact) is None
