"""A demo class for the advisor's class view: an advisor login, forty students of the nearest
Match year sharing with them (and the demo student, if loaded), each with a few contacts,
letters, target programs and weekly advocate counts through the cycle, stored in bulk and
refreshed by the engine once. Safe to run twice: an existing class is left as it is."""

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from advisors.cohort import cycle_year
from advisors.models import AdvisorAccess
from contacts.models import Contact, Interaction, LetterRequest, Program, Rotation, TeamMember
from crm.dates import week_start
from crm.models import User
from reminders.models import AdvocateSnapshot
from reminders.nudges.services import refresh_students

ADVISOR_EMAIL = "advisor@advocate.test"
DEMO_PASSWORD = "advocate-demo"
CLASS_SIZE = 40
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hiro", "Isla", "Jon"]
LAST = ["Alvarez", "Brooks", "Chen", "Diaz"]
SPECIALTIES = ["Internal Medicine", "Pediatrics", "General Surgery", "Emergency Medicine"]
ROLES = ["program_director", "clerkship_director", "attending", "chief_resident", "attending"]


class Command(BaseCommand):
    help = "Create a 40-student demo class for an advisor login and print it."

    def handle(self, *args, **options):
        today = timezone.localdate()
        year = cycle_year(today)
        with transaction.atomic():
            advisor, created = User.objects.get_or_create(
                email=ADVISOR_EMAIL, defaults={"name": "Dr. Dana Demo", "role": User.Role.ADVISOR}
            )
            if created or not advisor.check_password(DEMO_PASSWORD):
                advisor.set_password(DEMO_PASSWORD)
                advisor.save(update_fields=["password"])
            demo = User.objects.filter(email="demo@advocate.test", role=User.Role.STUDENT).first()
            if demo is not None:
                AdvisorAccess.objects.get_or_create(student=demo, advisor=advisor)
            if AdvisorAccess.objects.filter(advisor=advisor).count() < CLASS_SIZE:
                ids = _class(advisor, year, today)
            else:
                ids = []
        if ids:
            refresh_students(ids + ([demo.pk] if demo else []), today=today)
            self.stdout.write(f"A demo class of {len(ids)} students for Match {year}.")
        self.stdout.write(
            f"Advisor: log in as {ADVISOR_EMAIL} with password {DEMO_PASSWORD} "
            "(their class is at /advisor/cohort/)"
        )


def _class(advisor: User, year: int, today: datetime.date) -> list[int]:
    rng = random.Random(25)
    students = User.objects.bulk_create(
        [
            User(
                email=f"class{n:02d}@advocate.test",
                name=f"{FIRST[n % 10]} {LAST[n // 10]}",
                password="!",
                match_year=year,
                target_specialties=[SPECIALTIES[n % 4]],
                records_changed_at=timezone.now() - datetime.timedelta(days=rng.choice([2, 9, 45])),
            )
            for n in range(CLASS_SIZE)
        ],
        ignore_conflicts=True,
    )
    students = list(
        User.objects.filter(email__startswith="class", email__endswith="@advocate.test")
    )
    AdvisorAccess.objects.bulk_create(
        [AdvisorAccess(student=s, advisor=advisor) for s in students], ignore_conflicts=True
    )
    contacts, programs = [], []
    for s in students:
        for k in range(rng.randint(2, 7)):
            contacts.append(
                Contact(
                    owner=s, name=f"Dr. {LAST[k % 4]} {k}", role=ROLES[k % 5], would_vouch=k < 3
                )
            )
        for name in rng.sample(["Lakeshore", "Riverside", "Cascade", "Harbor"], 2):
            programs.append(
                Program(
                    owner=s,
                    name=f"{name} {s.target_specialties[0]}",
                    specialty=s.target_specialties[0],
                    target=True,
                )
            )
    contacts = Contact.objects.bulk_create(contacts)
    Program.objects.bulk_create(programs)
    interactions, letters = [], []
    for n, contact in enumerate(contacts):
        for weeks in (2, 10, 30):
            interactions.append(
                Interaction(owner_id=contact.owner_id, contact=contact, kind="meeting",
                            date=today - datetime.timedelta(weeks=weeks + n % 3), summary="Met")
            )  # fmt: skip
        if n % 3 == 0:
            letters.append(
                LetterRequest(owner_id=contact.owner_id, writer=contact, purpose="residency",
                              status=rng.choice(["asked", "agreed", "submitted"]),
                              due=today + datetime.timedelta(days=rng.randint(-3, 40)))
            )  # fmt: skip
    Interaction.objects.bulk_create(interactions)
    # A sub-internship with a few of them: weeks worked together make advocates (0 to 5).
    rotations = Rotation.objects.bulk_create(
        [
            Rotation(owner=s, name="Sub-internship", kind="sub_internship",
                     start=today - datetime.timedelta(weeks=20),
                     end=today - datetime.timedelta(weeks=12))
            for s in students
        ]
    )  # fmt: skip
    by_owner = {}
    for contact in contacts:
        by_owner.setdefault(contact.owner_id, []).append(contact)
    TeamMember.objects.bulk_create(
        [
            TeamMember(rotation=rotation, contact=contact, weeks_together=8)
            for n, rotation in enumerate(rotations)
            for contact in by_owner.get(rotation.owner_id, [])[: n % 6]
        ]
    )
    LetterRequest.objects.bulk_create(letters)
    # Weekly counts through the cycle so far, for the month-by-month picture.
    snapshots, week = [], week_start(datetime.date(year - 1, 6, 1))
    # Each student's count grows, a month at a time, towards what their sub-internship team makes
    # of them (n % 6 teammates of 8 weeks), so the picture ends where the engine's answer is.
    while week < week_start(today):
        months = (week - datetime.date(year - 1, 6, 1)).days // 30
        for n, s in enumerate(students):
            snapshots.append(AdvocateSnapshot(owner=s, week=week, advocates=min(n % 6, months)))
        week += datetime.timedelta(days=7)
    AdvocateSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)
    return [s.pk for s in students]
