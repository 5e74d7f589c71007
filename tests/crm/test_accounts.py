import pytest
from django.core import mail
from django.urls import reverse

from crm.models import User

pytestmark = pytest.mark.django_db


def test_signup_creates_a_student_and_signs_them_in(client):
    response = client.post(
        reverse("signup"),
        {
            "name": "Ada Student",
            "email": "Ada@Example.edu",
            "match_year": 2028,
            "password": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.edu")
    assert user.is_student
    assert client.get(reverse("settings")).status_code == 200


def test_signup_keeps_what_was_typed_and_names_the_field_at_fault(client, student):
    response = client.post(
        reverse("signup"),
        {"name": "Someone", "email": student.email, "match_year": 2028, "password": "short"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "already exists" in form.errors["email"][0]
    assert "password" in form.errors
    assert b'value="Someone"' in response.content


def test_login_is_by_email_and_case_insensitive(client, student, password):
    response = client.post(reverse("login"), {"username": "ADA@example.edu", "password": password})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_login_is_paused_after_five_failures(client, student, password):
    for _ in range(5):
        client.post(reverse("login"), {"username": student.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": student.email, "password": password})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content


def test_password_reset_sends_a_link_that_sets_a_new_password(client, student):
    client.post(reverse("password_reset"), {"email": student.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "another-good-passphrase", "new_password2": "another-good-passphrase"},
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password("another-good-passphrase")


def test_password_reset_for_an_unknown_email_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.edu"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_saves_time_zone_targets_and_match_year(student_client, student):
    response = student_client.post(
        reverse("settings"),
        {
            "name": "Ada S.",
            "timezone": "America/Denver",
            "match_year": 2027,
            "target_specialties": "Internal Medicine, Pediatrics",
            "target_cities": "Chicago, IL\nDenver, CO",
            "match_outcome": "",
        },
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.timezone == "America/Denver"
    assert student.target_specialties == ["Internal Medicine", "Pediatrics"]
    assert student.target_cities == ["Chicago, IL", "Denver, CO"]


def test_profile_rejects_an_unknown_time_zone(student_client, student):
    response = student_client.post(
        reverse("settings"), {"name": "Ada", "timezone": "Mars/Olympus", "match_year": 2027}
    )
    assert response.status_code == 200
    assert "timezone" in response.context["form"].errors


def test_pages_ask_anonymous_visitors_to_log_in(client, db):
    response = client.get(reverse("settings"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
