"""No duplicate people: a new name that looks like someone already there ("Dr. Maya Chen"
beside "Maya", the same email) is asked about before it is created, in the quick-log, the
picker, the letter ask and the team form; names are compared normalised (case, accents,
punctuation, titles)."""

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.selectors import name_tokens, similar_contacts
from tests.factories import ContactFactory, RotationFactory

pytestmark = pytest.mark.django_db


def test_names_are_compared_without_titles_case_accents_or_punctuation():
    assert name_tokens("Dr. María  Chen, MD") == ("maria", "chen")


def test_similar_contacts_finds_a_shorter_or_longer_name_and_the_same_email(student, other_student):
    maya = ContactFactory(owner=student, name="Maya")
    ContactFactory(owner=student, name="Sam Okafor")
    by_email = ContactFactory(owner=student, name="M. C.", email="mchen@example.edu")
    ContactFactory(owner=other_student, name="Maya Chen")

    found = similar_contacts(student, "Dr. Maya Chen", email="MChen@example.edu")

    assert found == [by_email, maya]


def test_a_namesake_at_another_institution_is_not_asked_about(student):
    ContactFactory(owner=student, name="Maya", institution__name="Mercy Hospital")
    assert similar_contacts(student, "Maya Chen", institution_name="Lakeshore") == []


def test_the_picker_offers_no_add_as_new_for_a_name_already_there(student_client, student):
    ContactFactory(owner=student, name="Maya")
    text = student_client.get(reverse("contacts:picker"), {"contact_search": "maya"}).text
    assert "Maya" in text
    assert "as a new contact" not in text


def test_the_picker_finds_maya_for_dr_maya_chen(student_client, student):
    ContactFactory(owner=student, name="Maya")
    text = student_client.get(reverse("contacts:picker"), {"contact_search": "Dr. Maya Chen"}).text
    assert ">Maya</span>" in text
    assert "Add “Dr. Maya Chen” as a new contact" in text


def test_choosing_add_as_new_asks_did_you_mean_first(student_client, student):
    maya = ContactFactory(owner=student, name="Maya")
    text = student_client.get(reverse("contacts:picker"), {"new": "Dr. Maya Chen"}).text
    assert "Did you mean" in text
    assert f'name="contact" value="{maya.pk}"' in text
    assert 'name="confirm_new"' in text


def test_the_quick_log_asks_before_creating_then_creates_when_confirmed(student_client, student):
    ContactFactory(owner=student, name="Maya")
    data = {
        "new_contact_name": "Dr. Maya Chen",
        "kind": "meeting",
        "date": "2026-07-10",
        "direction": "outbound",
    }
    url = reverse("contacts:interaction_create")

    asked = student_client.post(url, data)
    assert asked.status_code == 400
    assert "Did you mean someone already here?" in asked.text
    assert Contact.objects.owned_by(student).count() == 1

    confirmed = student_client.post(url, {**data, "confirm_new": "on"})
    assert confirmed.status_code == 302
    assert Contact.objects.owned_by(student).filter(name="Dr. Maya Chen").exists()


def test_the_team_form_asks_did_you_mean_before_adding_a_new_name(student_client, student):
    ContactFactory(owner=student, name="Maya")
    rotation = RotationFactory(owner=student)
    url = reverse("contacts:rotation_team_add", args=[rotation.pk])
    data = {"new_name": "Dr. Maya Chen", "weeks_together": 1}

    asked = student_client.post(url, data, HTTP_HX_REQUEST="true")
    assert "Did you mean “Maya”?" in asked.text
    assert 'type="checkbox" name="confirm_new"' in asked.text
    assert "Yes, this is someone new" in asked.text
    assert Contact.objects.owned_by(student).count() == 1

    student_client.post(url, {**data, "confirm_new": "on"}, HTTP_HX_REQUEST="true")
    assert Contact.objects.owned_by(student).filter(name="Dr. Maya Chen").exists()
