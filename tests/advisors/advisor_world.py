"""Builders for the advisor tests: a student's network with people in every tier."""

import datetime

from advisors.models import AdvisorAccess
from contacts.vocabulary import Role
from crm.dates import week_start
from reminders.models import AdvocateSnapshot, Nudge, NudgeKind
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    LetterRequestFactory,
    RotationFactory,
    TeamMemberFactory,
)

DAY = datetime.timedelta(days=1)

# (role, strength) for the people of a network, repeated as needed.
PEOPLE = [
    (Role.PROGRAM_DIRECTOR, "advocate"),
    (Role.FACULTY, "developing"),
    (Role.SENIOR_RESIDENT, "acquaintance"),
    (Role.STAFF, "dormant"),
    (Role.PEER, "acquaintance"),
    (Role.RESEARCH_PI, "advocate"),
    (Role.FELLOW, "developing"),
    (Role.CHIEF_RESIDENT, "acquaintance"),
    (Role.CLERKSHIP_DIRECTOR, "developing"),
    (Role.JUNIOR_RESIDENT, "acquaintance"),
]


def build_network(student, today: datetime.date, *, size: int = 6):
    """`size` contacts: advocates (8 weeks together, meetings, a feedback loop, a letter),
    developing (4 weeks and a meeting), acquaintances (one email) and dormant (a meeting over a
    year ago). Returns the contacts in creation order."""
    rotation = RotationFactory(
        owner=student, name="Medicine sub-I", start=today - 100 * DAY, end=today - 44 * DAY
    )
    contacts = []
    for index in range(size):
        role, strength = PEOPLE[index % len(PEOPLE)]
        contact = ContactFactory(
            owner=student,
            name=f"Dr. Person{index} Surname{index}",
            role=role,
            notes=f"Private note about person {index}",
            institution__owner=student,
        )
        if strength == "advocate":
            TeamMemberFactory(rotation=rotation, contact=contact, weeks_together=8)
            for days_ago, kind, context in [
                (90, "feedback", "clinical"),
                (60, "meeting", "research"),
                (30, "meeting", "teaching"),
                (10, "meeting", "clinical"),
            ]:
                InteractionFactory(
                    owner=student,
                    contact=contact,
                    date=today - days_ago * DAY,
                    kind=kind,
                    context=context,
                )
            LetterRequestFactory(
                owner=student,
                writer=contact,
                status="agreed",
                due=today + 10 * DAY,
                notes=f"Letter note {index}",
            )
        elif strength == "developing":
            TeamMemberFactory(rotation=rotation, contact=contact, weeks_together=4)
            InteractionFactory(owner=student, contact=contact, date=today - 50 * DAY)
        elif strength == "acquaintance":
            InteractionFactory(owner=student, contact=contact, date=today - 20 * DAY, kind="email")
        else:
            InteractionFactory(owner=student, contact=contact, date=today - 400 * DAY)
        contacts.append(contact)
    return contacts


def share(student, advisor, *, share_notes: bool = False) -> AdvisorAccess:
    return AdvisorAccess.objects.create(student=student, advisor=advisor, share_notes=share_notes)


def snapshots(student, today: datetime.date, counts: list[int]) -> None:
    """Weekly rows ending this week, oldest first."""
    monday = week_start(today)
    for weeks_ago, count in enumerate(reversed(counts)):
        AdvocateSnapshot.objects.create(
            owner=student, week=monday - 7 * weeks_ago * DAY, advocates=count
        )


def overdue_follow_up(student, contact, today: datetime.date, *, days: int = 5) -> Nudge:
    return Nudge.objects.create(
        owner=student,
        kind=NudgeKind.FOLLOW_UP,
        contact=contact,
        key=f"follow_up:{contact.pk}:{today - 130 * DAY}",
        occasion_on=today - 130 * DAY,
        due=today - days * DAY,
        reason=f"It's been a while since you last spoke with {contact.name}.",
    )
