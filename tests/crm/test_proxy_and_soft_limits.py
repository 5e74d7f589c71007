"""Issue 21, item 3: the client address behind PROXY_COUNT proxies, for the throttles and
django-axes, and the per-address limit made soft (a sign-in link by email)."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PROXY = "10.0.0.1"  # the TLS proxy: every request arrives from it


def _via_proxy(client_address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{client_address}")


def _flood(client, n):
    for i in range(n):
        client.post(reverse("login"), {"username": f"p{i}@example.edu", "password": "x"})


def test_with_proxy_count_a_flood_from_one_client_does_not_block_another(db, settings, password):
    settings.PROXY_COUNT = 1
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    student = UserFactory(email="ada@example.edu")
    _flood(_via_proxy("203.0.113.7"), 3)
    # Five wrong passwords for Ada from the flooding client: axes pauses that client only.
    flooder = _via_proxy("203.0.113.7")
    for _ in range(5):
        flooder.post(reverse("login"), {"username": student.email, "password": "wrong"})

    ada = _via_proxy("198.51.100.2")
    response = ada.post(reverse("login"), {"username": student.email, "password": password})
    assert response.status_code == 302 and "_auth_user_id" in ada.session


def test_without_proxy_count_the_header_is_ignored(db, settings, password):
    settings.PROXY_COUNT = 0
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    student = UserFactory(email="ada@example.edu")
    _flood(_via_proxy("203.0.113.7"), 3)
    # A different header changes nothing: every request is from the proxy's address.
    ada = _via_proxy("198.51.100.2")
    response = ada.post(reverse("login"), {"username": student.email, "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in ada.session


def test_a_forged_leftmost_entry_is_not_trusted(db, settings):
    from django.test import RequestFactory

    from crm.throttle import client_address

    settings.PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    assert client_address(request) == "203.0.113.7"
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="junk")
    assert client_address(request) == PROXY
    settings.PROXY_COUNT = 2
    assert client_address(request) == PROXY  # fewer entries than proxies: bypassed them


def test_the_soft_limit_emails_a_one_time_sign_in_link(db, settings, password):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    student = UserFactory(email="ada@example.edu")
    campus = Client(REMOTE_ADDR="203.0.113.7")
    _flood(campus, 3)

    wrong = campus.post(reverse("login"), {"username": student.email, "password": "wrong"})
    right = campus.post(reverse("login"), {"username": student.email, "password": password})
    # The same page either way: the flood learns nothing about the password.
    assert wrong.status_code == right.status_code == 429
    strip = re.compile(r'csrfmiddlewaretoken" value="[^"]*"|X-CSRFToken": "[^"]*"')
    assert strip.sub("", wrong.content.decode()) == strip.sub("", right.content.decode())
    assert "_auth_user_id" not in campus.session
    (message,) = mail.outbox  # only the right password sent a link
    assert message.to == [student.email]
    link = re.search(r"http://testserver(/accounts/login/link/\S+/)", message.body).group(1)

    assert campus.get(link).status_code == 200  # a button, for mail scanners' GETs
    assert "_auth_user_id" not in campus.session
    assert campus.post(link).status_code == 302
    assert campus.session["_auth_user_id"] == str(student.pk)
    # Once: signing in changed the last login.
    other = Client()
    assert "This link has expired" in other.get(link).content.decode()
    other.post(link)
    assert "_auth_user_id" not in other.session
