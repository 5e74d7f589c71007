"""send_digests [--date YYYY-MM-DD] [--dry-run]: the hourly weekly-email run, by hand.

Runs in this process (no worker needed) through the same claim-and-send path as the beat task,
so it never sends a week that already went, and running it beside the scheduler is safe."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.email import delivery
from reminders.models import DigestRun


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f'"{value}" is not a date: use YYYY-MM-DD.') from error


class Command(BaseCommand):
    help = (
        "Send the weekly emails that are due: each opted-in student whose chosen weekday and "
        "hour have come in this ISO week, in their own time zone, and who has no email for "
        "that week yet. Never sends a week twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help=(
                "Act as if it were this date (YYYY-MM-DD): as if each student's clock read their "
                "chosen hour on that date. Students whose chosen weekday falls on or before that "
                "date's weekday (Monday first) are due for that date's ISO week, unless its "
                "email went already; the email's content is computed for that date."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who would get an email, and write nothing.",
        )

    def handle(self, *args, **options):
        on_date = parse_date(options["date"]) if options["date"] else None
        now = timezone.now()
        when = on_date.isoformat() if on_date else "now"
        if options["dry_run"]:
            plan = delivery.plan_digests(now, on_date=on_date, dry_run=True)
            for due in plan.due:
                self.stdout.write(
                    f"{due.email}\tweek of {due.week.isoformat()}\ttheir date {due.today}"
                )
            self.stdout.write(f"{len(plan.due)} weekly email(s) would go out ({when}).")
            return
        run = delivery.run_digests(now=now, on_date=on_date, trigger=DigestRun.Trigger.COMMAND)
        self.stdout.write(
            f"Weekly emails ({when}): {run.sent} sent, {run.failed} failed, "
            f"{run.skipped} skipped of {run.planned} planned."
        )
        if run.failed:
            raise CommandError(f"{run.failed} weekly email(s) failed; see /ops/status/.")
