"""`make bench` section "inbound" (issue 22): messages per second through the SMTP path —
`manage.py inbound_smtp`, one process, on the bench database, smtplib clients on two
connections — each message a BCC to two of a student's 50 contacts (10 interactions each),
so each logs two interactions, closes what they answer and refreshes the student on commit.
Then the page after a BCC: an advocate's follow-up is open, a BCC to them arrives by SMTP,
This week no longer shows it."""

from __future__ import annotations

import datetime
import os
import random
import smtplib
import threading
import time
from html import escape

from tests.bench import harness

MESSAGES = 400
CONNECTIONS = 2
CONTACTS = 50


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
    student, people = _bulk_student(
        "inbound@bench.test", contacts=CONTACTS, interactions_per_contact=10
    )
    for n, person in enumerate(people):
        person.email = f"contact{n}@hospital.test"
    Contact.objects.bulk_update(people, ["email"])
    to = address_for(student).email
    rng = random.Random(5)
    messages = [
        bcc_email(
            sender=student.email,
            to=[p.email for p in rng.sample(people, 2)],
            subject=f"Quick update {n}",
            date=datetime.datetime.now(datetime.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000"),
        ).as_bytes()
        for n in range(MESSAGES)
    ]
    before = Interaction.objects.filter(owner=student).count()
    limits = {
        "INBOUND_MESSAGES_PER_TOKEN_PER_HOUR": "100000",
        "INBOUND_MESSAGES_PER_SENDER_PER_HOUR": "100000",
    }
    with inbound_server(db_url=os.environ["DATABASE_URL"], **limits) as port:
        # Warm up: the process's first message evaluates the whole student.
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.sendmail(student.email, [to], messages[0])
        work = [messages[1 + i :: CONNECTIONS] for i in range(CONNECTIONS)]

        def sender(batch):
            with smtplib.SMTP("127.0.0.1", port) as client:
                for raw in batch:
                    client.sendmail(student.email, [to], raw)

        threads = [threading.Thread(target=sender, args=(batch,)) for batch in work]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    sent = MESSAGES - 1
    logged = Interaction.objects.filter(owner=student).count() - before
    rate = sent / elapsed
    load = os.getloadavg()
    print(
        f"{sent} messages ({logged} interactions incl. warm-up) in {elapsed:.2f} s: "
        f"{rate:.0f} messages/s; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    harness.record(
        "inbound",
        "smtp",
        {
            "messages": sent,
            "interactions_logged": logged,
            "seconds": round(elapsed, 2),
            "messages_per_second": round(rate, 1),
            "connections": CONNECTIONS,
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
