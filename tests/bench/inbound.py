"""`make bench` section "inbound" (issue 22): messages per second through the SMTP path —
`manage.py inbound_smtp`, one process, on the bench database, smtplib clients — each message
a BCC to two of a student's 50 contacts (10 interactions each), so each logs two interactions
and closes what they answer (the rest of the engine's refresh is queued for a worker). Two
shapes: a day's mail (20 students, their messages interleaved, four connections) and one
student's burst (back to back, two connections: that student's messages are read one at a
time). Then the page after a BCC: an advocate's follow-up is open, a BCC to them arrives by
SMTP, This week no longer shows it."""

from __future__ import annotations

import datetime
import os
import random
import smtplib
import threading
import time
from html import escape

from tests.bench import harness

STUDENTS = 20
PER_STUDENT = 20  # 400 messages in the day's mail
BURST = 200
CONNECTIONS = 4
CONTACTS = 50


def _mail(student, people, count: int, rng: random.Random) -> list[tuple[str, str, bytes]]:
    """`count` BCCs from the student, each to two of their contacts: (from, to, message)."""
    from inbound.services import address_for
    from tests.inbound.mail import bcc_email

    to = address_for(student).email
    now = datetime.datetime.now(datetime.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    return [
        (
            student.email,
            to,
            bcc_email(
                sender=student.email,
                to=[p.email for p in rng.sample(people, 2)],
                subject=f"Quick update {n}",
                date=now,
            ).as_bytes(),
        )
        for n in range(count)
    ]


def _send_all(port: int, mail: list, connections: int) -> tuple[float, int]:
    """Send `mail` over `connections` SMTP connections at once, as a sending server does (a
    temporary refusal, 4xx, is tried again). Returns (seconds, temporary refusals)."""
    refused = []

    def sender(batch):
        with smtplib.SMTP("127.0.0.1", port) as client:
            for sender_address, to, raw in batch:
                for _attempt in range(5):
                    try:
                        client.sendmail(sender_address, [to], raw)
                        break
                    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                        refused.append(error)
                        client.rset()
                        time.sleep(0.05)

    threads = [
        threading.Thread(target=sender, args=(mail[i::connections],)) for i in range(connections)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, len(refused)


def inbound() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from contacts.models import Contact, Interaction
    from inbound.services import address_for
    from reminders.models import Nudge
    from tests.bench.sections import _bulk_student
    from tests.inbound.mail import bcc_email
    from tests.inbound.smtp_process import DOMAIN, inbound_server

    settings.INBOUND_DOMAIN = DOMAIN
    print("\n== Inbound: messages per second through the SMTP server (one process)")
    rng = random.Random(5)
    students = []
    for s in range(STUDENTS):
        student, people = _bulk_student(
            f"inbound{s}@bench.test", contacts=CONTACTS, interactions_per_contact=10, seed=s
        )
        for n, person in enumerate(people):
            person.email = f"contact{n}@hospital{s}.test"
        Contact.objects.bulk_update(people, ["email"])
        students.append((student, people))
    # A day's mail: many students, their messages interleaved; and one student's burst.
    each = [_mail(student, people, PER_STUDENT, rng) for student, people in students]
    day = [message for turn in zip(*each, strict=True) for message in turn]
    burst = _mail(*students[0], BURST, rng)
    limits = {
        "INBOUND_MESSAGES_PER_TOKEN_PER_HOUR": "100000",
        "INBOUND_MESSAGES_PER_SENDER_PER_HOUR": "100000",
        # As in production (DEBUG=false): the server's threads keep their connections.
        "CONN_MAX_AGE": "60",
    }
    shapes = (
        ("day", f"{STUDENTS} students' BCCs, interleaved", day, CONNECTIONS),
        ("burst", "one student's BCCs, back to back", burst, 2),
    )
    with inbound_server(db_url=os.environ["DATABASE_URL"], **limits) as port:
        # Warm up: one message per student (the process's connections, imports, caches).
        _send_all(port, [_mail(s, p, 1, rng)[0] for s, p in students], CONNECTIONS)
        for name, label, mail, connections in shapes:
            before = Interaction.objects.filter(kind="email").count()
            elapsed, refused = _send_all(port, mail, connections)
            logged = Interaction.objects.filter(kind="email").count() - before
            rate = len(mail) / elapsed
            load = os.getloadavg()
            print(
                f"{label}: {len(mail)} messages ({logged} interactions) over {connections} "
                f"connections in {elapsed:.2f} s: {rate:.0f} messages/s, {refused} answered 4xx "
                f"and sent again; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
            )
            harness.record(
                "inbound",
                name,
                {
                    "messages": len(mail),
                    "interactions_logged": logged,
                    "seconds": round(elapsed, 2),
                    "messages_per_second": round(rate, 1),
                    "connections": connections,
                    "temporary_refusals": refused,
                    "contacts": CONTACTS,
                    "load_average": [round(x, 1) for x in load],
                },
            )

    # The page after a BCC: a student whose advocate is due a follow-up, then a BCC to them.
    from crm.models import User

    small = User.objects.create_user(email="page@bench.test", timezone="America/Chicago")
    advocate = Contact.objects.create(
        owner=small, name="Dr. Rao", email="rao@hospital.test", role="program_director",
        would_vouch=True,
    )  # fmt: skip
    today = small.local_today()
    for days_ago in (125, 200, 260):
        Interaction.objects.create(
            owner=small, contact=advocate, kind="meeting",
            date=today - datetime.timedelta(days=days_ago),
        )  # fmt: skip
    Contact.objects.filter(pk=advocate.pk).update(
        last_contact_on=today - datetime.timedelta(days=125)
    )
    with open(os.devnull, "w") as quiet:
        call_command("refresh_nudges", student=small.email, stdout=quiet)
    follow_up = Nudge.objects.filter(owner=small, contact=advocate, kind="follow_up").first()
    browser = Client()
    browser.force_login(small, backend="django.contrib.auth.backends.ModelBackend")
    home = browser.get(reverse("home")).content.decode()
    reason = escape(follow_up.reason) if follow_up else None
    shown_before = bool(reason) and reason in home
    bcc = bcc_email(sender=small.email, to=[advocate.email], subject="An update").as_bytes()
    with (
        inbound_server(db_url=os.environ["DATABASE_URL"], **limits) as port,
        smtplib.SMTP("127.0.0.1", port) as client,
    ):
        client.sendmail(small.email, [address_for(small).email], bcc)
    page = browser.get(reverse("home")).content.decode()
    right = shown_before and reason not in page
    print(
        f"page after a BCC: follow-up shown before {shown_before}, gone after "
        f"{reason not in page if reason else None}"
    )
    harness.record("inbound", "page_after_bcc_right", right)


ALL = {"inbound": inbound}
