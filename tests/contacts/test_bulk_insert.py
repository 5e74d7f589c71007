"""contacts.bulk_insert: many rows inserted as bulk_create would store them (by COPY on
PostgreSQL, through bulk_create elsewhere)."""

import datetime

import pytest

from contacts.bulk_insert import insert_rows
from contacts.models import Contact, Interaction
from tests.factories import ContactFactory


def test_a_row_takes_the_models_defaults_for_what_it_leaves_out(student):
    [made_id] = insert_rows(
        Contact, [{"owner_id": student.pk, "name": "Dr. Rao"}], returning_ids=True
    )
    [reference] = Contact.objects.bulk_create([Contact(owner=student, name="Dr. Rao")])

    made, reference = Contact.objects.get(pk=made_id), Contact.objects.get(pk=reference.pk)
    for field in Contact._meta.concrete_fields:
        if field.attname not in {"id", "created_at", "updated_at"}:
            assert getattr(made, field.attname) == getattr(reference, field.attname), field
    assert made.tags == [] and made.role == reference.role and not made.archived
    assert made.created_at is not None and made.updated_at is not None


def test_the_ids_come_back_in_the_rows_order(student):
    ContactFactory(owner=student)  # the sequence has moved on already

    ids = insert_rows(
        Contact,
        [{"owner_id": student.pk, "name": f"Dr. {n}", "tags": [f"t{n}"]} for n in range(5)],
        returning_ids=True,
    )

    assert [(c.name, c.tags) for c in (Contact.objects.get(pk=pk) for pk in ids)] == [
        (f"Dr. {n}", [f"t{n}"]) for n in range(5)
    ]


def test_dates_text_and_nulls_are_stored_as_they_are(student):
    contact = ContactFactory(owner=student)
    rows = [
        {
            "owner_id": student.pk,
            "contact_id": contact.pk,
            "date": datetime.date(2027, 7, 10),
            "kind": "meeting",
            "summary": "Café, Núñez \u2014 a tab\there, a \\ backslash",
            "follow_up_by": None,
        },
        {
            "owner_id": student.pk,
            "contact_id": contact.pk,
            "date": datetime.date(2027, 7, 12),
            "kind": "email",
            "summary": "",
            "follow_up_by": datetime.date(2027, 8, 1),
        },
    ]

    assert insert_rows(Interaction, rows) is None

    stored = list(
        Interaction.objects.filter(owner=student)
        .order_by("date")
        .values("date", "kind", "summary", "follow_up_by", "client_key")
    )
    assert stored == [
        {key: row[key] for key in ("date", "kind", "summary", "follow_up_by")}
        | {"client_key": None}
        for row in rows
    ]


def test_nothing_to_insert_makes_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(Contact, [], returning_ids=True) == []


def test_a_field_the_model_does_not_have_is_refused(student):
    with pytest.raises(TypeError):
        insert_rows(Contact, [{"owner_id": student.pk, "name": "Dr. Rao", "nickname": "R"}])
    assert not Contact.objects.exists()
