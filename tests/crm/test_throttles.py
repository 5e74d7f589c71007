"""Throttles on the account pages: password spraying (many accounts from one address) and
password-reset floods (per address and per account), each with a friendly message."""

from django.core import mail
from django.test import Client
from django.urls import reverse

from crm.models import User
from tests.factories import UserFactory


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_spraying_many_accounts_from_one_address_pauses_logins_from_there(db, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 20
    victim = UserFactory(email="victim@example.edu")
    sprayer = _from("203.0.113.7")
    for n in range(20):
        response = sprayer.post(
            reverse("login"), {"username": f"person{n}@example.edu", "password": "Summer2027!"}
        )
        assert response.status_code == 200  # each account tried once: axes alone never locks

    refused = sprayer.post(reverse("login"), {"username": victim.email, "password": "password"})

    assert refused.status_code == 429
    # The limit is soft (tests/crm/test_proxy_and_soft_limits.py): a sign-in link by email.
    assert "many sign-in attempts from this network" in refused.content.decode()
    assert "a sign-in link is on its way" in refused.content.decode()
    # Even the right password does not sign in from there during the pause...
    assert "_auth_user_id" not in sprayer.session


def test_the_pause_is_for_that_address_only(db, settings, password):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    student = UserFactory(email="ada@example.edu")
    sprayer = _from("203.0.113.7")
    for n in range(3):
        sprayer.post(reverse("login"), {"username": f"p{n}@example.edu", "password": "x"})

    elsewhere = _from("198.51.100.2").post(
        reverse("login"), {"username": student.email, "password": password}
    )

    assert elsewhere.status_code == 302
    assert (
        sprayer.post(
            reverse("login"), {"username": student.email, "password": password}
        ).status_code
        == 429
    )


def test_twenty_reset_requests_send_at_most_three_emails_to_one_inbox(db, settings):
    settings.PASSWORD_RESETS_PER_ACCOUNT = 3
    settings.PASSWORD_RESETS_PER_ADDRESS = 100
    student = UserFactory(email="ada@example.edu")
    statuses = []
    for n in range(20):
        # From many addresses, as a flood through proxies would come.
        response = _from(f"192.0.2.{n + 1}").post(
            reverse("password_reset"), {"email": student.email.upper()}
        )
        statuses.append(response.status_code)

    assert len(mail.outbox) == 3
    assert statuses == [302] * 3 + [429] * 17
    assert "check your inbox" in response.content.decode()


def test_one_address_asking_for_many_accounts_is_limited_too(db, settings):
    settings.PASSWORD_RESETS_PER_ADDRESS = 5
    for n in range(8):
        UserFactory(email=f"s{n}@example.edu")
    flooder = _from("203.0.113.9")

    statuses = [
        flooder.post(reverse("password_reset"), {"email": f"s{n}@example.edu"}).status_code
        for n in range(8)
    ]

    assert statuses == [302] * 5 + [429] * 3
    assert len(mail.outbox) == 5


def test_the_limit_reads_the_same_for_an_address_without_an_account(db, settings):
    settings.PASSWORD_RESETS_PER_ACCOUNT = 1
    UserFactory(email="real@example.edu")
    answers = {}
    for email in ("real@example.edu", "nobody@example.edu"):
        client = _from("192.0.2.50")
        client.post(reverse("password_reset"), {"email": email})
        second = client.post(reverse("password_reset"), {"email": email})
        answers[email] = (second.status_code, "check your inbox" in second.content.decode())

    assert answers["real@example.edu"] == answers["nobody@example.edu"] == (429, True)
    assert not User.objects.filter(email="nobody@example.edu").exists()
