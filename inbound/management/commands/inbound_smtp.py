import logging

from django.conf import settings
from django.core.management.base import BaseCommand

from inbound.smtp import serve


class Command(BaseCommand):
    help = "Run the inbound mail server for Log by BCC (SMTP, aiosmtpd)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None, help="default INBOUND_SMTP_PORT")

    def handle(self, *args, host, port, **options):
        # aiosmtpd logs every command of every session at INFO: addresses, not needed.
        logging.getLogger("mail.log").setLevel(logging.WARNING)

        def ready(line):
            self.stdout.write(line)
            self.stdout.flush()

        serve(host, port or settings.INBOUND_SMTP_PORT, ready=ready)
