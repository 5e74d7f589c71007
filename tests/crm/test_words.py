"""Words (issue 24, item 11): the login error does not call the email case-sensitive; This week
is the page's heading once; the advisor's second tab says what it does; contacts imported but
never met are "Not met yet" on the map, not acquaintances."""

import types

import pytest
from django.urls import reverse

from advisors.selectors import NOT_MET_YET, _tier_label
from contacts.vocabulary import Tier

pytestmark = pytest.mark.django_db


def test_the_login_error_says_only_the_password_is_case_sensitive(client, student):
    response = client.post(reverse("login"), {"username": student.email, "password": "wrong"})
    text = response.text
    assert "both fields may be case-sensitive" not in text
    assert "The password is case-sensitive; the email is not." in text


def test_the_advisors_second_tab_says_change_password(advisor_client):
    text = advisor_client.get(reverse("advisor_home")).text
    assert ">Change password</a>" in text


def _score(tier, last_contact_on):
    return types.SimpleNamespace(
        tier=tier, depth=types.SimpleNamespace(last_contact_on=last_contact_on)
    )


def test_an_acquaintance_never_met_is_not_met_yet_on_the_map():
    assert _tier_label(_score(Tier.ACQUAINTANCE, None)) == NOT_MET_YET
    assert _tier_label(_score(Tier.ACQUAINTANCE, "2026-07-01")) == "Acquaintance"
    assert _tier_label(_score(Tier.ADVOCATE, "2026-07-01")) == "Advocate"
