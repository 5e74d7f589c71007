"""`manage.py import_contacts FILE --student EMAIL [--format] [--dry-run]`: prints the preview,
applies it, and on any error row exits non-zero having written nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contacts.models import Contact
from tests.factories import AdvisorFactory, ContactFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_contacts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_guesses_the_format_prints_the_preview_and_imports(student):
    out, _err = run(str(FIXTURES / "linkedin_connections.csv"), "--student", "ADA@example.edu")
    assert "LinkedIn connections" in out
    assert "Create (6):" in out
    assert "line 5: Lena Okafor (program director, guessed) · Lakeside University Hospital" in out
    assert "Matched (0):" in out and "Errors (0):" in out
    assert "Added 6 contacts." in out
    assert Contact.objects.filter(owner=student).count() == 6


def test_a_dry_run_prints_the_preview_and_writes_nothing(student):
    out, _err = run(str(FIXTURES / "phone_contacts.vcf"), "--student", student.email, "--dry-run")
    assert "3 to create, 0 matching contacts you have, 0 with errors." in out
    assert "Dry run: nothing was written." in out
    assert not Contact.objects.filter(owner=student).exists()


def test_a_second_run_matches_and_creates_nothing(student):
    ContactFactory(owner=student, name="Sam Whitaker", email="sam.whitaker@example.com", phone="")
    out, _err = run(str(FIXTURES / "phone_contacts.vcf"), "--student", student.email)
    assert "line 23: Sam Whitaker = Sam Whitaker (by email); merge adds phone" in out
    out, _err = run(str(FIXTURES / "phone_contacts.vcf"), "--student", student.email)
    assert "0 to create, 3 matching" in out and "merge adds nothing new" in out
    assert Contact.objects.filter(owner=student).count() == 3


def test_error_rows_exit_non_zero_with_their_line_numbers_and_write_nothing(student):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="4 rows with errors: nothing was imported."):
        call_command(
            "import_contacts", str(FIXTURES / "bad_rows.csv"), "--student", student.email,
            stdout=out, stderr=err,
        )  # fmt: skip
    assert "line 5, role: “wizard” is not a role we know" in out.getvalue()
    assert "bad_rows.csv: line 2, last contact:" in err.getvalue()
    assert not Contact.objects.filter(owner=student).exists()


def test_a_refused_file_exits_non_zero(student):
    with pytest.raises(CommandError, match="only its header row"):
        run(str(FIXTURES / "headers_only.csv"), "--student", student.email)


def test_a_format_that_does_not_fit_is_refused(student):
    with pytest.raises(CommandError, match="not a vCard file"):
        run(str(FIXTURES / "google_sheets.csv"), "--student", student.email, "--format", "vcard")


def test_an_unknown_student_or_an_advisor_is_refused(db):
    AdvisorFactory(email="adv@example.edu")
    with pytest.raises(CommandError, match="No account with the email nobody@example.edu"):
        run(str(FIXTURES / "google_sheets.csv"), "--student", "nobody@example.edu")
    with pytest.raises(CommandError, match="is an advisor"):
        run(str(FIXTURES / "google_sheets.csv"), "--student", "adv@example.edu")


def test_a_missing_file_is_refused(student):
    with pytest.raises(CommandError, match="no such file"):
        run("/nonexistent/contacts.csv", "--student", student.email)
