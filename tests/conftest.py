import pytest

from tests.factories import PASSWORD, AdvisorFactory, UserFactory


@pytest.fixture
def student(db):
    return UserFactory(email="ada@example.edu", name="Ada Student")


@pytest.fixture
def other_student(db):
    return UserFactory(email="grace@example.edu", name="Grace Other")


@pytest.fixture
def advisor(db):
    return AdvisorFactory(email="advisor@example.edu", name="Dr. Advisor")


@pytest.fixture
def student_client(client, student):
    """A test client signed in as `student`."""
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def password():
    return PASSWORD
