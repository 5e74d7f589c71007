"""Upload → preview → confirm on the web: the file stays on the server, the preview shows what
will happen, the confirm re-checks everything, and no input gets a 500."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import Contact, ImportUpload, Interaction
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def upload(client, name: str, data: bytes | None = None, format: str = ""):
    data = (FIXTURES / name).read_bytes() if data is None else data
    return client.post(
        reverse("contacts:import_start"),
        {"file": SimpleUploadedFile(name, data), "format": format},
    )


def preview_of(client, response):
    assert response.status_code == 302, response.content[:500]
    return client.get(response["Location"]), response["Location"]


def test_the_import_page_explains_each_source(student_client):
    response = student_client.get(reverse("contacts:import_start"))
    assert response.status_code == 200
    page = response.content.decode()
    for words in ("Connections.csv", "Export vCard", "Download the template", "Check the file"):
        assert words in page


def test_an_upload_shows_a_preview_and_writes_no_contact(student_client, student):
    response, url = preview_of(student_client, upload(student_client, "linkedin_connections.csv"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "6 new, 0 already in your contacts" in page
    assert "Lena Okafor" in page and "guessed" in page
    assert not Contact.objects.filter(owner=student).exists()
    assert ImportUpload.objects.filter(owner=student).count() == 1


def test_confirming_imports_with_the_chosen_roles_and_skips(student_client, student):
    response, url = preview_of(student_client, upload(student_client, "google_sheets.csv"))
    lines = dict(
        re.findall(
            r'<legend class="row-title">([^<]+)</legend>\s*<p class="row-meta">Line (\d+)',
            response.content.decode(),
        )
    )
    confirm = url + "confirm/"
    response = student_client.post(
        confirm,
        {f"role-{lines['Tom Reyes']}": "senior_resident", f"choice-{lines['Priya Raman']}": "skip"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("contacts:list")
    names = dict(Contact.objects.filter(owner=student).values_list("name", "role"))
    assert len(names) == 5 and "Priya Raman" not in names
    assert names["Tom Reyes"] == "senior_resident"
    assert names["Dr. Lena Okafor"] == "program_director"
    assert not ImportUpload.objects.exists()  # used once
    page = student_client.get(reverse("contacts:list")).content.decode()
    assert "Added 5 contacts, skipped 1, logged 4 last contacts." in page
    # The same confirm again: the upload is gone once imported, nothing doubles.
    again = student_client.post(confirm, {})
    assert again.status_code == 404
    assert Contact.objects.filter(owner=student).count() == 5


def test_a_second_upload_of_the_same_file_offers_only_matches(student_client, student):
    _response, url = preview_of(student_client, upload(student_client, "phone_contacts.vcf"))
    student_client.post(url + "confirm/", {})
    response, url = preview_of(student_client, upload(student_client, "phone_contacts.vcf"))
    page = response.content.decode()
    assert "0 new, 3 already in your contacts" in page
    assert "Nothing new: already up to date." in page
    student_client.post(url + "confirm/", {})
    assert Contact.objects.filter(owner=student).count() == 3


def test_a_match_can_be_skipped_instead_of_merged(student_client, student):
    lena = ContactFactory(
        owner=student, name="Dr. Lena Okafor", email="lena.okafor@lakeside.example.edu", phone=""
    )
    response, url = preview_of(student_client, upload(student_client, "phone_contacts.vcf"))
    page = response.content.decode()
    assert "matches" in page and "by email" in page and "Merging adds: phone" in page
    student_client.post(url + "confirm/", {"choice-1": "skip"})
    lena.refresh_from_db()
    assert lena.phone == ""
    assert Contact.objects.filter(owner=student).count() == 3


def test_rows_with_errors_are_listed_and_there_is_nothing_to_confirm(student_client, student):
    response, url = preview_of(student_client, upload(student_client, "bad_rows.csv"))
    page = response.content.decode()
    assert "These 4 rows have errors" in page
    assert "Line 5 · role" in page and "“wizard” is not a role we know" in page
    assert "Import the 1 good row, skip the 4 listed" in page
    refused = student_client.post(url + "confirm/", {})
    assert refused.status_code == 400
    assert not Contact.objects.filter(owner=student).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "That file is empty."),
        ("binary_junk.csv", "This is not a text file"),
        ("headers_only.csv", "only its header row"),
        ("wrong_columns.csv", "is not one we know"),
    ],
)
def test_a_bad_file_is_refused_on_the_upload_page(student_client, student, name, message):
    response = upload(student_client, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was imported." in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_a_file_over_5_mb_is_refused_before_it_is_read(student_client):
    response = upload(student_client, "big.csv", b"name\n" + b"x" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert "files up to 5 MB" in response.content.decode()


def test_a_file_over_5000_rows_is_refused_on_the_upload_page(student_client):
    rows = "".join(f"Person {n}\n" for n in range(5_001))
    response = upload(student_client, "many.csv", f"name\n{rows}".encode())
    assert response.status_code == 400
    assert (
        "This file has 5,001 rows; files up to 5,000 rows can be imported."
        in response.content.decode()
    )
    assert not ImportUpload.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.binary(max_size=300), format=st.sampled_from(["", "csv", "linkedin", "vcard", "xls"])
)
def test_no_upload_gets_a_server_error(student_client, data, format):
    # 40 examples as one student: fuzzing the reader, not the upload throttle.
    cache.clear()
    response = upload(student_client, "fuzz.csv", data, format=format)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert student_client.get(response["Location"]).status_code == 200


def test_posted_choices_are_checked_against_the_plan(student_client, student):
    _response, url = preview_of(student_client, upload(student_client, "google_sheets.csv"))
    response = student_client.post(url + "confirm/", {"role-2": "emperor", "choice-4": "merge"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 2: “emperor” is not a role." in page
    assert "Line 4: choose create or skip." in page
    assert not Contact.objects.filter(owner=student).exists()


def test_the_confirm_rechecks_the_contacts_as_they_are_now(student_client, student):
    _response, url = preview_of(student_client, upload(student_client, "phone_contacts.vcf"))
    # Meanwhile, Sam is added by hand: the confirm matches him instead of adding him twice.
    ContactFactory(owner=student, name="Sam Whitaker", email="sam.whitaker@example.com")
    student_client.post(url + "confirm/", {})
    assert Contact.objects.filter(owner=student, name="Sam Whitaker").count() == 1


def test_another_students_preview_is_not_found(student_client, other_student, client_for):
    _response, url = preview_of(student_client, upload(student_client, "phone_contacts.vcf"))
    other = client_for(other_student)
    assert other.get(url).status_code == 404
    assert other.post(url + "confirm/", {}).status_code == 404
    assert not Contact.objects.exists()


def test_an_expired_preview_sends_the_student_back_to_upload_again(student_client, student):
    with time_machine.travel(datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC)):
        _response, url = preview_of(student_client, upload(student_client, "phone_contacts.vcf"))
    with time_machine.travel(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)):
        response = student_client.get(url, follow=True)
    assert "That preview has expired" in response.content.decode()


def test_the_template_downloads_with_the_columns(student_client):
    response = student_client.get(reverse("contacts:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith(
        "\ufeffname,email,role,specialty,institution,city,state,how met,last contact,notes\r\n"
    )


def test_the_settings_page_links_to_import_and_export(student_client):
    page = student_client.get(reverse("settings_section", args=["data"])).content.decode()
    assert reverse("contacts:import_start") in page
    assert reverse("contacts:export_csv") in page


def test_a_big_file_previews_and_imports_in_one_post(student_client, student):
    rows = "".join(f"Person {n},p{n}@example.edu,PGY-{1 + n % 5}\n" for n in range(5_000))
    _response, url = preview_of(
        student_client, upload(student_client, "big.csv", f"name,email,role\n{rows}".encode())
    )
    fields = {f"role-{n + 2}": "fellow" for n in range(5_000)}
    fields |= {f"choice-{n + 2}": "create" for n in range(5_000)}
    response = student_client.post(url + "confirm/", fields)
    assert response.status_code == 302
    assert Contact.objects.filter(owner=student, role="fellow").count() == 5_000
    assert Interaction.objects.filter(owner=student).count() == 0


@pytest.fixture
def client_for():
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make
