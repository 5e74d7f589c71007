"""The data-file import at scale: N contacts (each with one interaction) in one advocate/v1
file, imported by `datafile.import_document` (what `import_data` runs), and a 5 MB file through
the web upload (what a student's browser waits for).

    python -m tests.bench datafile                       # with `make bench`
    DATAFILE_CONTACTS=2000 python -m tests.bench.datafile_import   # standalone, any database

Standalone it uses DATABASE_URL as it is (no drop): it adds bench students and deletes them.
"""

import datetime
import io
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from tests.bench import harness

DEFAULT_CONTACTS = 100_000
UPLOAD_BYTES = 5 * 1024 * 1024 - 64 * 1024  # just under the 5 MB limit


def build_document(contacts: int, *, email: str, seed: int = 3) -> dict:
    rng = random.Random(seed)
    roles = ["faculty", "senior_resident", "program_director", "fellow", "peer", "staff"]
    return {
        "format": "advocate/v1",
        "student": {
            "email": email,
            "name": "Bench Importer",
            "timezone": "America/Chicago",
            "match_year": 2028,
            "target_specialties": ["Internal Medicine"],
            "target_cities": ["Chicago, IL"],
            "match_outcome": None,
        },
        "contacts": [
            {
                "key": f"c{n}",
                "name": f"Dr. Contact {n:06d}",
                "email": f"contact{n}@hospital.example",
                "phone": "",
                "role": rng.choice(roles),
                "specialty": rng.choice(["Internal Medicine", "Surgery", "Pediatrics"]),
                "institution": {"name": f"Hospital {n % 200}", "city": "Chicago", "state": "IL",
                                "setting": "academic"},
                "how_met": "Sub-I attending",
                "would_vouch": rng.random() < 0.05,
                "tags": ["mentor"] if n % 7 == 0 else [],
                "notes": "",
            }
            for n in range(contacts)
        ],
        "rotations": [],
        "interactions": [
            {
                "contact": f"c{n}",
                "date": f"2027-0{1 + n % 9}-{1 + n % 28:02d}",
                "kind": "meeting",
                "direction": "outbound",
                "context": "clinical",
                "summary": "Talked about the sub-I",
                "follow_up_by": None,
            }
            for n in range(contacts)
        ],
        "letters": [],
    }  # fmt: skip


def contacts_for_bytes(limit: int) -> int:
    """The number of contacts whose file is just under `limit` bytes."""
    per_contact = len(json.dumps(build_document(1000, email="x@example.edu"))) / 1000
    return int(limit / per_contact)


def time_import(contacts: int) -> dict:
    from contacts import datafile
    from crm.models import User

    email = f"bench-import-{contacts}@example.edu"
    User.objects.filter(email=email).delete()
    document = build_document(contacts, email=email)
    started = time.perf_counter()
    result = datafile.import_document(document, email=email)
    seconds = time.perf_counter() - started
    assert result.contacts == contacts
    User.objects.filter(email=email).delete()
    figures = {
        "contacts": contacts,
        "interactions": contacts,
        "seconds": round(seconds, 1),
        "contacts_per_second": round(contacts / seconds),
    }
    print(f"  import_document, {contacts:,} contacts + {contacts:,} interactions: "
          f"{seconds:.1f} s ({figures['contacts_per_second']:,} contacts/s)")  # fmt: skip
    return figures


def time_upload() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from crm.models import User

    contacts = contacts_for_bytes(UPLOAD_BYTES)
    email = "bench-upload@example.edu"
    User.objects.filter(email=email).delete()
    student = User.objects.create_user(email=email, password="bench-password-123")
    body = json.dumps(build_document(contacts, email=email)).encode()
    client = Client()
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    started = time.perf_counter()
    response = client.post(reverse("data_import"), {"file": SimpleUploadedFile("a.json", body)})
    seconds = time.perf_counter() - started
    assert response.status_code in (200, 302), response.status_code
    imported = student.contacts.count()
    User.objects.filter(email=email).delete()
    print(f"  web upload of {len(body) / 1e6:.1f} MB ({contacts:,} contacts + interactions): "
          f"{seconds:.1f} s, status {response.status_code}, {imported:,} imported")  # fmt: skip
    return {"bytes": len(body), "contacts": contacts, "seconds": round(seconds, 1),
            "status": response.status_code, "imported": imported}  # fmt: skip


# --- A class: 300 students' files (issue 23) ----------------------------------------------------

CLASS_STUDENTS = 300
CLASS_CONTACTS = 40
CLASS_INTERACTIONS = 150


def build_student_document(number: int, *, today: datetime.date, prefix: str = "class") -> dict:
    """One student's file as a class hands them in: 40 contacts at 6 hospitals, 150 interactions
    over the last 18 months, 3 rotations with their teams, 4 letters, 3 programs (2 with a tie),
    a Match story and a red flag."""
    rng = random.Random(number)
    roles = [
        "program_director",
        "faculty",
        "senior_resident",
        "chief_resident",
        "fellow",
        "peer",
        "clerkship_director",
        "research_pi",
    ]
    specialties = ["Internal Medicine", "Surgery", "Pediatrics", "Neurology"]
    hospitals = [
        {"name": f"Hospital {n}", "city": rng.choice(["Chicago", "Boston", "Denver"]),
         "state": "IL", "setting": rng.choice(["academic", "community"])}
        for n in range(6)
    ]  # fmt: skip
    contacts = [
        {"key": f"c{n}", "name": f"Dr. Contact {number}-{n:02d}",
         "email": f"contact{n}.{number}@hospital.example", "phone": "",
         "role": rng.choice(roles), "specialty": rng.choice(specialties),
         "institution": rng.choice(hospitals), "how_met": "On the wards",
         "would_vouch": rng.random() < 0.1, "tags": ["mentor"] if n % 7 == 0 else [],
         "notes": "", "ties": []}
        for n in range(CLASS_CONTACTS)
    ]  # fmt: skip
    programs = [
        {"key": f"p{n}", "name": f"{hospitals[n]['name']} Internal Medicine",
         "specialty": "Internal Medicine", "institution": hospitals[n], "target": True}
        for n in range(3)
    ]  # fmt: skip
    contacts[0]["ties"] = [{"program": "p0", "kind": "trained_at", "note": "residency there"}]
    contacts[1]["ties"] = [{"program": "p1", "kind": "works_at", "note": ""}]
    interactions = []
    for _ in range(CLASS_INTERACTIONS):
        day = today - datetime.timedelta(days=rng.randint(0, 540))
        interactions.append(
            {"contact": f"c{rng.randrange(CLASS_CONTACTS)}", "date": day.isoformat(),
             "kind": rng.choice(["meeting", "email", "feedback", "worked_together", "update"]),
             "direction": rng.choice(["outbound", "inbound"]), "context": "clinical",
             "summary": "Talked about the rotation", "follow_up_by": None}
        )  # fmt: skip
    rotations = []
    start = today - datetime.timedelta(days=300)
    for n in range(3):
        team = rng.sample(range(CLASS_CONTACTS), 4)
        rotations.append(
            {"key": f"r{n}", "name": f"Rotation {n}", "specialty": rng.choice(specialties),
             "kind": rng.choice(["core_clerkship", "sub_internship", "away"]),
             "institution": hospitals[n], "start": start.isoformat(),
             "end": (start + datetime.timedelta(days=27)).isoformat(),
             "team": [{"contact": f"c{k}", "weeks_together": rng.randint(1, 4)} for k in team]}
        )  # fmt: skip
        start += datetime.timedelta(days=70)
    letters = [
        {"writer": f"c{n}", "purpose": "residency", "specialty": "Internal Medicine",
         "programs": [], "due": (today + datetime.timedelta(days=30 + n)).isoformat(),
         "status": rng.choice(["asked", "agreed", "considering"]),
         "asked_on": (today - datetime.timedelta(days=20)).isoformat(), "agreed_on": None,
         "materials": ["cv"], "submitted_on": None, "thanked_on": None}
        for n in range(4)
    ]  # fmt: skip
    return {
        "format": "advocate/v1",
        "student": {
            "email": f"{prefix}{number:05d}@bench.test", "name": f"Class Student {number}",
            "timezone": "America/Chicago", "match_year": today.year + 1,
            "target_specialties": ["Internal Medicine"], "target_cities": ["Chicago, IL"],
            "match_outcome": None,
            "red_flags": [{"kind": "exam", "note": "Step 1 retaken", "shared": True}],
        },
        "programs": programs,
        "contacts": contacts,
        "rotations": rotations,
        "interactions": interactions,
        "letters": letters,
        "match_stories": [
            {"year": today.year + 1, "specialties": ["Internal Medicine"], "pitch": "",
             "scores": "", "red_flag": "", "callers": ["c0", "c1"], "note": "",
             "matched_program": None, "saved_on": None}
        ],
    }  # fmt: skip


class _Clock:
    """Wall time, and the CPU time of this process, its worker processes and its PostgreSQL
    backend: on a busy machine the wall time says more about the neighbours, the CPU time what
    the import costs (on an idle machine the wall time is about the CPU time of the busiest
    of them, as they overlap)."""

    def __enter__(self):
        self.backend = _backend_cpu_seconds()
        self.self = resource.getrusage(resource.RUSAGE_SELF)
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc_info):
        self.seconds = time.perf_counter() - self.started
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = {
            name: max(0.0, value)  # no "-0.0" from rounding
            for name, value in (
                ("command", own.ru_utime + own.ru_stime - self.self.ru_utime - self.self.ru_stime),
                ("workers", children.ru_utime + children.ru_stime
                 - self.children.ru_utime - self.children.ru_stime),
                ("postgres", _backend_cpu_seconds() - self.backend),
            )
        }  # fmt: skip


def _backend_cpu_seconds() -> float:
    """CPU seconds of this connection's PostgreSQL backend (0 if it is on another machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_class_one_by_one(folder: Path, documents: list[dict]) -> dict:
    """The old path: `import_data FILE --student EMAIL` once per file, in this process (a shell
    loop would also start Django once per file). Each import leaves its student's refresh to
    the worker (reminders.tasks.refresh_student); it runs here, at once and inside the clock,
    so the figure includes what a worker then pays."""
    from unittest import mock

    from django.core.management import call_command

    from reminders import tasks

    with (
        _Clock() as clock,
        mock.patch.object(tasks.refresh_student, "delay", tasks.refresh_student),
    ):
        for document in documents:
            email = document["student"]["email"]
            path = str(folder / f"{email}.json")
            call_command("import_data", path, "--student", email, stdout=io.StringIO())
    return _class_figures("import_data FILE --student EMAIL, per file", documents, clock)


def time_class_import(folder: Path, documents: list[dict], jobs: int) -> dict:
    """The class import: `import_data --class DIR`, one validation pass per file (in `jobs`
    processes), the records in bulk across students, one transaction, then the batch refresh
    of every student."""
    from django.core.management import call_command

    with _Clock() as clock:
        call_command(
            "import_data", "--class", str(folder), "--jobs", str(jobs), stdout=io.StringIO()
        )
    return _class_figures(f"import_data --class DIR --jobs {jobs}", documents, clock)


def _class_figures(label: str, documents: list[dict], clock: _Clock) -> dict:
    from contacts.models import Contact
    from crm.models import User
    from reminders.models import Nudge

    emails = [document["student"]["email"] for document in documents]
    students = User.objects.filter(email__in=emails)
    counted = {
        "contacts": Contact.objects.filter(owner__in=students).count(),
        "nudges": Nudge.objects.filter(owner__in=students).count(),
    }
    assert counted["contacts"] == len(documents) * CLASS_CONTACTS, counted
    assert counted["nudges"] > 0, "the import refreshed nobody's nudges"
    load = os.getloadavg()
    figures = {
        "students": len(documents),
        "seconds": round(clock.seconds, 2),
        "students_per_second": round(len(documents) / clock.seconds, 1),
        "cpu_seconds": {name: round(value, 2) for name, value in clock.cpu.items()},
        "nudges": counted["nudges"],
        "load_average": [round(value, 2) for value in load],
    }
    cpu = " + ".join(f"{value:.1f}" for value in clock.cpu.values())
    shown_load = " ".join(f"{value:.2f}" for value in load)
    print(
        f"  {label:45} {clock.seconds:6.1f} s {figures['students_per_second']:6.1f} students/s"
        f"  CPU {cpu} s  load {shown_load}"
    )
    students.delete()
    return figures


def class_section() -> None:
    """`import_data` for a class: 300 students of 40 contacts and 150 interactions each, one
    file per student: the class import (its files checked in another process, then in this one)
    and the old way (a file at a time), side by side. As a command runs in production, with
    DEBUG off (the bench's DEBUG=true would log every query)."""
    from django.test.utils import override_settings

    students = int(os.environ.get("CLASS_STUDENTS", CLASS_STUDENTS))
    today = datetime.date.today()
    documents = [build_student_document(n, today=today) for n in range(students)]
    print(
        f"\nA class through the data file: {students} students x {CLASS_CONTACTS} contacts x "
        f"{CLASS_INTERACTIONS} interactions (CPU: command + its workers + PostgreSQL backend)"
    )
    with tempfile.TemporaryDirectory() as name, override_settings(DEBUG=False):
        folder = Path(name)
        for document in documents:
            path = folder / f"{document['student']['email']}.json"
            path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        for jobs in (1, 0):
            figures = time_class_import(folder, documents, jobs)
            harness.record("datafile_class", f"class, --jobs {jobs}", figures)
        if os.environ.get("CLASS_ONE_BY_ONE", "1") == "1":
            figures = time_class_one_by_one(folder, documents)
            harness.record("datafile_class", "one file at a time", figures)


def section() -> None:
    contacts = int(os.environ.get("DATAFILE_CONTACTS", DEFAULT_CONTACTS))
    print("\nData-file import")
    harness.record("datafile", "import", time_import(contacts))
    if os.environ.get("DATAFILE_UPLOAD", "1") == "1":
        harness.record("datafile", "upload", time_upload())


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ["DEBUG"] = "true"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    section()
    harness.write_results()
    return 0


if __name__ == "__main__":
    sys.exit(main())
