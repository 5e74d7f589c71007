"""The quick-log never leaves a typed name at a dead end: with or without JavaScript, a name
with no match offers "add as new" with a role, and the role is asked wherever a person is made."""

import pytest
from django.urls import reverse

from contacts.models import Contact, Interaction
from tests.factories import ContactFactory, RotationFactory

QUICK_LOG_URL = reverse("contacts:interaction_create")


def _log(client, **data):
    payload = {"kind": "meeting", "date": "2027-07-10", "direction": "outbound", **data}
    return client.post(QUICK_LOG_URL, payload)


def test_a_name_with_no_match_offers_to_add_them_with_a_role(student_client):
    response = _log(student_client, contact_search="Dr. Lena Okafor")
    assert response.status_code == 400
    content = response.content.decode()
    assert "No one called “Dr. Lena Okafor” yet. Add them as new below." in content
    assert 'name="new_contact_name" value="Dr. Lena Okafor"' in content
    assert "Add “Dr. Lena Okafor” and log it" in content
    for chip in [
        "Not sure yet",
        "Faculty / attending",
        "Senior resident",
        "Fellow",
        "Nurse or other staff",
    ]:
        assert f"<span>{chip}</span>" in content
    assert Interaction.objects.count() == 0


def test_the_error_page_without_javascript_makes_no_claim_about_the_week(student_client):
    content = _log(student_client, contact_search="Dr. Lena Okafor").content.decode()
    assert "Nothing needs you this week" not in content
    assert 'id="quick-log"' in content


def test_tapping_add_without_javascript_logs_the_new_person_with_the_chosen_role(
    student_client, student
):
    response = _log(
        student_client,
        contact_search="Dr. Lena Okafor",
        new_contact_name="Dr. Lena Okafor",
        new_contact_role="fellow",
    )
    assert response.status_code == 302
    contact = Contact.objects.get(owner=student)
    assert (contact.name, contact.role) == ("Dr. Lena Okafor", "fellow")
    assert contact.interactions.count() == 1


def test_not_sure_leaves_the_role_blank_rather_than_making_them_an_attending(
    student_client, student
):
    _log(student_client, new_contact_name="Sam", new_contact_role="")
    assert Contact.objects.get(owner=student).role == ""


def test_partial_matches_come_back_with_add_as_new_beside_them(student_client, student):
    ContactFactory(owner=student, name="Dr. Maya Patel")
    content = _log(student_client, contact_search="Maya").content.decode()
    assert "Is it one of these? Tap them, or add “Maya” as new." in content
    assert "Dr. Maya Patel" in content
    assert "Add “Maya” and log it" in content


def test_the_picker_is_an_aria_combobox_over_a_listbox_of_options(student_client, student):
    ContactFactory(owner=student, name="Dr. Maya Patel")
    home = student_client.get(reverse("home")).content.decode()
    assert 'role="combobox"' in home and 'aria-controls="picker-results"' in home
    results = student_client.get(reverse("contacts:picker"), {"contact_search": "Maya"})
    content = results.content.decode()
    assert content.count('role="option"') == 2  # Dr. Maya Patel, and "add as new"
    assert "Add “Maya” as a new contact" in content


def test_the_quick_log_page_stands_alone_for_the_home_screen_shortcut(student_client):
    response = student_client.get(reverse("contacts:quick_log"))
    assert response.status_code == 200
    assert 'id="quick-log"' in response.content.decode()


def test_a_person_added_to_a_rotation_team_gets_the_role_asked_for(student_client, student):
    rotation = RotationFactory(owner=student)
    url = reverse("contacts:rotation_team_add", args=[rotation.pk])
    student_client.post(
        url, {"new_name": "Dr. Team", "new_role": "senior_resident", "weeks_together": 1}
    )
    assert Contact.objects.get(owner=student, name="Dr. Team").role == "senior_resident"


def test_a_person_added_to_a_rotation_team_without_a_role_is_not_sure_yet(student_client, student):
    rotation = RotationFactory(owner=student)
    url = reverse("contacts:rotation_team_add", args=[rotation.pk])
    student_client.post(url, {"new_name": "Dr. Team", "weeks_together": 1})
    assert Contact.objects.get(owner=student, name="Dr. Team").role == ""


@pytest.mark.parametrize("url_name", ["contacts:create"])
def test_the_contact_form_says_not_sure_yet_instead_of_defaulting_to_faculty(
    student_client, url_name
):
    content = student_client.get(reverse(url_name)).content.decode()
    # The one role list, as chips, "Not sure yet" on.
    assert 'value="" id="id_role_0" checked><span>Not sure yet</span>' in content
