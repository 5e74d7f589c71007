import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contacts import datafile
from crm.models import User

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "demo-student.json"
DEMO_PASSWORD = "advocate-demo"


class Command(BaseCommand):
    help = (
        "Load a realistic demo student (a fourth-year applying to Internal Medicine) from "
        "contacts/demo/demo-student.json and print the login. Safe to run twice: if the demo "
        "student already has records they are left exactly as they are. --reset deletes that one "
        "account and loads it afresh, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo account (and everything it holds) and load it again.",
        )

    def handle(self, *args, reset, **options):
        document = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        email = document["student"]["email"]
        with transaction.atomic():
            student = User.objects.filter(email__iexact=email).first()
            if student is not None and not student.is_student:
                raise CommandError(f"{email} exists and is not a student account.")
            if student is not None and reset:
                student.delete()
                student = None
            if student is None or not _has_records(student):
                try:
                    result = datafile.import_document(document, email=email)
                except datafile.DataFileError as error:
                    raise CommandError(f"{DEMO_FILE.name}: {error}") from error
                student = result.student
                self.stdout.write(f"{result.summary()}.")
            else:
                self.stdout.write(
                    f"The demo student {email} already has records; left unchanged "
                    "(--reset loads them afresh)."
                )
            # Checked first, so a second run does not even rewrite the password hash.
            if not student.check_password(DEMO_PASSWORD):
                student.set_password(DEMO_PASSWORD)
                student.save(update_fields=["password"])
        self.stdout.write(f"Log in at /accounts/login/ as {email} with password {DEMO_PASSWORD}")
        # The advisors' demo class (advisors app, called by name: records sit below advisors).
        call_command("seed_demo_class", stdout=self.stdout)


def _has_records(student: User) -> bool:
    return (
        student.contacts.exists()
        or student.rotations.exists()
        or student.interactions.exists()
        or student.letters.exists()
    )
