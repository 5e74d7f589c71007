from django.core.management.base import BaseCommand, CommandError

from contacts import datafile
from crm.models import User


class Command(BaseCommand):
    help = "Print a student's records as an advocate/v1 data file (JSON, UTF-8) on stdout."

    def add_arguments(self, parser):
        parser.add_argument("--student", required=True, metavar="EMAIL")

    def handle(self, *args, student, **options):
        user = User.objects.filter(email__iexact=student.strip()).first()
        if user is None:
            raise CommandError(f"No account with the email {student}.")
        self.stdout.write(datafile.dumps(datafile.export_document(user)))
