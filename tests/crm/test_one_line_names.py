"""Names are one line: a line break in a profile name was saved, and every advisor invitation
then failed with BadHeaderError (a 500). Refused at the field on sign-up, the profile and a
contact; an older name that already holds one still sends its invitations."""

import pytest
from django.core import mail
from django.urls import reverse

from contacts.models import Contact
from crm.models import User

BROKEN_NAMES = ["Ada\nStudent", "Ada\r\nBcc: everyone@example.edu", "Ada\rStudent", "Ada\x00"]


@pytest.mark.parametrize("name", BROKEN_NAMES)
def test_the_profile_refuses_a_name_with_a_line_break(student_client, student, name):
    response = student_client.post(
        reverse("settings"), {"name": name, "timezone": "America/Chicago", "match_year": 2028}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    student.refresh_from_db()
    assert student.name == "Ada Student"


def test_sign_up_refuses_a_name_with_a_line_break(client, db):
    response = client.post(
        reverse("signup"),
        {
            "name": "Ada\nStudent",
            "email": "ada@example.edu",
            "match_year": 2028,
            "password": "a-long-enough-passphrase",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Please keep this to one line (no line breaks)."
    ]
    assert not User.objects.exists()


def test_a_contact_name_with_a_line_break_is_refused_at_the_field(student_client, student):
    response = student_client.post(
        reverse("contacts:create"), {"name": "Dr. Maya\nPatel", "role": "faculty"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Please keep this to one line (no line breaks)."
    ]
    assert not Contact.objects.exists()


def test_an_older_name_with_a_line_break_still_sends_its_invitation(student_client, student):
    User.objects.filter(pk=student.pk).update(name="Ada\nStudent")  # saved before this rule

    response = student_client.post(reverse("sharing_invite"), {"email": "dean@example.edu"})

    assert response.status_code == 302
    assert mail.outbox[-1].subject == "Ada Student invited you to see their advocate map"
