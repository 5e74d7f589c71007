"""The data-file import at scale: N contacts (each with one interaction) in one advocate/v1
file, imported by `datafile.import_document` (what `import_data` runs), and a 5 MB file through
the web upload (what a student's browser waits for).

    python -m tests.bench datafile                       # with `make bench`
    DATAFILE_CONTACTS=2000 python -m tests.bench.datafile_import   # standalone, any database

Standalone it uses DATABASE_URL as it is (no drop): it adds bench students and deletes them.
"""

import json
import os
import random
import sys
import time

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
