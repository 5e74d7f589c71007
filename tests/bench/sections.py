"""The benchmark sections. Each builds its own data, measures, prints and records."""

import datetime
import random

from tests.bench import harness

TODAY = datetime.date(2026, 11, 22)


def _bulk_student(email: str, *, contacts: int, interactions_per_contact: int, seed: int = 7):
    """A student with `contacts` contacts and that many interactions each, via bulk inserts."""
    from contacts.models import Contact, Institution, Interaction
    from contacts.services import contacts_refresh_last_contact
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
    contacts_refresh_last_contact(owner_id=student.pk, contact_ids=[p.pk for p in people])
    return student, people


def pages() -> None:
    """Issue 2: home, contact list and contact page for 5,000 contacts / 50,000 interactions."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    print("\n== Pages: one student with 5,000 contacts and 50,000 interactions")
    student, people = _bulk_student("pages@bench.test", contacts=5_000, interactions_per_contact=10)
    from reminders.nudges.services import refresh_student

    # Home as the student sees it every day: after the daily refresh has stored the nudges.
    refresh_student(student)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    urls = {
        "home": reverse("home"),
        "contact list (most recent first)": reverse("contacts:list"),
        "contact list (longest since contact)": reverse("contacts:list") + "?sort=longest",
        "contact list (search 'Contact 01')": reverse("contacts:list") + "?q=Contact+01",
        "contact list (tier: advocate)": reverse("contacts:list") + "?tier=advocate",
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


# --- The engine's daily refresh ------------------------------------------------------------------

ENGINE_STUDENTS = 2_000
ENGINE_CONTACTS = 50
ENGINE_INTERACTIONS = 10


def _engine_world(
    students: int, *, seed: int = 11, prefix: str = "engine", contacts_each: int = ENGINE_CONTACTS
) -> list[int]:
    """`students` students, each with 50 contacts (`contacts_each`) x 10 interactions, 3
    rotations with a team and 2 letters. Interactions (the million rows) go in with COPY; the
    rest with bulk_create."""
    from django.db import connection
    from django.utils import timezone

    from contacts.models import (
        Contact,
        Institution,
        Interaction,
        LetterRequest,
        Rotation,
        TeamMember,
    )
    from contacts.vocabulary import (
        Context,
        Direction,
        InteractionKind,
        LetterStatus,
        Role,
        RotationKind,
    )
    from crm.models import User

    rng = random.Random(seed)
    zones = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]
    specialties = ["Internal Medicine", "Surgery", "Pediatrics", "Neurology", "Psychiatry"]
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}{n:05d}@bench.test", name=f"{prefix.title()} Student {n}",
                 password="!", timezone=rng.choice(zones),
                 match_year=rng.choice([2027, 2027, 2028]),
                 target_specialties=[rng.choice(specialties)], target_cities=["Chicago, IL"])
            for n in range(students)
        ],
        batch_size=1_000,
    )  # fmt: skip
    institutions = Institution.objects.bulk_create(
        [
            Institution(owner=user, name=f"Hospital {n}", city=rng.choice(["Chicago", "Boston"]),
                        state="IL", setting=rng.choice(["academic", "community"]))
            for user in users for n in range(3)
        ],
        batch_size=5_000,
    )  # fmt: skip
    places = {user.pk: institutions[3 * i : 3 * i + 3] for i, user in enumerate(users)}
    roles = list(Role.values)
    contacts = Contact.objects.bulk_create(
        [
            Contact(owner=user, name=f"Contact {user.pk}-{n:02d}", role=rng.choice(roles),
                    specialty=rng.choice(specialties), institution=rng.choice(places[user.pk]),
                    would_vouch=rng.random() < 0.05)
            for user in users for n in range(contacts_each)
        ],
        batch_size=5_000,
    )  # fmt: skip
    by_owner: dict[int, list] = {}
    for contact in contacts:
        by_owner.setdefault(contact.owner_id, []).append(contact)

    kinds, contexts = list(InteractionKind.values), list(Context.values)
    directions = list(Direction.values)
    now = timezone.now()
    columns = (
        "owner_id, contact_id, date, kind, direction, context, summary, follow_up_by, created_at"
    )
    copy_sql = f"COPY {Interaction._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for contact in contacts:
            for _ in range(ENGINE_INTERACTIONS):
                date = TODAY - datetime.timedelta(days=rng.randint(0, 540))
                follow_up = date + datetime.timedelta(days=30) if rng.random() < 0.05 else None
                copy.write_row((
                    contact.owner_id, contact.pk, date, rng.choice(kinds),
                    rng.choice(directions), rng.choice(contexts), "Benchmark interaction",
                    follow_up, now,
                ))  # fmt: skip

    rotations, members, letters = [], [], []
    kinds_of_rotation = list(RotationKind.values)
    for user in users:
        start = TODAY - datetime.timedelta(days=200)
        for n in range(3):
            rotations.append(
                Rotation(owner=user, name=f"Rotation {n}", specialty=rng.choice(specialties),
                         kind=rng.choice(kinds_of_rotation), institution=places[user.pk][n],
                         start=start, end=start + datetime.timedelta(days=27))
            )  # fmt: skip
            start += datetime.timedelta(days=rng.choice([56, 84, 98]))
    rotations = Rotation.objects.bulk_create(rotations, batch_size=5_000)
    statuses = list(LetterStatus.values)
    for rotation in rotations:
        people = by_owner[rotation.owner_id]
        for contact in rng.sample(people, 4):
            members.append(
                TeamMember(rotation=rotation, contact=contact, weeks_together=rng.randint(1, 4))
            )
    TeamMember.objects.bulk_create(members, batch_size=10_000)
    for user in users:
        for writer in rng.sample(by_owner[user.pk], 2):
            letters.append(
                LetterRequest(owner=user, writer=writer, status=rng.choice(statuses),
                              due=TODAY + datetime.timedelta(days=rng.randint(-30, 90)),
                              asked_on=TODAY - datetime.timedelta(days=rng.randint(10, 60)))
            )  # fmt: skip
    LetterRequest.objects.bulk_create(letters, batch_size=5_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return [user.pk for user in users]


def _time_refresh(student_ids: list[int], day: datetime.date, chunk_size: int) -> dict:
    """The daily refresh for `student_ids` in one process: refresh_students (what each
    refresh_chunk task calls), chunk by chunk, with the queries each chunk ran.

    As a worker runs it, with DEBUG off: the debug cursor (which the bench's DEBUG=true would
    otherwise switch on) formats every query's SQL, a cost a worker never pays. Queries are
    counted by a light execute wrapper instead."""
    import time

    from django.db import connection
    from django.test.utils import override_settings

    from reminders.nudges.services import RefreshStats, refresh_students

    executed = 0

    def count(execute, sql, params, many, context):
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    total = RefreshStats()
    queries = []
    with override_settings(DEBUG=False), connection.execute_wrapper(count):
        started, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(student_ids), chunk_size):
            before = executed
            total.add(refresh_students(student_ids[start : start + chunk_size], today=day))
            queries.append(executed - before)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    return {
        "students": len(student_ids),
        "seconds": round(seconds, 2),
        # This process's CPU time: the Python side, apart from the database's and the wait.
        "cpu_seconds": round(cpu, 2),
        "students_per_second": round(len(student_ids) / seconds),
        "chunks": len(queries),
        "queries_per_chunk": sorted(set(queries)),
        "created": total.created,
        "updated": total.updated,
        "expired": total.expired,
    }


def engine() -> None:
    """Issue 3: the daily refresh for one worker process, 2,000 students x 50 contacts x 10
    interactions (1M interactions), timed at 500, 1,000 and 2,000 students."""
    import time

    from django.db import connection

    from reminders.engine.conf import get_conf
    from reminders.models import AdvocateSnapshot, Nudge

    print(
        f"\n== Engine: {ENGINE_STUDENTS:,} students x {ENGINE_CONTACTS} contacts x "
        f"{ENGINE_INTERACTIONS} interactions, the daily refresh in one process"
    )
    started = time.perf_counter()
    student_ids = _engine_world(ENGINE_STUDENTS)
    print(f"(data built in {time.perf_counter() - started:.0f} s, not measured)")
    chunk_size = get_conf().refresh_chunk_size
    tables = ", ".join(model._meta.db_table for model in (Nudge, AdvocateSnapshot))
    print(
        f"{'students':>8} {'run':>10} {'seconds':>8} {'students/s':>11} "
        f"{'queries/chunk':>14} {'created':>8} {'updated':>8}"
    )
    for size in (500, 1_000, 2_000):
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        ids = student_ids[:size]
        # The first refresh of a day stores every nudge; the next day's mostly updates them.
        for run, day in (("first day", TODAY), ("next day", TODAY + datetime.timedelta(days=1))):
            figures = _time_refresh(ids, day, chunk_size)
            harness.record("engine", f"{size} students, {run}", figures)
            print(
                f"{size:>8} {run:>10} {figures['seconds']:>8} "
                f"{figures['students_per_second']:>11} "
                f"{'/'.join(map(str, figures['queries_per_chunk'])):>14} "
                f"{figures['created']:>8} {figures['updated']:>8}"
            )
    harness.record("engine", "chunk_size", chunk_size)
    _next_day_writes(chunk_size)


# Issue 23: the nightly refresh for 1,000 students of 40 contacts, and what the next day writes.
NIGHTLY_STUDENTS = 1_000
NIGHTLY_CONTACTS = 40


def _nudge_rows_written() -> int:
    """Rows PostgreSQL inserted into or updated in the nudge table so far (its statistics, this
    process's pending counts flushed first): what was written, counted apart from the refresh's
    own figures."""
    import time

    from django.db import connection

    from reminders.models import Nudge

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        time.sleep(0.05)
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT n_tup_ins + n_tup_upd FROM pg_stat_user_tables WHERE relname = %s",
            [Nudge._meta.db_table],
        )
        return cursor.fetchone()[0]


def _next_day_writes(chunk_size: int) -> None:
    """The nightly refresh in one process for 1,000 students of 40 contacts (x 10
    interactions): the first day stores every nudge; the next day should write only the rows
    that changed (created, updated, closed) and leave the others as they are."""
    import os

    from django.utils import timezone

    from reminders.models import Nudge
    from reminders.vocabulary import LIVE_STATES

    print(
        f"\n== Nightly refresh: {NIGHTLY_STUDENTS:,} students x {NIGHTLY_CONTACTS} contacts x "
        f"{ENGINE_INTERACTIONS} interactions, one process, chunks of {chunk_size}"
    )
    ids = _engine_world(NIGHTLY_STUDENTS, seed=23, prefix="nightly", contacts_each=NIGHTLY_CONTACTS)
    print(
        f"{'run':>9} {'seconds':>8} {'cpu s':>6} {'students/s':>11} {'queries/chunk':>14} "
        f"{'created':>8} "
        f"{'updated':>8} {'closed':>7} {'unchanged':>10} {'rows written (pg)':>18} {'load':>5}"
    )
    for run, day in (("first day", TODAY), ("next day", TODAY + datetime.timedelta(days=1))):
        before = _nudge_rows_written()
        started = timezone.now()
        figures = _time_refresh(ids, day, chunk_size)
        figures["rows_written_pg"] = _nudge_rows_written() - before
        # Open or snoozed nudges this run left as they were (not stamped by it).
        figures["unchanged"] = Nudge.objects.filter(
            owner_id__in=ids, state__in=LIVE_STATES, updated_at__lt=started
        ).count()
        figures["load_average"] = round(os.getloadavg()[0], 2)
        harness.record("engine", f"nightly {NIGHTLY_STUDENTS} x {NIGHTLY_CONTACTS}, {run}", figures)
        print(
            f"{run:>9} {figures['seconds']:>8} {figures['cpu_seconds']:>6} "
            f"{figures['students_per_second']:>11} "
            f"{'/'.join(map(str, figures['queries_per_chunk'])):>14} {figures['created']:>8} "
            f"{figures['updated']:>8} {figures['expired']:>7} {figures['unchanged']:>10} "
            f"{figures['rows_written_pg']:>18} {figures['load_average']:>5}"
        )


def nightly() -> None:
    """The engine section's last part alone (`python -m tests.bench nightly`), without its
    2,000-student world."""
    from reminders.engine.conf import get_conf

    _next_day_writes(get_conf().refresh_chunk_size)


ALL["engine"] = engine
# Run only when named: `make bench` runs it as part of the engine section.
BY_NAME_ONLY = {"nightly": nightly}


# --- The weekly email --------------------------------------------------------------------------

DIGEST_STUDENTS = 500
DIGEST_CONTACTS = 40
DIGEST_INTERACTIONS = 150
# Monday 08:00 in Tokyo, still Sunday in the Americas: only this section's students are due.
DIGEST_NOW = datetime.datetime(2026, 11, 22, 23, 0, tzinfo=datetime.UTC)


def _digest_world(
    students: int,
    *,
    contacts: int = DIGEST_CONTACTS,
    interactions: int = DIGEST_INTERACTIONS,
    seed: int = 13,
    prefix: str = "digest",
) -> list[int]:
    """`students` students in Tokyo, each with `contacts` contacts and `interactions`
    interactions (issue 23: 40 and 150): the first three as the email's usual week (a meeting
    that wants a thank-you, an old email that wants a follow-up, a letter due soon), the rest
    spread over the last 18 months; a sub-I under way with four of them on its team, and
    advice from an advisor for every fourth student. Bulk inserts."""
    from advisors.models import Recommendation
    from contacts.models import (
        Contact,
        Institution,
        Interaction,
        LetterRequest,
        Rotation,
        TeamMember,
    )
    from crm.models import User

    rng = random.Random(seed)
    monday = DIGEST_NOW.astimezone(datetime.timezone(datetime.timedelta(hours=9))).date()
    advisor = User.objects.create_user(
        email=f"{prefix}-advisor@bench.test", password="bench-password-123", name="Dr. Advisor",
        role=User.Role.ADVISOR,
    )  # fmt: skip
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}{n:05d}@bench.test", name=f"Digest Student {n}", password="!",
                 timezone="Asia/Tokyo", match_year=2027, target_specialties=["Surgery"],
                 target_cities=["Boston, MA"])
            for n in range(students)
        ],
        batch_size=1_000,
    )  # fmt: skip
    places = Institution.objects.bulk_create(
        [Institution(owner=user, name="Harbor Hospital", city="Boston", state="MA",
                     setting="academic") for user in users],
        batch_size=2_000,
    )  # fmt: skip
    roles = ["program_director", "faculty", "senior_resident"]
    others = [
        "faculty", "research_pi", "senior_resident", "junior_resident", "fellow", "peer", "staff",
    ]  # fmt: skip
    people = Contact.objects.bulk_create(
        [
            Contact(owner=user, name=f"Dr. Contact {user.pk}-{n}",
                    role=roles[n] if n < 3 else rng.choice(others),
                    specialty=rng.choice(["Surgery", "Internal Medicine"]), institution=place,
                    would_vouch=n == 0)
            for user, place in zip(users, places, strict=True) for n in range(contacts)
        ],
        batch_size=10_000,
    )  # fmt: skip
    rows = []
    kinds = ["meeting", "email", "call", "update", "feedback", "worked_together", "conference"]
    for start in range(0, len(people), contacts):
        mine = people[start : start + contacts]
        for contact in mine[:3]:
            for days_ago, kind, direction in (
                (1, "meeting", "outbound"),
                (rng.randint(125, 160), "email", "outbound"),
                (rng.randint(200, 300), "worked_together", "inbound"),
            ):
                rows.append((contact, days_ago, kind, direction))
        for n in range(interactions - 9):
            contact = mine[3 + n % (contacts - 3)] if contacts > 3 else mine[0]
            rows.append((contact, rng.randint(2, 540), rng.choice(kinds),
                         rng.choice(["outbound", "inbound"])))  # fmt: skip
    Interaction.objects.bulk_create(
        [
            Interaction(owner_id=contact.owner_id, contact=contact, kind=kind,
                        date=monday - datetime.timedelta(days=days_ago), direction=direction,
                        context="clinical", summary="Benchmark interaction")
            for contact, days_ago, kind, direction in rows
        ],
        batch_size=10_000,
    )  # fmt: skip
    rotations = Rotation.objects.bulk_create(
        [
            Rotation(owner=user, name="Surgery sub-I", specialty="Surgery",
                     kind="sub_internship", start=monday - datetime.timedelta(days=12),
                     end=monday + datetime.timedelta(days=15))
            for user in users
        ],
        batch_size=2_000,
    )  # fmt: skip
    TeamMember.objects.bulk_create(
        [
            TeamMember(rotation=rotation, contact=contact, weeks_together=4)
            for n, rotation in enumerate(rotations)
            for contact in people[n * contacts + 3 : n * contacts + 7]
        ],
        batch_size=10_000,
    )  # fmt: skip
    LetterRequest.objects.bulk_create(
        [
            LetterRequest(owner_id=contact.owner_id, writer=contact, status="agreed",
                          due=monday + datetime.timedelta(days=rng.randint(3, 29)),
                          asked_on=monday - datetime.timedelta(days=20),
                          agreed_on=monday - datetime.timedelta(days=18))
            for contact in people[::contacts]
        ],
        batch_size=5_000,
    )  # fmt: skip
    Recommendation.objects.bulk_create(
        [Recommendation(student=user, advisor=advisor, text="Ask your PD for a mock interview.")
         for user in users[::4]],
        batch_size=5_000,
    )  # fmt: skip
    return [user.pk for user in users]


class _QueryCounter:
    """Counts every query (connection.execute_wrapper): the debug log stops at 9,000."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _average_email_kb(student_ids: list[int], now: datetime.datetime) -> float:
    """The size of these students' weekly emails as sent (MIME, both parts), on a sample after
    the timed run: the sink does not keep what it is sent."""
    from crm.models import User
    from reminders.email.delivery import build_message
    from reminders.email.digest import digest_content, render_digest

    sizes = []
    for student in User.objects.filter(pk__in=student_ids):
        content = digest_content(student, student.local_today(now))
        message = build_message(student, render_digest(student, content, nonce="sample"))
        sizes.append(len(message.message().as_bytes()))
    return round(sum(sizes) / max(len(sizes), 1) / 1024, 1)


def digests() -> None:
    """Issues 3 and 23: render and send the weekly emails of 500 students (40 contacts and 150
    interactions each) through the real send path (claim, refresh, content, render, SMTP, mark
    sent) to an SMTP sink in a process of its own (tests/bench/smtp_sink.py), in one process
    (one worker), DIGEST_RUNS times: each run's figures, then the median."""
    import os
    import time

    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from reminders.email import delivery
    from reminders.models import Digest, DigestRun
    from reminders.nudges.services import refresh_students
    from tests.bench.smtp_sink import smtp_sink

    print(
        f"\n== Weekly email: {DIGEST_STUDENTS:,} students ({DIGEST_CONTACTS} contacts, "
        f"{DIGEST_INTERACTIONS} interactions), sent over SMTP by one process"
    )
    started = time.perf_counter()
    student_ids = _digest_world(DIGEST_STUDENTS)
    today = DIGEST_NOW.astimezone(datetime.timezone(datetime.timedelta(hours=9))).date()
    for start in range(0, len(student_ids), 200):  # the day's refresh has run, as it would have
        refresh_students(student_ids[start : start + 200], today=today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"(data built and refreshed in {time.perf_counter() - started:.0f} s, not measured)")

    delivery.warm_up()  # as a worker has done when it started (crm.celery)
    runs = []
    with smtp_sink() as inbox:
        smtp = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": inbox.port, "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False, "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "",
        }  # fmt: skip
        # As a worker sends them, with DEBUG off (the bench's DEBUG=true would log every
        # query through the debug cursor, as _time_refresh says).
        with override_settings(**smtp, DEBUG=False):
            for _ in range(DIGEST_RUNS):
                # The same week from scratch: planned, claimed, refreshed, rendered, sent.
                Digest.objects.all().delete()
                DigestRun.objects.all().delete()
                runs.append(_send_the_week())
    print(f"(to {inbox.name} on port {inbox.port}; load average {os.getloadavg()[0]:.2f})")
    print(
        f"{'run':>4} {'sent':>6} {'seconds':>8} {'cpu ms/email':>12} {'emails/s/worker':>16} "
        f"{'queries/email':>14} {'per chunk':>16} {'plan q':>7} {'load':>5}"
    )
    for number, figures in enumerate(runs, 1):
        harness.record("digests", f"send {DIGEST_STUDENTS:,}, run {number}", figures)
        print(
            f"{number:>4} {figures['sent']:>6} {figures['seconds']:>8} "
            f"{figures['cpu_ms_per_email']:>12} {figures['emails_per_second_per_worker']:>16} "
            f"{figures['queries_per_email']:>14} "
            f"{'/'.join(map(str, figures['queries_per_email_by_chunk'])):>16} "
            f"{figures['plan_queries']:>7} {figures['load_average']:>5}"
        )
    rates = sorted(figures["emails_per_second_per_worker"] for figures in runs)
    summary = {
        "runs": len(runs),
        "emails_per_second_median": rates[len(rates) // 2],
        "emails_per_second_best": rates[-1],
        "sent": sum(figures["sent"] for figures in runs),
        "received_by_smtp": inbox.received,
        "smtp_sink": inbox.name,
        "average_email_kb": _average_email_kb(student_ids[:20], DIGEST_NOW),
        "chunk_size": settings.DIGEST_CHUNK_SIZE,
    }
    harness.record("digests", f"send {DIGEST_STUDENTS:,}", summary)
    print(
        f"median {summary['emails_per_second_median']} emails/s, best "
        f"{summary['emails_per_second_best']}; {summary['received_by_smtp']} of "
        f"{summary['sent']} received by the sink; {summary['average_email_kb']} KB an email"
    )


# The week is sent this many times, each from scratch: the machine's speed moves from one run to
# the next, and the median says more than one run.
DIGEST_RUNS = 3


def _send_the_week() -> dict:
    """One run of the weekly email for every student planned at DIGEST_NOW, chunk by chunk as
    the workers send it, with its time, the sender's CPU time and its queries."""
    import os
    import time

    from django.conf import settings
    from django.db import connection

    from reminders.email import delivery
    from reminders.models import DigestRun

    counter = _QueryCounter()
    per_chunk = []
    with connection.execute_wrapper(counter):
        began, cpu = time.perf_counter(), time.process_time()
        run, plan = delivery.start_run(now=DIGEST_NOW, trigger=DigestRun.Trigger.COMMAND)
        plan_seconds = time.perf_counter() - began
        plan_queries = counter.count
        for chunk in delivery.chunked(plan.to_send, settings.DIGEST_CHUNK_SIZE):
            before = counter.count
            result = delivery.send_batch(chunk, now=DIGEST_NOW, run_id=run.pk)
            per_chunk.append((counter.count - before) / max(result.sent, 1))
        seconds = time.perf_counter() - began
        cpu = time.process_time() - cpu
    run.refresh_from_db()
    return {
        "planned": run.planned,
        "sent": run.sent,
        "failed": run.failed,
        "seconds": round(seconds, 2),
        # This process's CPU time (the sender's Python, apart from the database, the sink and
        # the wait).
        "cpu_seconds": round(cpu, 2),
        "cpu_ms_per_email": round(cpu * 1000 / max(run.sent, 1), 2),
        "plan_seconds": round(plan_seconds, 2),
        "emails_per_second_per_worker": round(run.sent / seconds, 1),
        "plan_queries": plan_queries,
        "queries_per_email": round((counter.count - plan_queries) / max(run.sent, 1), 2),
        "queries_per_email_by_chunk": sorted({round(value, 2) for value in per_chunk}),
        "load_average": round(os.getloadavg()[0], 2),
    }


ALL["digests"] = digests


# --- The advisor's pages -----------------------------------------------------------------------

ADVISOR_STUDENTS = 200


def advisor() -> None:
    """Issue 5: an advisor with 200 students (50 contacts x 10 interactions each): the query
    count and server time of the advisor home and of one student's advocate map."""
    from django.test import Client
    from django.urls import reverse

    from advisors.models import AdvisorAccess
    from crm.models import User
    from reminders.nudges.services import refresh_students

    print(f"\n== Advisor: one advisor with {ADVISOR_STUDENTS} students")
    student_ids = _engine_world(ADVISOR_STUDENTS, seed=17, prefix="advisee")
    refresh_students(student_ids, today=TODAY)  # the weekly snapshots the home page reads
    advisor_user = User.objects.create_user(
        email="advisor@bench.test",
        password="bench-password-123",
        name="Dr. Bench Advisor",
        role=User.Role.ADVISOR,
    )
    AdvisorAccess.objects.bulk_create(
        AdvisorAccess(student_id=pk, advisor=advisor_user, share_notes=True) for pk in student_ids
    )
    client = Client()
    client.force_login(advisor_user, backend="django.contrib.auth.backends.ModelBackend")
    urls = {
        "advisor home (200 students)": reverse("advisor_home"),
        "advisor home, search 'Student 1'": reverse("advisor_home") + "?q=Student+1",
        "one student's map": reverse("advisor_student", args=[student_ids[len(student_ids) // 2]]),
    }
    print(f"{'page':40} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
    for label, url in urls.items():
        figures = harness.time_requests(client, url)
        harness.record("advisor", label, figures)
        print(
            f"{label:40} {figures['queries']:>7} {figures['median_ms']:>10} {figures['p95_ms']:>8}"
        )


ALL["advisor"] = advisor
