"""Every query parameter goes through a form: a NUL in a search box is a message, not a 500."""

from django.urls import reverse

from contacts import selectors
from contacts.forms import ContactSearchForm
from tests.factories import ContactFactory


def test_the_advisor_search_refuses_a_nul_with_a_message(advisor_client):
    response = advisor_client.get(reverse("advisor_home"), {"q": "a\x00b"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert response.context["search"] == ""


def test_the_advisor_search_refuses_an_over_long_query(advisor_client):
    response = advisor_client.get(reverse("advisor_home"), {"q": "a" * 5000})

    assert response.status_code == 200
    assert response.context["search_form"].errors["q"]


def test_the_picker_search_form_refuses_a_nul_and_an_over_long_query():
    assert ContactSearchForm({"contact_search": "a\x00b"}).query() == ""
    assert ContactSearchForm({"contact_search": "a" * 201}).query() == ""
    assert ContactSearchForm({"contact_search": "  Maya "}).query() == "Maya"


def test_the_picker_search_itself_finds_no_one_for_a_nul(student):
    ContactFactory(owner=student, name="Dr. Maya Patel")

    assert selectors.contact_search(student, "a\x00b") == []
    assert [c.name for c in selectors.contact_search(student, "maya")] == ["Dr. Maya Patel"]


def test_the_contact_list_ignores_a_nul_in_its_search(student_client, student):
    ContactFactory(owner=student, name="Dr. Maya Patel")

    response = student_client.get(reverse("contacts:list"), {"q": "a\x00b", "page": "\x00"})

    assert response.status_code == 200
