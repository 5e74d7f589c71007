"""The import plan against a student's contacts and its writes: matching, merging on a second
import, the same file twice creating nothing, all or nothing, one records-changed signal and a
constant number of queries whatever the number of rows."""

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.importers import apply_plan, plan_import, read_file
from contacts.importers.plan import Choices
from contacts.models import Contact, Institution, Interaction
from crm import events
from tests.factories import ContactFactory, InstitutionFactory, InteractionFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "imports"
TODAY = datetime.date(2025, 8, 1)


def import_file(student, data: bytes, choices=None):
    plan = plan_import(student, read_file(data), TODAY)
    assert plan.ok, plan.errors
    return plan, apply_plan(owner=student, plan=plan, choices=choices)


def test_a_spreadsheet_creates_contacts_institutions_and_last_contact_interactions(student):
    plan, result = import_file(student, (FIXTURES / "google_sheets.csv").read_bytes())
    assert (result.created, result.merged, result.interactions) == (6, 0, 4)
    lena = Contact.objects.get(owner=student, name="Dr. Lena Okafor")
    assert lena.role == "program_director"
    assert (lena.institution.name, lena.institution.city, lena.institution.state) == (
        "Lakeside University Hospital",
        "Chicago",
        "IL",
    )
    assert Institution.objects.filter(owner=student).count() == 2
    (interaction,) = lena.interactions.all()
    assert (interaction.date, interaction.kind) == (datetime.date(2025, 7, 10), "email")
    assert interaction.summary == "Last contact, imported from your spreadsheet"
    # The contact list sorts on the stored last contact: the import keeps it too.
    assert lena.last_contact_on == datetime.date(2025, 7, 10)


@pytest.mark.parametrize(
    "name",
    [
        "google_sheets.csv",
        "spreadsheet_windows1252.csv",
        "linkedin_connections.csv",
        "phone_contacts.vcf",
    ],
)
def test_importing_the_same_file_twice_creates_nothing_new(student, name):
    data = (FIXTURES / name).read_bytes()
    first_plan, _result = import_file(student, data)
    counts = (Contact.objects.count(), Interaction.objects.count(), Institution.objects.count())
    plan, result = import_file(student, data)
    assert (len(plan.creates), len(plan.matches)) == (0, len(first_plan.creates))
    assert all(planned.adds == () for planned in plan.matches)
    assert (result.created, result.merged, result.interactions) == (0, 0, 0)
    assert (
        Contact.objects.count(),
        Interaction.objects.count(),
        Institution.objects.count(),
    ) == counts


def test_a_second_import_merges_what_is_missing_and_never_overwrites(student):
    lakeside = InstitutionFactory(owner=student, name="Lakeside University Hospital")
    lena = ContactFactory(
        owner=student, name="Lena Okafor", email="", phone="", institution=lakeside,
        role="faculty", notes="My own note", specialty="Nephrology",
    )  # fmt: skip
    marcus = ContactFactory(owner=student, name="Marcus Bell", email="marcus@example.edu")
    data = (
        b"name,email,phone,role,specialty,institution,last contact,notes\n"
        b"Dr. Lena Okafor,lena@example.edu,312-555-0100,PD,Cardiology,"
        b"lakeside university hospital,2025-07-01,From the sheet\n"
        b"Someone Else,MARCUS@example.edu,,attending,,,,\n"
    )
    plan, result = import_file(student, data)
    matched = {planned.contact.id: planned for planned in plan.matches}
    assert matched[lena.pk].matched_by == "name and institution"
    assert matched[marcus.pk].matched_by == "email"
    assert matched[lena.pk].adds == ("email", "phone", "notes", "last contact 2025-07-01")
    assert (result.created, result.merged) == (0, 1)
    lena.refresh_from_db()
    assert (lena.email, lena.phone) == ("lena@example.edu", "312-555-0100")
    assert lena.role == "faculty" and lena.specialty == "Nephrology"  # never overwritten
    assert lena.notes == "My own note\n\nFrom the sheet"
    assert lena.interactions.get().date == datetime.date(2025, 7, 1)


def test_a_last_contact_already_logged_is_not_logged_again(student):
    lena = ContactFactory(owner=student, name="Lena Okafor", email="lena@example.edu")
    InteractionFactory(owner=student, contact=lena, date=datetime.date(2025, 7, 1), kind="email")
    plan, result = import_file(
        student, b"name,email,last contact\nLena Okafor,lena@example.edu,2025-07-01\n"
    )
    assert plan.matches[0].adds == ()
    assert result.interactions == 0
    assert lena.interactions.count() == 1


def test_skipped_rows_are_not_written_and_a_changed_role_is_used(student):
    ContactFactory(owner=student, name="Marcus Bell", email="marcus@example.edu", phone="")
    data = b"name,email,phone,role\nAna Lee,,,\nBo Chan,,,\nMarcus Bell,marcus@example.edu,555,\n"
    plan = plan_import(student, read_file(data), TODAY)
    lines = {planned.row.name: planned.line for planned in plan.rows}
    result = apply_plan(
        owner=student,
        plan=plan,
        choices=Choices(
            skip={lines["Bo Chan"], lines["Marcus Bell"]}, roles={lines["Ana Lee"]: "dean"}
        ),
    )
    assert (result.created, result.merged, result.skipped) == (1, 0, 2)
    assert list(
        Contact.objects.filter(owner=student).values_list("name", "role").order_by("name")
    ) == [
        ("Ana Lee", "dean"),
        ("Marcus Bell", "faculty"),
    ]
    assert Contact.objects.get(name="Marcus Bell").phone == ""


def test_duplicate_rows_in_one_file_are_errors_naming_the_first(student):
    plan = plan_import(student, read_file((FIXTURES / "duplicates.csv").read_bytes()), TODAY)
    assert [str(error) for error in plan.errors] == [
        "line 4: repeats line 2 (same email).",
        "line 5: repeats line 3 (same name and institution).",
    ]
    with pytest.raises(ValueError):
        apply_plan(owner=student, plan=plan)
    assert not Contact.objects.filter(owner=student).exists()


def test_a_last_contact_after_today_is_an_error(student):
    plan = plan_import(student, read_file(b"name,last contact\nAna,2025-08-02\n"), TODAY)
    assert plan.errors[0].field == "last contact" and "after today" in plan.errors[0].message


def test_matching_looks_only_at_the_students_own_contacts(student, other_student):
    ContactFactory(owner=other_student, name="Lena Okafor", email="lena@example.edu")
    plan = plan_import(student, read_file(b"name,email\nLena Okafor,lena@example.edu\n"), TODAY)
    assert len(plan.creates) == 1 and plan.matches == []


def test_an_import_stamps_the_records_once_and_sends_one_signal(student):
    heard = []

    def listener(sender, owner_id, interaction, **kwargs):
        heard.append((owner_id, interaction))

    events.changed.connect(listener)
    try:
        import_file(student, (FIXTURES / "google_sheets.csv").read_bytes())
    finally:
        events.changed.disconnect(listener)
    assert heard == [(student.pk, None)]


def test_a_failed_write_leaves_nothing_behind(student, monkeypatch):
    from contacts.importers import apply as apply_module

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(apply_module, "create_last_contact_interactions", broken)
    plan = plan_import(student, read_file((FIXTURES / "google_sheets.csv").read_bytes()), TODAY)
    with pytest.raises(RuntimeError):
        apply_plan(owner=student, plan=plan)
    assert not Contact.objects.filter(owner=student).exists()
    assert not Institution.objects.filter(owner=student).exists()


def _rows(count: int, offset: int = 0) -> bytes:
    lines = ["name,email,institution,last contact"]
    lines += [
        f"Person {n},p{n}@example.edu,Hospital {n % 7},2025-0{1 + n % 6}-1{n % 9}"
        for n in range(offset, offset + count)
    ]
    return ("\n".join(lines) + "\n").encode()


def _queries(student, data: bytes) -> tuple[int, int]:
    parsed = read_file(data)
    with CaptureQueriesContext(connection) as planning:
        plan = plan_import(student, parsed, TODAY)
    with CaptureQueriesContext(connection) as applying:
        apply_plan(owner=student, plan=plan)
    return len(planning), len(applying)


def test_the_queries_do_not_grow_with_the_rows(student, other_student):
    """Plan: the existing contacts (and, with matches, the interactions on their dates).
    Apply: savepoint, existing institutions, institutions insert, contacts insert,
    interactions insert, the stored last contact (one UPDATE), the records stamp, release.
    Per batch: 1,000 rows on PostgreSQL, fewer on SQLite (999 parameters a statement), so
    the big file runs on PostgreSQL only."""
    many = 900 if connection.vendor == "postgresql" else 60
    few_queries = _queries(student, _rows(10))
    assert few_queries == _queries(other_student, _rows(many))
    assert few_queries == (1, 8)
    # A second import of both, with the emails gone: every row matches by name and
    # institution and merges its email back, in bulk too.
    Contact.objects.filter(owner__in=[student, other_student]).update(email="")
    assert _queries(student, _rows(10)) == _queries(other_student, _rows(many))


def test_a_name_matches_where_one_side_has_no_institution(student):
    saved_bare = ContactFactory(owner=student, name="Marcus Bell", institution=None, email="")
    only_one = ContactFactory(owner=student, name="Tom Reyes", email="")
    ContactFactory(owner=student, name="Sam Lee", email="")
    ContactFactory(owner=student, name="Sam Lee", email="")
    data = b"name,institution\nMarcus Bell,Lakeside\nTom Reyes,\nSam Lee,\nTom Reyes Jr,\n"
    plan = plan_import(student, read_file(data), TODAY)
    matched = {row.row.name: (row.contact.id, row.matched_by) for row in plan.matches}
    assert matched == {"Marcus Bell": (saved_bare.pk, "name"), "Tom Reyes": (only_one.pk, "name")}
    # Two Sam Lees: which one is unclear, so the row is a new contact the student can skip.
    assert sorted(planned.row.name for planned in plan.creates) == ["Sam Lee", "Tom Reyes Jr"]
