import sys

from django.core.management.base import BaseCommand, CommandError

from contacts import datafile


class Command(BaseCommand):
    help = (
        "Import an advocate/v1 data file into a student's records. Creates the student (with no "
        "password: they sign in after a password reset) if absent. The file's records are ADDED "
        "to any the student already has: nothing is replaced or deleted, so importing the same "
        "file twice adds everything twice. All or nothing: on any error nothing is written and "
        "the error names the path, e.g. contacts[3].role."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help='The JSON file to import, or "-" to read standard input.')
        parser.add_argument(
            "--student",
            required=True,
            metavar="EMAIL",
            help="The student to import into (the file's own student.email is not used).",
        )

    def handle(self, *args, file, student, **options):
        document = _read_json(file)
        try:
            result = datafile.import_document(document, email=student)
        except datafile.DataFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{result.summary()}.")
        if result.created:
            self.stdout.write(
                f"Created the student {result.student.email}; they can set a password with "
                "\u201cForgot your password?\u201d on the login page."
            )


def _read_json(file: str):
    try:
        if file == "-":
            text = sys.stdin.read()
        else:
            with open(file, encoding="utf-8-sig") as handle:
                text = handle.read()
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"document: {file} is not UTF-8 text") from error
    try:
        return datafile.read(text)
    except datafile.DataFileError as error:
        raise CommandError(str(error)) from error
