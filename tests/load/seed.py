"""The load test's data: the demo student and 50 students of 40 contacts and 150 interactions
each (with a few letters, and their nudges refreshed), and a signed-in session per student.

Writes var/loadtest/users.json for the locustfile: one entry per student with the session
cookie, the CSRF token to send, and the ids of their contacts. Safe to run twice: it deletes
its own students (load-NN@advocate.test) first."""

import datetime
import json
import random
import secrets
from pathlib import Path

STUDENTS = 50
CONTACTS = 40
INTERACTIONS = 150
OUT = Path(__file__).resolve().parents[2] / "var" / "loadtest" / "users.json"


def seed() -> Path:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction

    from contacts.models import Contact, Institution, Interaction, LetterRequest
    from contacts.services import contacts_refresh_last_contact
    from contacts.vocabulary import Context, Direction, InteractionKind, Role
    from crm.models import User
    from reminders.nudges.services import refresh_students

    rng = random.Random(13)
    today = datetime.date.today()
    call_command("seed_demo", verbosity=0)
    with transaction.atomic():
        User.objects.filter(email__startswith="load-", email__endswith="@advocate.test").delete()
        password = make_password(secrets.token_urlsafe(16))  # sessions are made directly
        students = User.objects.bulk_create(
            User(email=f"load-{n:02d}@advocate.test", name=f"Load Student {n:02d}",
                 password=password, match_year=today.year + 1, timezone="America/Chicago",
                 target_specialties=["Internal Medicine"], target_cities=["Chicago, IL"])
            for n in range(STUDENTS)
        )  # fmt: skip
        institutions = Institution.objects.bulk_create(
            Institution(owner=student, name=f"Hospital {n}", city="Chicago", state="IL")
            for student in students
            for n in range(4)
        )
        by_owner: dict[int, list[Institution]] = {}
        for institution in institutions:
            by_owner.setdefault(institution.owner_id, []).append(institution)
        contacts = Contact.objects.bulk_create(
            Contact(owner=student, name=f"Dr. Person {student.pk}-{n:02d}",
                    role=rng.choice(Role.values), specialty="Internal Medicine",
                    institution=rng.choice(by_owner[student.pk]),
                    would_vouch=rng.random() < 0.1)
            for student in students
            for n in range(CONTACTS)
        )  # fmt: skip
        people: dict[int, list[Contact]] = {}
        for contact in contacts:
            people.setdefault(contact.owner_id, []).append(contact)
        Interaction.objects.bulk_create(
            (
                Interaction(owner=student, contact=rng.choice(people[student.pk]),
                            date=today - datetime.timedelta(days=rng.randint(0, 400)),
                            kind=rng.choice(InteractionKind.values),
                            direction=rng.choice(Direction.values),
                            context=rng.choice(Context.values), summary="Load test")
                for student in students
                for _ in range(INTERACTIONS)
            ),
            batch_size=5_000,
        )  # fmt: skip
        LetterRequest.objects.bulk_create(
            LetterRequest(owner=student, writer=people[student.pk][n], status=status,
                          due=today + datetime.timedelta(days=30 + 10 * n))
            for student in students
            for n, status in enumerate(["considering", "asked", "agreed"])
        )  # fmt: skip
        for student in students:
            contacts_refresh_last_contact(
                owner_id=student.pk, contact_ids=[c.pk for c in people[student.pk]]
            )
    demo = User.objects.get(email="demo@advocate.test")
    everyone = [demo, *students]
    refresh_students([student.pk for student in everyone], today=today)

    users = []
    for student in everyone:
        session = SessionStore()
        session[SESSION_KEY] = str(student.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = student.get_session_auth_hash()
        session.create()
        users.append(
            {
                "email": student.email,
                "session": session.session_key,
                # Django accepts any 32-character CSRF cookie sent back as the header.
                "csrf": secrets.token_hex(16),
                "contacts": list(student.contacts.values_list("pk", flat=True)),
            }
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(users))
    return OUT
