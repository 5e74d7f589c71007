"""Every field is tied to its help and its errors: each id an input's aria-describedby names
exists on the page (templates/forms/field.html keeps Django's ids)."""

import re

import pytest
from django.urls import reverse

DESCRIBED_BY = re.compile(r'aria-describedby="([^"]+)"')


def _missing_ids(content: str) -> list[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', content))
    wanted = {name for match in DESCRIBED_BY.findall(content) for name in match.split()}
    return sorted(wanted - ids)


@pytest.mark.parametrize(
    "url_name",
    ["contacts:create", "contacts:rotation_create", "contacts:letter_create", "settings_section"],
)
def test_every_described_by_id_exists_on_a_students_form(student_client, url_name):
    args = ["profile"] if url_name == "settings_section" else []
    content = student_client.get(reverse(url_name, args=args)).content.decode()
    assert DESCRIBED_BY.search(content)
    assert _missing_ids(content) == []


def test_errors_are_announced_with_their_field_after_a_bad_post(student_client):
    content = student_client.post(reverse("contacts:create"), {"email": "nope"}).content.decode()
    assert 'id="id_email_error"' in content and 'id="id_name_error"' in content
    assert re.search(
        r'<input[^>]*aria-describedby="id_email_error"[^>]*aria-invalid="true"', content
    ) or re.search(r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_email_error"', content)
    assert _missing_ids(content) == []


def test_signup_ties_the_password_help_to_the_password(client, db):
    content = client.get(reverse("signup")).content.decode()
    assert 'aria-describedby="id_password_helptext"' in content
    assert 'id="id_password_helptext"' in content
    assert _missing_ids(content) == []


def test_the_common_errors_are_said_kindly(student_client):
    response = student_client.post(reverse("contacts:create"), {"email": "nope"})
    form = response.context["form"]
    assert form.errors["name"] == ["Please fill this in."]
    assert form.errors["email"] == ["That doesn't look like an email address. Check for a typo?"]


def test_sign_up_keeps_the_time_zone_the_student_confirmed(client, db):
    from crm.models import User

    data = {
        "name": "Priya Raman",
        "email": "priya@example.edu",
        "match_year": "2028",
        "timezone": "Asia/Kolkata",
        "password": "a-long-enough-passphrase",
    }
    assert client.post(reverse("signup"), data).status_code == 302
    assert User.objects.get(email="priya@example.edu").timezone == "Asia/Kolkata"


def test_sign_up_refuses_a_time_zone_that_does_not_exist(client, db):
    data = {"name": "P", "email": "p@example.edu", "match_year": "2028", "timezone": "Mars/Base"}
    response = client.post(reverse("signup"), data)
    assert "timezone" in response.context["form"].errors
