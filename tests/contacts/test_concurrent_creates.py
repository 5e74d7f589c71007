"""Several people saved at once naming the same new institution: every save succeeds, and the
institution exists once (it was an IntegrityError on institution_name_unique, a 500)."""

import pytest
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, Institution, Rotation
from tests.concurrency import on_postgresql, released_together

pytestmark = [on_postgresql, pytest.mark.django_db(transaction=True)]

AT_ONCE = 6


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_simultaneous_new_contacts_at_one_new_institution_all_save(student):
    def add_contact(index):
        client = _signed_in(student)
        yield
        response = client.post(
            reverse("contacts:create"),
            {
                "name": f"Dr. Number {index}",
                "role": "faculty",
                "institution_name": "Brand New Hospital",
                "institution_city": "Chicago",
            },
        )
        return response.status_code

    statuses = released_together(AT_ONCE, add_contact)

    assert statuses == [302] * AT_ONCE
    assert Institution.objects.filter(owner=student, name="Brand New Hospital").count() == 1
    institution = Institution.objects.get(owner=student)
    assert Contact.objects.filter(owner=student, institution=institution).count() == AT_ONCE


def test_simultaneous_new_rotations_at_one_new_institution_all_save(student):
    def add_rotation(index):
        client = _signed_in(student)
        yield
        response = client.post(
            reverse("contacts:rotation_create"),
            {
                "name": f"Elective {index}",
                "kind": "elective",
                "institution_name": "Brand New Hospital",
                "start": "2027-07-01",
                "end": "2027-07-28",
            },
        )
        return response.status_code

    statuses = released_together(AT_ONCE, add_rotation)

    assert statuses == [302] * AT_ONCE
    assert Institution.objects.filter(owner=student).count() == 1
    assert Rotation.objects.filter(owner=student).count() == AT_ONCE


def test_two_students_racing_for_the_same_institution_name_each_get_their_own(
    student, other_student
):
    students = [student, other_student] * 3

    def add_contact(index):
        client = _signed_in(students[index])
        yield
        response = client.post(
            reverse("contacts:create"),
            {"name": f"Dr. {index}", "role": "faculty", "institution_name": "Shared Name"},
        )
        return response.status_code

    assert released_together(len(students), add_contact) == [302] * len(students)
    assert Institution.objects.filter(name="Shared Name").count() == 2
    for owner in (student, other_student):
        institution = Institution.objects.get(owner=owner)
        assert set(
            Contact.objects.filter(institution=institution).values_list("owner", flat=True)
        ) == {owner.pk}
