"""health: exit 0 when the weekly email is going out, non-zero with the reasons when not.

For a container health check or a cron alert: no scheduler tick for two hours, failed emails
in the last run, a run that never finished, or an unreachable database."""

import sys

from django.core.management.base import BaseCommand

from reminders.email import health


class Command(BaseCommand):
    help = "Check the scheduler, the last weekly-email run and the database; exit 1 on trouble."

    def handle(self, *args, **options):
        problems = health.problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"UNHEALTHY: {problem}")
            sys.exit(1)
        last = health.last_tick_at()
        self.stdout.write(f"OK: last scheduler tick {last:%Y-%m-%d %H:%M} UTC.")
