"""Settings → Your data: download your own file, upload one into your own account."""

import datetime
import html
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts import datafile
from contacts.datafile_forms import MAX_UPLOAD_BYTES
from contacts.models import Contact
from crm.models import User
from tests.contacts.test_datafile import record_counts, sample_document
from tests.factories import ContactFactory

EXPORT_URL = reverse("contacts:data_export")
IMPORT_URL = reverse("data_import")


def upload(document, name: str = "advocate.json") -> SimpleUploadedFile:
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


# --- download ------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 22, 15, 0, tzinfo=datetime.UTC), tick=False)
def test_export_downloads_the_students_own_file(student_client, student):
    ContactFactory(owner=student, name="Dr. José Núñez")

    response = student_client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="advocate-2026-11-22.json"'
    assert json.loads(response.content.decode("utf-8")) == datafile.export_document(student)
    assert "Dr. José Núñez".encode() in response.content


@time_machine.travel(datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC), tick=False)
def test_the_file_is_named_for_the_date_in_the_students_time_zone(student_client):
    # 03:00 UTC on the 23rd is still the evening of the 22nd in Chicago.
    response = student_client.get(EXPORT_URL)

    assert response["Content-Disposition"] == 'attachment; filename="advocate-2026-11-22.json"'


def test_export_never_includes_another_students_records(client, student, other_student):
    ContactFactory(owner=student, name="Ada's mentor")
    ContactFactory(owner=other_student, name="Grace's mentor")
    client.force_login(other_student, backend="django.contrib.auth.backends.ModelBackend")

    document = json.loads(client.get(EXPORT_URL).content)

    assert document["student"]["email"] == other_student.email
    assert [contact["name"] for contact in document["contacts"]] == ["Grace's mentor"]


def test_export_ignores_any_attempt_to_name_another_student(student_client, other_student):
    ContactFactory(owner=other_student, name="Grace's mentor")

    response = student_client.get(EXPORT_URL, {"student": other_student.email})

    assert b"Grace's mentor" not in response.content


def test_export_is_download_only(student_client):
    assert student_client.post(EXPORT_URL).status_code == 405


# --- upload --------------------------------------------------------------------------------


def test_import_adds_the_files_records_and_says_how_many(student_client, student):
    ContactFactory(owner=student, name="Already here")

    response = student_client.post(IMPORT_URL, {"file": upload(sample_document())}, follow=True)

    assert response.redirect_chain == [(reverse("settings_section", args=["data"]), 302)]
    assert Contact.objects.filter(owner=student).count() == 3
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "Imported 2 contacts, 1 rotation, 2 interactions, 1 letter for ada@example.edu."
    ]


def test_import_goes_into_the_signed_in_student_whatever_the_file_says(
    student_client, student, other_student
):
    users_before = User.objects.count()

    response = student_client.post(
        IMPORT_URL, {"file": upload(sample_document(email=other_student.email))}
    )

    assert response.status_code == 302
    assert Contact.objects.filter(owner=student).count() == 2
    assert not Contact.objects.filter(owner=other_student).exists()
    assert User.objects.count() == users_before
    student.refresh_from_db()
    assert student.email == "ada@example.edu"


def test_a_bad_file_shows_the_path_at_the_field_and_imports_nothing(student_client):
    document = sample_document()
    document["letters"][0]["due"] = "2027-13-01"
    before = record_counts()

    response = student_client.post(IMPORT_URL, {"file": upload(document)})

    assert response.status_code == 400
    assert "crm/settings/data.html" in [template.name for template in response.templates]
    assert response.context["data_form"].errors["file"] == [
        'letters[0].due: not a date "2027-13-01"'
    ]
    page = response.content.decode()
    assert html.escape('letters[0].due: not a date "2027-13-01"') in page
    assert "Nothing was imported." in page
    assert 'aria-invalid="true"' in page
    assert record_counts() == before


def test_a_file_that_is_not_json_is_refused(student_client):
    before = record_counts()

    response = student_client.post(IMPORT_URL, {"file": upload(b"name,role\nMaya,faculty\n")})

    assert response.status_code == 400
    assert "This is not a JSON file" in response.context["data_form"].errors["file"][0]
    assert record_counts() == before


def test_a_file_that_is_not_utf8_is_refused(student_client):
    response = student_client.post(IMPORT_URL, {"file": upload(b'{"name": "Jos\xe9"}')})

    assert response.status_code == 400
    assert response.context["data_form"].errors["file"] == ["This file is not UTF-8 text."]


def test_a_file_with_a_byte_order_mark_is_read(student_client, student):
    content = b"\xef\xbb\xbf" + json.dumps(sample_document()).encode()

    response = student_client.post(IMPORT_URL, {"file": upload(content)})

    assert response.status_code == 302
    assert Contact.objects.filter(owner=student).count() == 2


def test_a_file_over_five_megabytes_is_refused(student_client):
    response = student_client.post(IMPORT_URL, {"file": upload(b" " * (MAX_UPLOAD_BYTES + 1))})

    assert response.status_code == 400
    assert response.context["data_form"].errors["file"] == ["This file is larger than 5 MB."]


def test_an_import_without_a_file_is_refused(student_client):
    response = student_client.post(IMPORT_URL, {})

    assert response.status_code == 400
    assert response.context["data_form"].errors["file"] == ["Choose a file first."]


def test_import_is_post_only(student_client):
    assert student_client.get(IMPORT_URL).status_code == 405


def test_an_advisor_cannot_import_records(client, advisor):
    client.force_login(advisor, backend="django.contrib.auth.backends.ModelBackend")
    before = record_counts()

    response = client.post(IMPORT_URL, {"file": upload(sample_document())})

    assert response.status_code == 403
    assert record_counts() == before


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), [("get", EXPORT_URL), ("post", IMPORT_URL)])
def test_anonymous_visitors_are_sent_to_log_in(client, db, method, url):
    before = record_counts()

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert record_counts() == before


# --- the settings fragment -----------------------------------------------------------------


def test_the_settings_page_offers_download_and_upload(student_client):
    response = student_client.get(reverse("settings_section", args=["data"]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your data" in page
    assert f'href="{EXPORT_URL}"' in page
    assert f'action="{IMPORT_URL}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "added" in page and "nothing is replaced or deleted" in page
