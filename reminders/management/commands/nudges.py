"""nudges --student EMAIL --date YYYY-MM-DD --json: what the engine says on that date.

Evaluated from the records alone, as if nothing had been snoozed or dismissed, and read-only:
it writes nothing. With --json, one JSON object a line with exactly the keys
{"kind", "contact", "due", "reason"} (contact: the contact's name or null; due: ISO date)."""

import json

from django.core.management.base import BaseCommand, CommandError

from crm.models import User
from reminders.evaluation.standing import engine_for_student
from reminders.management.commands.refresh_nudges import parse_date


class Command(BaseCommand):
    help = "Print what the advocate engine says for a student on a date (writes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--student", metavar="EMAIL", required=True)
        parser.add_argument(
            "--date", help="YYYY-MM-DD (default: today on the student's own calendar)."
        )
        parser.add_argument("--json", action="store_true", help="One JSON object per line.")

    def handle(self, *args, **options):
        student = User.objects.filter(email__iexact=options["student"]).first()
        if student is None:
            raise CommandError(f"No student with email {options['student']}.")
        today = parse_date(options["date"]) if options["date"] else student.local_today()
        evaluation = engine_for_student(student, today)
        for spec in evaluation.nudges:
            if options["json"]:
                self.stdout.write(json.dumps(spec.as_json(), ensure_ascii=False))
            else:
                who = f" \u00b7 {spec.contact_name}" if spec.contact_name else ""
                self.stdout.write(f"{spec.due.isoformat()}  {spec.kind}{who}\n    {spec.reason}")
