"""A double tap logs once: the quick-log's idempotency key (the same one an offline entry keeps
on the phone) is honoured by the server, and find-or-create holds under concurrency."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from contacts import services
from contacts.models import Contact, Interaction

QUICK_LOG_URL = reverse("contacts:interaction_create")
SYNC = {"HTTP_X_ADVOCATE_SYNC": "1"}


def _payload(**data):
    return {"kind": "meeting", "date": "2027-07-10", "direction": "outbound", **data}


def test_the_quick_log_form_carries_a_fresh_key_each_time_it_is_drawn(student_client):
    first = student_client.get(reverse("home")).context["quick_log_form"]["client_key"].value()
    second = student_client.get(reverse("home")).context["quick_log_form"]["client_key"].value()
    assert uuid.UUID(str(first)) != uuid.UUID(str(second))


def test_the_same_key_posted_twice_logs_one_interaction(student_client, student):
    key = str(uuid.uuid4())
    data = _payload(new_contact_name="Dr. Lena Okafor", client_key=key)
    assert student_client.post(QUICK_LOG_URL, data).status_code == 302
    assert student_client.post(QUICK_LOG_URL, data).status_code == 302
    assert Contact.objects.filter(owner=student).count() == 1
    assert Interaction.objects.filter(owner=student).count() == 1


def test_two_different_keys_are_two_honest_logs_of_one_person(student_client, student):
    for _ in range(2):
        data = _payload(new_contact_name="Dr. Lena Okafor", client_key=str(uuid.uuid4()))
        student_client.post(QUICK_LOG_URL, data)
    assert Contact.objects.filter(owner=student).count() == 1
    assert Interaction.objects.filter(owner=student).count() == 2


def test_a_key_is_the_students_own_another_students_same_key_logs_separately(
    student, other_student
):
    key = uuid.uuid4()
    for owner in (student, other_student):
        services.interaction_log(
            owner=owner, date="2027-07-10", kind="meeting", new_contact_name="Dr. A", client_key=key
        )
    assert Interaction.objects.count() == 2


def test_an_offline_entry_synced_gets_a_plain_answer_and_a_replay_changes_nothing(
    student_client, student
):
    data = _payload(new_contact_name="Dr. Lena Okafor", client_key=str(uuid.uuid4()))
    first = student_client.post(QUICK_LOG_URL, data, **SYNC)
    again = student_client.post(QUICK_LOG_URL, data, **SYNC)
    assert first.status_code == again.status_code == 200
    assert first.json()["interaction"] == again.json()["interaction"]
    assert first.json()["contact"] == "Dr. Lena Okafor"
    assert Interaction.objects.filter(owner=student).count() == 1


def test_an_offline_entry_that_cannot_be_logged_says_why_per_field(student_client):
    data = _payload(new_contact_name="Dr. Lena Okafor", date="31/31/2027")
    response = student_client.post(QUICK_LOG_URL, data, **SYNC)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["date"]
    assert Interaction.objects.count() == 0


def _post_together(users_clients, data) -> list[int]:
    """Release one thread per client at the same moment, each on its own connection."""
    barrier = threading.Barrier(len(users_clients))
    statuses: list[int] = []

    def tap(client):
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(QUICK_LOG_URL, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(client,)) for client in users_clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def _clients(student, count=2):
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
        clients.append(client)
    return clients


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; SQLite serialises every writer anyway",
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_double_tap_for_a_new_name_logs_one_contact_and_one_interaction(student):
    data = _payload(new_contact_name="Dr. Lena Okafor", client_key=str(uuid.uuid4()))
    statuses = _post_together(_clients(student), data)
    assert statuses == [302, 302]
    assert Contact.objects.filter(owner=student).count() == 1
    assert Interaction.objects.filter(owner=student).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_logs_at_once_for_a_new_name_find_one_person_not_two(student):
    # No key (an older page): two honest interactions, but still one Dr. Okafor.
    data = _payload(new_contact_name="Dr. Lena Okafor")
    statuses = _post_together(_clients(student), data)
    assert statuses == [302, 302]
    assert Contact.objects.filter(owner=student).count() == 1
    assert Interaction.objects.filter(owner=student).count() == 2
