from django.core.management.base import BaseCommand, CommandError

from crm.models import User
from inbound.services import address_for


class Command(BaseCommand):
    help = "Print a student's private Log-by-BCC address (made on first use)."

    def add_arguments(self, parser):
        parser.add_argument("--student", required=True, help="the student's account email")

    def handle(self, *args, student, **options):
        user = User.objects.filter(email__iexact=student.strip(), role=User.Role.STUDENT).first()
        if user is None:
            raise CommandError(f"No student with the email {student}.")
        self.stdout.write(address_for(user).email)
