"""vouch --student EMAIL [--program NAME] --json: who could vouch for the student at a program.

Strongest first; with --json one JSON object a line with exactly the keys
{"program", "contact", "score", "reason"}. Every program of the student (targets first), or
only the one named by --program (any case); nothing for a program where no contact has a tie.
Read-only. --date (YYYY-MM-DD) scores the contacts as of that day (default: the student's today).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from contacts.models import Program
from crm.models import User
from reminders.engine.vouch import as_json
from reminders.evaluation.vouching import vouching_for
from reminders.management.commands.refresh_nudges import parse_date


class Command(BaseCommand):
    help = "Print who could vouch for a student at each of their programs, strongest first."

    def add_arguments(self, parser):
        parser.add_argument("--student", metavar="EMAIL", required=True)
        parser.add_argument("--program", metavar="NAME", help="Only this program (its name).")
        parser.add_argument("--date", help="YYYY-MM-DD (default: today for the student).")
        parser.add_argument("--json", action="store_true", help="One JSON object per line.")

    def handle(self, *args, **options):
        student = User.objects.filter(email__iexact=options["student"]).first()
        if student is None:
            raise CommandError(f"No student with email {options['student']}.")
        today = parse_date(options["date"]) if options["date"] else student.local_today()
        programs = Program.objects.owned_by(student).select_related("institution")
        if options["program"]:
            if "\x00" in options["program"]:
                raise CommandError("--program: a program name cannot contain a NUL character.")
            programs = programs.filter(name__iexact=options["program"].strip())
            if not programs:
                names = ", ".join(Program.objects.owned_by(student).values_list("name", flat=True))
                raise CommandError(
                    f"{student.email} has no program called {options['program']!r}"
                    + (f"; their programs: {names}." if names else " (no programs yet).")
                )
        for answer in vouching_for(student, today, programs=list(programs)):
            if not options["json"] and answer.vouchers:
                self.stdout.write(answer.program.name)
            for voucher in answer.vouchers:
                if options["json"]:
                    self.stdout.write(json.dumps(as_json(voucher), ensure_ascii=False))
                else:
                    mark = "" if voucher.can_vouch else "  (not yet a voice there)"
                    self.stdout.write(
                        f"  {voucher.value:5.1f}  {voucher.contact.name}{mark}\n"
                        f"         {voucher.reason}"
                    )
