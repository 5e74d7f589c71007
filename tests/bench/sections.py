"""The benchmark sections. Each builds its own data, measures, prints and records."""

import datetime
import random

from tests.bench import harness

TODAY = datetime.date(2026, 11, 22)


def _bulk_student(email: str, *, contacts: int, interactions_per_contact: int, seed: int = 7):
    """A student with `contacts` contacts and that many interactions each, via bulk inserts."""
    from contacts.models import Contact, Institution, Interaction
    from contacts.vocabulary import Context, Direction, InteractionKind, Role
    from crm.models import User

    rng = random.Random(seed)
    student = User.objects.create_user(
        email=email,
        password="bench-password-123",
        name="Bench Student",
        match_year=2027,
        timezone="America/Chicago",
        target_specialties=["Internal Medicine"],
        target_cities=["Chicago, IL"],
    )
    institutions = Institution.objects.bulk_create(
        Institution(
            owner=student,
            name=f"Hospital {n}",
            city="Chicago",
            state="IL",
            setting=rng.choice(["academic", "community"]),
        )
        for n in range(40)
    )
    roles = list(Role.values)
    people = Contact.objects.bulk_create(
        Contact(
            owner=student,
            name=f"Contact {n:05d}",
            role=rng.choice(roles),
            specialty=rng.choice(["Internal Medicine", "Surgery", "Pediatrics"]),
            institution=rng.choice(institutions),
            would_vouch=rng.random() < 0.05,
        )
        for n in range(contacts)
    )
    kinds, contexts = list(InteractionKind.values), list(Context.values)
    directions = list(Direction.values)
    batch = []
    for person in people:
        for _ in range(interactions_per_contact):
            batch.append(
                Interaction(
                    owner=student,
                    contact=person,
                    date=TODAY - datetime.timedelta(days=rng.randint(0, 540)),
                    kind=rng.choice(kinds),
                    direction=rng.choice(directions),
                    context=rng.choice(contexts),
                    summary="Benchmark interaction",
                )
            )
        if len(batch) >= 20_000:
            Interaction.objects.bulk_create(batch)
            batch = []
    Interaction.objects.bulk_create(batch)
    return student, people


def pages() -> None:
    """Issue 2: home, contact list and contact page for 5,000 contacts / 50,000 interactions."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    print("\n== Pages: one student with 5,000 contacts and 50,000 interactions")
    student, people = _bulk_student("pages@bench.test", contacts=5_000, interactions_per_contact=10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    urls = {
        "home": reverse("home"),
        "contact list (most recent first)": reverse("contacts:list"),
        "contact list (longest since contact)": reverse("contacts:list") + "?sort=longest",
        "contact list (search 'Contact 01')": reverse("contacts:list") + "?q=Contact+01",
        "contact page": reverse("contacts:detail", args=[people[len(people) // 2].pk]),
    }
    print(f"{'page':40} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
    for label, url in urls.items():
        figures = harness.time_requests(client, url)
        harness.record("pages", label, figures)
        print(
            f"{label:40} {figures['queries']:>7} {figures['median_ms']:>10} {figures['p95_ms']:>8}"
        )


ALL = {"pages": pages}
