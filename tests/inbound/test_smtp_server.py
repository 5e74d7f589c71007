"""Log by BCC through the real SMTP server: `manage.py inbound_smtp` in its own process on the
test database, smtplib as the sending server."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core.management import call_command
from django.urls import reverse

from contacts.models import Interaction
from inbound.models import DroppedMessage, InboundMessage, Stranger
from inbound.services import address_for
from reminders.models import Nudge
from tests.factories import ContactFactory, InteractionFactory
from tests.inbound.mail import bcc_email, forward_as_attachment, gmail_inline_forward
from tests.inbound.smtp_process import DOMAIN, DatabaseRelay, inbound_server
from tests.reminders.celery_process import database_url

MAX_BYTES = 200_000


@pytest.fixture(scope="module")
def smtp_port(django_db_setup, django_db_blocker):
    """One server for the module (each test's rows are committed: transactional_db)."""
    with (
        django_db_blocker.unblock(),
        inbound_server(INBOUND_MAX_MESSAGE_BYTES=str(MAX_BYTES)) as port,
    ):
        yield port


@pytest.fixture
def ada(transactional_db, settings):
    settings.INBOUND_DOMAIN = DOMAIN
    from tests.factories import UserFactory

    student = UserFactory(email="ada@example.edu", name="Ada Student", timezone="America/Chicago")
    return student


@pytest.fixture
def people(ada):
    rao = ContactFactory(owner=ada, name="Dr. Priya Rao", email="Priya.Rao@Lakeshore.edu")
    nunez = ContactFactory(owner=ada, name="Dr. José Núñez", email="jose.nunez@lakeshore.edu")
    return rao, nunez


def address(student) -> str:
    return address_for(student).email


def send(port: int, message, *, to: str, sender: str = "ada@example.edu") -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        raw = message if isinstance(message, bytes) else message.as_bytes()
        client.sendmail(sender, [to], raw)


def test_a_bcc_to_one_contact_logs_one_email_dated_in_the_students_zone(smtp_port, ada, people):
    rao, _ = people
    message = bcc_email(
        sender="Ada Student <ada@example.edu>", to=["Dr. Rao <priya.rao@lakeshore.edu>"]
    )
    send(smtp_port, message, to=address(ada))

    [logged] = Interaction.objects.filter(owner=ada)
    assert logged.contact == rao
    assert (logged.kind, logged.direction) == ("email", "outbound")
    # 03:30 UTC on 1 September is still 31 August in Chicago.
    assert logged.date == datetime.date(2026, 8, 31)
    assert logged.summary == "Thank you for Tuesday"
    assert "bed 4" not in str(list(Interaction.objects.values()))


def test_a_bcc_to_two_contacts_logs_each_and_closes_the_nudge_it_answers(
    smtp_port, ada, people, client
):
    rao, nunez = people
    # An advocate (would vouch, a program director) last seen four months ago: a follow-up.
    rao.would_vouch, rao.role = True, "program_director"
    rao.save()
    for days_ago in (125, 200, 260):
        InteractionFactory(
            owner=ada,
            contact=rao,
            kind="meeting",
            date=ada.local_today() - datetime.timedelta(days=days_ago),
        )
    call_command("refresh_nudges", student=ada.email)
    follow_up = Nudge.objects.get(owner=ada, contact=rao, kind="follow_up", state="open")

    message = bcc_email(
        sender='"Ada Stüdent" <ADA@example.edu>',
        to=['"Dr. José Núñez" <jose.nunez@lakeshore.edu>'],
        cc=["Priya Rao <priya.rao@lakeshore.edu>", "ada@example.edu"],
        subject="Merci — a quick update on my sub-I ✨",
        date=datetime.datetime.now(datetime.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000"),
    )
    raw = message.as_bytes()
    assert b"=?utf-8?" in raw.lower() and b"quoted-printable" in raw.lower()
    send(smtp_port, message, to=address(ada).upper().replace("LOG-", "log-"))

    logged = Interaction.objects.filter(owner=ada, kind="email").order_by("contact__name")
    assert [(i.contact, i.summary) for i in logged] == [
        (nunez, "Merci — a quick update on my sub-I ✨"),
        (rao, "Merci — a quick update on my sub-I ✨"),
    ]
    assert not Nudge.objects.filter(owner=ada, contact=rao, kind="follow_up", state="open").exists()
    client.force_login(ada, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("home")).content.decode()
    assert follow_up.reason.split(":")[0] not in page  # the page after the BCC is right


def test_a_forwarded_reply_logs_an_inbound_interaction(smtp_port, ada, people):
    rao, _ = people
    raw = gmail_inline_forward(
        sender="Ada Student <ada@example.edu>",
        to=address(ada),
        original_from="Priya Rao <priya.rao@lakeshore.edu>",
        subject="Re: Letter for Internal Medicine",
        date_line="Tue, 1 Sep 2026 09:14:00 -0500",
    )
    send(smtp_port, raw, to=address(ada))

    [logged] = Interaction.objects.filter(owner=ada)
    assert (logged.contact, logged.direction, logged.kind) == (rao, "inbound", "email")
    assert logged.summary == "Re: Letter for Internal Medicine"
    assert logged.date == datetime.date(2026, 9, 1)


def test_someone_not_in_advocate_waits_on_this_week_and_is_never_created(
    smtp_port, ada, people, client
):
    message = bcc_email(
        sender="ada@example.edu",
        to=["Priya Rao <priya.rao@lakeshore.edu>", "Dr. Lena Őry <lena.ory@away.edu>"],
        cc=["coordinator@away.edu"],
    )
    send(smtp_port, message, to=address(ada))

    assert Interaction.objects.filter(owner=ada).count() == 1
    assert ada.contacts.count() == 2  # nobody created silently
    assert set(Stranger.objects.values_list("email", flat=True)) == {
        "lena.ory@away.edu",
        "coordinator@away.edu",
    }
    client.force_login(ada, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("home")).content.decode()
    assert "2 people you emailed aren’t in Advocate yet: add or ignore" in page

    lena = Stranger.objects.get(email="lena.ory@away.edu")
    client.post(reverse("inbound:stranger_add", args=[lena.pk]), {"name": lena.name})
    assert ada.contacts.filter(email="lena.ory@away.edu", name="Dr. Lena Őry").exists()
    assert Interaction.objects.filter(owner=ada, contact__email="lena.ory@away.edu").count() == 1
    other = Stranger.objects.get(email="coordinator@away.edu")
    client.post(reverse("inbound:stranger_ignore", args=[other.pk]))
    assert "aren’t in Advocate yet" not in client.get(reverse("home")).content.decode()
    assert "isn’t in Advocate yet" not in client.get(reverse("home")).content.decode()


def test_a_spoofed_sender_logs_nothing_and_is_counted(smtp_port, ada, people):
    message = bcc_email(sender="Ada <ada@example.edu.evil.test>", to=["priya.rao@lakeshore.edu"])
    send(smtp_port, message, to=address(ada), sender="ada@example.edu.evil.test")  # no bounce

    assert not Interaction.objects.exists()
    assert not Stranger.objects.exists()
    assert DroppedMessage.objects.get(reason="not_the_student").count == 1


def test_an_unknown_address_is_refused_with_550(smtp_port, ada):
    old = address(ada)
    from inbound.services import address_regenerate

    address_regenerate(student=ada)
    for unknown in (old, f"log-nosuchtoken@{DOMAIN}", "someone@elsewhere.test"):
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            send(smtp_port, bcc_email(sender="ada@example.edu", to=["x@y.test"]), to=unknown)
        assert refused.value.recipients[unknown][0] == 550


def test_the_same_message_id_logs_once_redelivered_or_forwarded(smtp_port, ada, people):
    message = bcc_email(sender="ada@example.edu", to=["priya.rao@lakeshore.edu"])
    send(smtp_port, message, to=address(ada))
    send(smtp_port, message, to=address(ada))  # a redelivery
    forward = forward_as_attachment(sender="ada@example.edu", original=message, to=address(ada))
    send(smtp_port, forward, to=address(ada))  # the student forwards the same email later

    assert Interaction.objects.filter(owner=ada).count() == 1
    assert InboundMessage.objects.filter(student=ada).count() == 1


def test_over_the_size_cap_is_refused_before_the_body_is_sent(smtp_port, ada, people):
    message = bcc_email(sender="ada@example.edu", to=["priya.rao@lakeshore.edu"])
    message.add_attachment(b"x" * MAX_BYTES, maintype="application", subtype="pdf")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as client:
        client.ehlo()
        assert client.has_extn("size")
        # smtplib declares SIZE= in MAIL FROM, as sending servers do: refused there, so the
        # DATA command (and the body) never follows.
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("ada@example.edu", [address(ada)], message.as_bytes())
    assert refused.value.smtp_code == 552
    assert not Interaction.objects.exists()


def test_with_the_database_down_it_answers_451_then_delivers_on_retry(ada, people):
    relay = DatabaseRelay(*_database_host_port())
    message = bcc_email(sender="ada@example.edu", to=["priya.rao@lakeshore.edu"])
    try:
        with inbound_server(db_url=relay.url(database_url())) as port:
            send(port, bcc_email(sender="ada@example.edu", to=["x@y.test"]), to=address(ada))
            relay.cut()
            # 451 at RCPT (looking the address up) or at DATA (the connection it held died).
            with pytest.raises((smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)) as refused:
                send(port, message, to=address(ada))
            error = refused.value
            code = (
                error.recipients[address(ada)][0]
                if isinstance(error, smtplib.SMTPRecipientsRefused)
                else error.smtp_code
            )
            assert code == 451
            assert not Interaction.objects.exists()

            relay.restore()  # the sending server retries later
            send(port, message, to=address(ada))
    finally:
        relay.cut()
    assert Interaction.objects.filter(owner=ada).count() == 1


def _database_host_port() -> tuple[str, int]:
    from django.db import connection

    return connection.settings_dict.get("HOST") or "127.0.0.1", int(
        connection.settings_dict.get("PORT") or 5432
    )
