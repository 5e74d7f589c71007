"""The first rotation saves first time: its kind is chips with a sensible default, never a
required drop-down left at "---------"."""

import pytest
from django.urls import reverse

from contacts.models import Rotation

pytestmark = pytest.mark.django_db


def test_the_kind_is_chips_with_core_clerkship_on(student_client):
    text = student_client.get(reverse("contacts:rotation_create")).text
    assert "---------" not in text
    assert 'class="chips"' in text
    assert 'value="core_clerkship" id="id_kind_0" checked' in text


def test_a_rotation_saves_with_the_default_kind(student_client, student):
    fields = {
        "name": "Medicine",
        "kind": "core_clerkship",
        "start": "2026-07-01",
        "end": "2026-07-28",
    }
    response = student_client.post(reverse("contacts:rotation_create"), fields)
    assert response.status_code == 302
    assert Rotation.objects.get(owner=student).kind == "core_clerkship"
