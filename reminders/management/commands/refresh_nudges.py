"""refresh_nudges [--date YYYY-MM-DD] [--student EMAIL]: the scheduler's daily refresh, by hand.

Runs in this process (no worker needed), chunk by chunk, through the same service the Celery
tasks call."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from crm.models import User
from reminders.engine.conf import get_conf
from reminders.nudges.services import RefreshStats, refresh_students
from reminders.tasks import student_id_chunks


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f'"{value}" is not a date: use YYYY-MM-DD.') from error


class Command(BaseCommand):
    help = "Store what the advocate engine says today, for every student or one."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Evaluate on this date (YYYY-MM-DD) instead of each student's own."
        )
        parser.add_argument("--student", metavar="EMAIL", help="Only this student.")

    def handle(self, *args, **options):
        today = parse_date(options["date"]) if options["date"] else None
        if options["student"]:
            student = User.objects.filter(email__iexact=options["student"]).first()
            if student is None:
                raise CommandError(f"No student with email {options['student']}.")
            chunks = [[student.pk]]
        else:
            chunks = student_id_chunks(get_conf().refresh_chunk_size)
        total = RefreshStats()
        for chunk in chunks:
            total.add(refresh_students(chunk, today=today))
        on = today.isoformat() if today else "their own local dates"
        self.stdout.write(
            f"Refreshed {total.students} student(s) on {on}: {total.created} new, "
            f"{total.updated} updated ({total.reopened} reopened), {total.expired} closed."
        )
