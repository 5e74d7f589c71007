import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contacts.importers import (
    MAX_BYTES,
    Format,
    ImportFileError,
    apply_plan,
    plan_import,
    read_file,
)
from contacts.vocabulary import ROLE_WORDS
from crm.models import User
from crm.phrases import plural_word


class Command(BaseCommand):
    help = (
        "Import contacts from a CSV spreadsheet, a LinkedIn Connections.csv or a vCard file into "
        "a student's records. Prints the preview (rows to create, rows matching a contact the "
        "student has, errors with line numbers); without --dry-run, applies it. Matched rows "
        "are merged (blanks filled in, nothing overwritten), so importing the same file twice "
        "creates nothing new. Any error row: exit status 1 and nothing written, unless "
        "--skip-errors, which imports the good rows and leaves out the listed ones. Rows the "
        "file's own program leaves blank (LinkedIn's hidden connections, empty vCards) are "
        "skipped and counted, never errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help='The file to import, or "-" to read standard input.')
        parser.add_argument("--student", required=True, metavar="EMAIL")
        parser.add_argument(
            "--format",
            choices=Format.ALL,
            help="The file's format (default: worked out from its content).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the preview and write nothing."
        )
        parser.add_argument(
            "--skip-errors",
            action="store_true",
            help="Import the rows that read well and leave out the rows with errors (listed). "
            "Default: any error row and nothing is imported.",
        )

    def handle(self, *args, file, student, format, dry_run, skip_errors=False, **options):
        owner = User.objects.filter(email__iexact=student.strip()).first()
        if owner is None:
            raise CommandError(f"No account with the email {student}.")
        if not owner.is_student:
            raise CommandError(f"{owner.email} is an advisor; only students keep contacts.")
        data = _read(file)
        try:
            parsed = read_file(data, format)
        except ImportFileError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from error
        plan = plan_import(owner, parsed, owner.local_today())
        self._print_preview(file, plan)
        if plan.errors:
            for error in plan.errors:
                self.stderr.write(f"{file}: {error}")
            rows = f"{plan.error_rows} row{'s' if plan.error_rows != 1 else ''} with errors"
            if not skip_errors:
                raise CommandError(
                    f"{rows}: nothing was imported (--skip-errors imports the other rows)."
                )
            self.stdout.write(f"{rows}: left out (--skip-errors).")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        result = apply_plan(owner=owner, plan=plan, skip_errors=skip_errors)
        self.stdout.write(f"{result.summary()}.")

    def _print_preview(self, file, plan) -> None:
        self.stdout.write(f"{file}: {Format.WORDS[plan.format]}")
        self.stdout.write(f"Create ({len(plan.creates)}):")
        for planned in plan.creates:
            row = planned.row
            role = ROLE_WORDS[row.role] + (", guessed" if row.role_guessed else "")
            named = f" [name from {row.name_from}]" if row.name_from else ""
            where = f" · {row.institution}" if row.institution else ""
            self.stdout.write(f"  line {row.line}: {row.name}{named} ({role}){where}")
        self.stdout.write(f"Matched ({len(plan.matches)}):")
        for planned in plan.matches:
            adds = ", ".join(planned.adds) if planned.adds else "nothing new"
            self.stdout.write(
                f"  line {planned.line}: {planned.row.name} = {planned.contact.name} "
                f"(by {planned.matched_by}); merge adds {adds}"
            )
        self.stdout.write(f"Errors ({len(plan.errors)}):")
        for error in plan.errors:
            self.stdout.write(f"  {error}")
        if plan.skipped:
            self.stdout.write(f"Skipped ({len(plan.skipped)}):")
            for message, lines in plan.skipped_by_reason():
                numbers = ", ".join(str(line) for line in lines)
                self.stdout.write(f"  {plural_word(len(lines), 'line')} {numbers}: {message}")
        self.stdout.write(f"{plan.summary()}.")


def _read(file: str) -> bytes:
    if file == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{file}: this file is {path.stat().st_size / 1024 / 1024:.1f} MB; files up to "
                "5 MB can be imported. Nothing was imported."
            )
        data = path.read_bytes()
    return data
