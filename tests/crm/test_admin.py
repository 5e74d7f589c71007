"""The operator's admin: every registered model's list and search pages open."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import ContactFactory, InteractionFactory, LetterRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    operator = UserFactory(email="operator@example.edu", is_staff=True, is_superuser=True)
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda model: model._meta.label_lower
)
def test_each_admin_list_opens_with_its_columns_and_search(staff_client, model):
    student = UserFactory()
    InteractionFactory(owner=student, contact=ContactFactory(owner=student))
    LetterRequestFactory(owner=student)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "example"}).status_code == 200


def test_students_cannot_open_the_admin(student_client):
    response = student_client.get(reverse("admin:index"))
    assert response.status_code == 302
