"""Log by BCC through hosted providers: anymail's inbound webhooks at /inbound/<provider>/,
called with the payloads Postmark and Mailgun really send, authenticated as anymail checks
them (basic auth; Mailgun's HMAC signature too)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest

from contacts.models import Interaction
from inbound.models import DroppedMessage
from inbound.services import address_for
from tests.factories import ContactFactory
from tests.inbound.mail import bcc_email

pytestmark = pytest.mark.django_db
SECRET = "advocate:s3cret-webhook"
SIGNING_KEY = "key-mailgun-signing"


@pytest.fixture(autouse=True)
def webhooks_on(settings):
    settings.INBOUND_DOMAIN = "advocate.test"
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


@pytest.fixture
def rao(student):
    return ContactFactory(owner=student, name="Dr. Priya Rao", email="priya.rao@lakeshore.edu")


def auth() -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}


def postmark_payload(student, *, sender="ada@example.edu") -> dict:
    """Postmark's inbound JSON (the BCC'd address arrives as OriginalRecipient/BccFull)."""
    address = address_for(student).email
    return {
        "FromName": "Ada Student",
        "From": sender,
        "FromFull": {"Email": sender, "Name": "Ada Student", "MailboxHash": ""},
        "To": "Dr. Priya Rao <priya.rao@lakeshore.edu>",
        "ToFull": [{"Email": "priya.rao@lakeshore.edu", "Name": "Dr. Priya Rao"}],
        "Cc": "",
        "CcFull": [],
        "Bcc": address,
        "BccFull": [{"Email": address, "Name": ""}],
        "OriginalRecipient": address,
        "Subject": "Résumé attached — thank you",
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Thu, 3 Sep 2026 18:02:00 -0500",
        "TextBody": "The attending said the patient ...",
        "HtmlBody": "<p>The attending said the patient ...</p>",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": f"<{sender}>"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "Message-ID", "Value": "<CAE1x@mail.example.edu>"},
            {
                "Name": "Authentication-Results",
                "Value": "mx.postmarkapp.com; dkim=pass header.d=example.edu",
            },
        ],
        "Attachments": [
            {
                "Name": "cv.pdf",
                "Content": base64.b64encode(b"%PDF-1.4 patient notes").decode(),
                "ContentType": "application/pdf",
                "ContentLength": 22,
            }
        ],
    }


def test_postmark_inbound_logs_the_bcc_and_keeps_no_body(client, student, rao):
    response = client.post(
        "/inbound/postmark/",
        data=json.dumps(postmark_payload(student)),
        content_type="application/json",
        **auth(),
    )
    assert response.status_code == 200
    [logged] = Interaction.objects.filter(owner=student)
    assert (logged.contact, logged.direction, logged.kind) == (rao, "outbound", "email")
    assert logged.summary == "Résumé attached — thank you"
    assert str(logged.date) == "2026-09-03"  # 18:02 in Chicago, as the student's zone says
    assert "patient" not in json.dumps(list(Interaction.objects.values()), default=str)

    # Postmark retrying the same delivery logs nothing more.
    client.post(
        "/inbound/postmark/",
        data=json.dumps(postmark_payload(student)),
        content_type="application/json",
        **auth(),
    )
    assert Interaction.objects.filter(owner=student).count() == 1


def test_postmark_without_the_webhook_secret_is_refused(client, student, rao):
    response = client.post(
        "/inbound/postmark/",
        data=json.dumps(postmark_payload(student)),
        content_type="application/json",
    )
    assert response.status_code == 400  # anymail's authentication failure
    assert not Interaction.objects.exists()


def test_postmark_from_someone_else_is_dropped_quietly(client, student, rao):
    response = client.post(
        "/inbound/postmark/",
        data=json.dumps(postmark_payload(student, sender="mallory@evil.test")),
        content_type="application/json",
        **auth(),
    )
    assert response.status_code == 200  # no bounce
    assert not Interaction.objects.exists()
    assert DroppedMessage.objects.get(reason="not_the_student").count == 1


def test_postmark_with_dkim_required_uses_the_providers_verdict(client, student, rao, settings):
    settings.INBOUND_REQUIRE_DKIM = True
    passed = postmark_payload(student)
    failed = postmark_payload(student)
    failed["Headers"][3]["Value"] = "mx.postmarkapp.com; dkim=fail header.d=example.edu"
    failed["MessageID"] = "another"
    failed["Headers"][2]["Value"] = "<other@mail.example.edu>"
    for payload in (failed, passed):
        client.post(
            "/inbound/postmark/",
            data=json.dumps(payload),
            content_type="application/json",
            **auth(),
        )
    assert Interaction.objects.filter(owner=student).count() == 1
    assert DroppedMessage.objects.get(reason="dkim").count == 1


def mailgun_form(student, raw: bytes) -> dict:
    """Mailgun's forward() route to .../inbound_mime/: the raw message as body-mime, the
    envelope recipient, and the signature fields."""
    timestamp, token = str(int(time.time())), "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(
        SIGNING_KEY.encode(), (timestamp + token).encode(), hashlib.sha256
    ).hexdigest()
    return {
        "recipient": address_for(student).email,
        "sender": "ada@example.edu",
        "from": "Ada Student <ada@example.edu>",
        "subject": "ignored: body-mime is read",
        "body-mime": raw.decode(),
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }


def test_mailgun_inbound_mime_logs_each_contact_and_waits_for_strangers(client, student, rao):
    nunez = ContactFactory(owner=student, name="Dr. José Núñez", email="jose@lakeshore.edu")
    raw = bcc_email(
        sender="Ada Student <ada@example.edu>",
        to=['"Dr. José Núñez" <JOSE@lakeshore.edu>', "priya.rao@lakeshore.edu"],
        cc=["Dr. Ng <ng@away.edu>"],
        subject="Update: Step 2 done ✔",
    ).as_bytes()
    response = client.post("/inbound/mailgun/", data=mailgun_form(student, raw), **auth())
    assert response.status_code == 200
    assert set(Interaction.objects.values_list("contact", flat=True)) == {rao.pk, nunez.pk}
    assert list(student.inbound_strangers.values_list("email", flat=True)) == ["ng@away.edu"]


def test_mailgun_with_a_forged_signature_logs_nothing(client, student, rao):
    raw = bcc_email(sender="ada@example.edu", to=["priya.rao@lakeshore.edu"]).as_bytes()
    form = mailgun_form(student, raw)
    form["signature"] = "0" * 64
    response = client.post("/inbound/mailgun/", data=form, **auth())
    assert response.status_code == 400
    assert not Interaction.objects.exists()


def test_a_body_over_the_size_cap_is_refused_before_it_is_read(client, student, settings):
    settings.INBOUND_MAX_MESSAGE_BYTES = 1000
    response = client.post(
        "/inbound/postmark/", data="x" * 5000, content_type="application/json", **auth()
    )
    assert response.status_code == 413


def test_webhooks_are_off_without_a_secret(client, settings):
    settings.ANYMAIL = {}
    assert (
        client.post("/inbound/postmark/", data="{}", content_type="application/json").status_code
        == 404
    )
