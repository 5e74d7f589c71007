"""The private address (printed by a command, regenerated from Settings) and the student's
other sender addresses (confirmed by a link); DKIM verification for the SMTP path."""

import re
from io import StringIO

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from inbound import services
from inbound.smtp import dkim_verifies
from tests.inbound.mail import bcc_email

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def domain(settings):
    settings.INBOUND_DOMAIN = "advocate.test"


def test_the_command_prints_the_students_address(student):
    out = StringIO()
    call_command("inbound_address", student="ADA@example.edu", stdout=out)
    printed = out.getvalue().strip()
    assert re.fullmatch(r"log-[a-z0-9]{20}@advocate\.test", printed)
    assert printed == services.address_for(student).email  # the same one every time


def test_a_new_address_kills_the_old_one_at_once(student_client, student):
    old = services.address_for(student).token
    response = student_client.post(reverse("inbound:address_regenerate"))
    assert response.status_code == 302
    assert services.student_for_token(old) is None
    assert services.student_for_token(services.address_for(student).token) == student
    page = student_client.get(reverse("settings_section", args=["log-by-bcc"])).content.decode()
    assert services.address_for(student).email in page and old not in page
    assert "never stored" in page


def test_another_sender_counts_only_once_confirmed_by_its_link(student_client, student):
    student_client.post(reverse("inbound:sender_add"), {"email": "Ada.L@Gmail.com"})
    assert "ada.l@gmail.com" not in services.own_addresses(student)
    [sent] = mail.outbox
    assert sent.to == ["ada.l@gmail.com"]
    link = re.search(r"https?://\S+", sent.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert student_client.get("/" + path).status_code == 200  # a page with one button
    assert "ada.l@gmail.com" not in services.own_addresses(student)
    student_client.post("/" + path)
    assert "ada.l@gmail.com" in services.own_addresses(student)


def test_another_students_link_confirms_nothing(student_client, student, other_student):
    services.sender_add(student=other_student, email="grace@home.test")
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    student_client.post("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert "grace@home.test" not in services.own_addresses(other_student)
    assert "grace@home.test" not in services.own_addresses(student)


def test_dkim_passes_only_for_a_valid_signature_by_the_senders_domain():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    record = b"v=DKIM1; k=rsa; p=" + __import__("base64").b64encode(public)

    def dns(name, timeout=5):
        return record if name == b"mail._domainkey.example.edu." else None

    raw = bcc_email(sender="ada@example.edu", to=["rao@lakeshore.edu"]).as_bytes()
    signed = (
        dkim.sign(
            raw, b"mail", b"example.edu", private, include_headers=[b"from", b"to", b"subject"]
        )
        + raw
    )
    assert dkim_verifies(signed, "ada@example.edu", dnsfunc=dns)
    assert not dkim_verifies(raw, "ada@example.edu", dnsfunc=dns)  # unsigned
    assert not dkim_verifies(signed, "ada@other.edu", dnsfunc=dns)  # not the sender's domain
    tampered = signed.replace(b"Thank you for Tuesday", b"Thank you for Friday")
    assert not dkim_verifies(tampered, "ada@example.edu", dnsfunc=dns)
