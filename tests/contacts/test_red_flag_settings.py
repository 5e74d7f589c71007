"""Settings → Red flags: a student adds, edits and deletes their own red flags (issue 19)."""

import pytest
from django.urls import reverse

from contacts.models import RedFlag
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_settings_page_says_a_red_flag_is_private(student_client):
    page = student_client.get(reverse("settings_section", args=["red-flags"])).content.decode()
    assert 'id="red-flags"' in page
    assert "never shown to anyone else, and never in an email subject" in page


def test_a_student_adds_edits_and_deletes_a_red_flag(student_client, student):
    response = student_client.post(
        reverse("contacts:red_flag_create"),
        {"kind": "exam", "note": "Failed Step 1 first attempt; passed; Step 2 CK 246"},
    )
    assert response.status_code == 302 and response["Location"] == "/settings/red-flags/"
    flag = RedFlag.objects.get(owner=student)
    assert flag.kind == "exam" and not flag.shared
    section = reverse("settings_section", args=["red-flags"])
    assert "Step 2 CK 246" in student_client.get(section).content.decode()

    edit = reverse("contacts:red_flag_edit", args=[flag.pk])
    assert student_client.get(edit).status_code == 200
    student_client.post(
        edit, {"kind": "leave", "note": "A leave in MS2, for family", "shared": "on"}
    )
    flag.refresh_from_db()
    assert (flag.kind, flag.note, flag.shared) == ("leave", "A leave in MS2, for family", True)

    student_client.post(reverse("contacts:red_flag_delete", args=[flag.pk]))
    assert not RedFlag.objects.filter(owner=student).exists()


def test_a_note_must_be_one_line(student_client, student):
    response = student_client.post(
        reverse("contacts:red_flag_create"), {"kind": "exam", "note": "one\ntwo"}
    )
    assert response.status_code == 400
    assert not RedFlag.objects.filter(owner=student).exists()


def test_another_students_red_flag_is_a_404(student_client):
    other = UserFactory(email="other@example.edu")
    flag = RedFlag.objects.create(owner=other, kind="gap", note="A gap year")
    assert student_client.get(reverse("contacts:red_flag_edit", args=[flag.pk])).status_code == 404
    response = student_client.post(reverse("contacts:red_flag_delete", args=[flag.pk]))
    assert response.status_code == 404
    assert RedFlag.objects.filter(pk=flag.pk).exists()
