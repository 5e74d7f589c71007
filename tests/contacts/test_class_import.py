"""import_data --class: a class's data files at once, each into its own student.email.

All or nothing for the whole class (every file checked first; one bad file and nothing is
written for anyone, each bad file named with its path); the records in bulk, in queries that
grow with neither the records nor the students; the nudges refreshed together, through the
daily refresh's batch, once the class is committed."""

import copy
import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts import datafile
from contacts.models import Contact, Interaction, MatchStory, RedFlag, Tie
from crm.models import User
from reminders.models import Nudge
from reminders.reactions import PendingBulkRefresh, PendingRefresh
from tests.contacts.test_datafile import record_counts, sample_document, without_student_email
from tests.factories import ContactFactory, InstitutionFactory

# Tuesday 14 July 2026, mid-morning in Chicago: each file's meetings were yesterday, so the
# engine owes a thank-you to every contact.
NOW = datetime.datetime(2026, 7, 14, 15, 0, tzinfo=datetime.UTC)
YESTERDAY = "2026-07-13"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def student_file(email: str, *, contacts: int = 2) -> dict:
    """A file with a bit of every section: `contacts` contacts, each met yesterday, at one
    hospital; a rotation with a team; a letter; a program with a tie; a Match story calling
    the first contact; a red flag; the school."""
    document = sample_document(email)
    template = document["contacts"][0]
    document["contacts"] = [
        {**copy.deepcopy(template), "key": f"c{n}", "name": f"Dr. {email[:3].title()} {n}"}
        for n in range(1, contacts + 1)
    ]
    document["contacts"][0]["ties"] = [{"program": "p1", "kind": "works_at", "note": "faculty"}]
    document["rotations"][0]["team"] = document["rotations"][0]["team"][:contacts]
    document["interactions"] = [
        {**document["interactions"][0], "contact": f"c{n}", "date": YESTERDAY}
        for n in range(1, contacts + 1)
    ]
    document["programs"] = [
        {"key": "p1", "name": "Lakeshore Internal Medicine", "specialty": "Internal Medicine",
         "institution": {"name": "Lakeshore Medical Center"}, "target": True}
    ]  # fmt: skip
    document["match_stories"] = [
        {"year": 2028, "specialties": ["Internal Medicine"], "pitch": "A steady sub-I.",
         "scores": "", "red_flag": "", "callers": ["c1"], "note": "",
         "matched_program": None, "saved_on": None}
    ]  # fmt: skip
    document["student"]["red_flags"] = [{"kind": "exam", "note": "Step 1 retaken", "shared": True}]
    document["student"]["school"] = {"name": "Lakeshore Medical Center"}
    return document


@pytest.fixture
def folder(tmp_path):
    """write(name, document) puts a file in a class directory and returns the directory."""
    directory = tmp_path / "class-2028"
    directory.mkdir()

    def write(name: str, document) -> str:
        text = document if isinstance(document, str) else json.dumps(document)
        (directory / name).write_text(text, encoding="utf-8")
        return str(directory)

    return write


def run(*args) -> str:
    stdout = io.StringIO()
    call_command("import_data", *args, stdout=stdout)
    return stdout.getvalue()


# --- a class imported ----------------------------------------------------------------------


def test_a_class_lands_each_file_in_its_own_student_and_refreshes_them_together(
    student, folder, monkeypatch, settings, django_capture_on_commit_callbacks
):
    # ada@ is kept already, with a contact and her hospital spelled another way; the others
    # are new. Two students a round of inserts, and two a chunk of the refresh: the three
    # files take two of each.
    monkeypatch.setattr(datafile, "CLASS_CHUNK", 2)
    settings.ADVOCATE = {"refresh_chunk_size": 2}
    InstitutionFactory(owner=student, name="LAKESHORE Medical Center", city="")
    ContactFactory(owner=student, name="Dr. Kept")
    folder("ada.json", student_file("ada@example.edu", contacts=2))
    folder("ben.json", student_file("Ben@Example.edu", contacts=3))
    directory = folder("cy.json", student_file("cy@example.edu", contacts=1))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stdout = run("--class", directory)

    ada, ben, cy = (User.objects.get(email=f"{n}@example.edu") for n in ("ada", "ben", "cy"))
    assert [Contact.objects.filter(owner=s).count() for s in (ada, ben, cy)] == [3, 3, 1]
    assert [Interaction.objects.filter(owner=s).count() for s in (ada, ben, cy)] == [2, 3, 1]
    for each in (ada, ben, cy):
        assert Tie.objects.filter(owner=each, program__owner=each).count() == 1
        assert MatchStory.objects.get(owner=each).callers.get().owner == each
        assert RedFlag.objects.filter(owner=each).count() == 1
        assert each.is_student and each.school_name == "Lakeshore Medical Center"
    # ada's hospital is reused (matched in any case), its blank city filled from the file.
    assert ada.institutions.get(name__iexact="Lakeshore Medical Center").city == "Chicago"
    assert not ben.has_usable_password()
    # One refresh for the class, after the commit, through the daily refresh's batch: every
    # student owes a thank-you to each person met yesterday.
    assert len({id(c) for c in callbacks if isinstance(c, PendingBulkRefresh)}) == 1
    assert not [c for c in callbacks if isinstance(c, PendingRefresh)]
    thanks = Nudge.objects.filter(kind="thank_you", state="open")
    assert [thanks.filter(owner=s).count() for s in (ada, ben, cy)] == [2, 3, 1]
    assert stdout.splitlines() == [
        f"{directory}/ada.json: Imported 2 contacts, 1 rotation, 2 interactions, 1 letter, "
        "1 program, 1 tie, 1 Match story for ada@example.edu.",
        f"{directory}/ben.json: Imported 3 contacts, 1 rotation, 3 interactions, 1 letter, "
        "1 program, 1 tie, 1 Match story for ben@example.edu.",
        f"{directory}/cy.json: Imported 1 contact, 1 rotation, 1 interaction, 1 letter, "
        "1 program, 1 tie, 1 Match story for cy@example.edu.",
        "Imported a class of 3 students: 6 contacts, 3 rotations, 6 interactions, 3 letters; "
        "2 new students created.",
        "New students can set a password with \u201cForgot your password?\u201d on the login page.",
    ]


def test_a_file_imported_with_its_class_holds_what_it_holds_imported_alone(db, tmp_path):
    document = student_file("ada@example.edu", contacts=3)
    document["student"]["cycle_dates"] = {"rank_deadline": "2028-03-01"}
    alone = datafile.import_document(copy.deepcopy(document), email="alone@example.edu")
    paths = []
    for name, each in (("ada.json", document), ("ben.json", student_file("ben@example.edu"))):
        (tmp_path / name).write_text(json.dumps(each), encoding="utf-8")
        paths.append(str(tmp_path / name))

    run("--class", *paths)

    ada = User.objects.get(email="ada@example.edu")
    assert without_student_email(datafile.export_document(ada)) == without_student_email(
        datafile.export_document(alone.student)
    )


# --- all or nothing, for the whole class -----------------------------------------------------


@pytest.mark.parametrize("jobs", ["0", "2"])  # checked in this process, or in two others
def test_one_bad_file_refuses_the_whole_class_naming_every_bad_file_and_its_path(
    student, folder, monkeypatch, django_capture_on_commit_callbacks, jobs
):
    # One student a round: ada is written before ben's file is found bad, then rolled back.
    monkeypatch.setattr(datafile, "CLASS_CHUNK", 1)
    bad_role = student_file("ben@example.edu")
    bad_role["contacts"][1]["role"] = "pd"
    no_email = student_file("")
    folder("ada.json", student_file("ada@example.edu"))
    folder("ben.json", bad_role)
    folder("cy.json", "{not json")
    directory = folder("dee.json", no_email)
    before = record_counts()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(CommandError) as refused,
    ):
        run("--class", directory, "--jobs", jobs)

    assert str(refused.value).splitlines() == [
        "Nothing was imported (3 files refused):",
        f'{directory}/ben.json: contacts[1].role: unknown role "pd"',
        f"{directory}/cy.json: document: not valid JSON (line 1, column 2: "
        "Expecting property name enclosed in double quotes)",
        f"{directory}/dee.json: student.email: required to create the student",
    ]
    # The good file too: fixed, the same command runs again without adding anything twice.
    assert record_counts() == before
    assert callbacks == []
    assert not Nudge.objects.exists()


def test_two_files_for_one_student_are_refused(db, folder):
    folder("ada.json", student_file("ada@example.edu"))
    directory = folder("ada-again.json", student_file("ADA@example.edu"))

    with pytest.raises(CommandError) as refused:
        run("--class", directory)

    assert str(refused.value).splitlines()[1:] == [
        f'{directory}/ada.json: student.email: "ada@example.edu" is also the student of '
        f"{directory}/ada-again.json"
    ]
    assert not User.objects.exists()


def test_a_file_naming_an_advisor_refuses_the_class(advisor, folder):
    folder("ada.json", student_file("ada@example.edu"))
    directory = folder("advisor.json", student_file("Advisor@example.edu"))

    with pytest.raises(CommandError) as refused:
        run("--class", directory)

    assert str(refused.value).splitlines()[1:] == [
        f"{directory}/advisor.json: student: advisor@example.edu is not a student account"
    ]
    assert not User.objects.filter(email="ada@example.edu").exists()
    assert not Contact.objects.exists()


def test_a_missing_file_is_named_with_the_others(db, tmp_path):
    with pytest.raises(CommandError) as refused:
        run("--class", str(tmp_path / "nowhere.json"))

    assert str(refused.value).splitlines()[1:] == [
        f"{tmp_path}/nowhere.json: document: cannot be read (No such file or directory)"
    ]


def test_an_empty_directory_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no .json files in this directory"):
        run("--class", str(tmp_path))


# --- the single-file contract is unchanged -------------------------------------------------


def test_a_file_still_needs_its_student(db, tmp_path):
    path = tmp_path / "ada.json"
    path.write_text(json.dumps(sample_document()), encoding="utf-8")

    with pytest.raises(CommandError, match="the following arguments are required: --student"):
        run(str(path))
    assert not User.objects.exists()


def test_a_class_takes_no_file_or_student(db, tmp_path):
    with pytest.raises(CommandError, match="give no FILE or --student with it"):
        run("--class", str(tmp_path), "--student", "ada@example.edu")


def test_the_help_documents_the_class_import():
    from contacts.management.commands.import_data import Command

    assert "--class PATH" in Command.help and "whole class" in Command.help


# --- queries -------------------------------------------------------------------------------


def _class_import_queries(
    capture_on_commit, *, students: int, contacts: int, kept: bool = False
) -> int:
    emails = [f"s{n}-{students}x{contacts}-{kept}@example.edu" for n in range(students)]
    if kept:  # students already kept, with an institution, a program and a story of their own
        for email in emails:
            datafile.import_document(student_file(email, contacts=1), email=email)
    files = [(email, student_file(email, contacts=contacts)) for email in emails]
    # With the refresh the commit runs.
    with CaptureQueriesContext(connection) as queries, capture_on_commit(execute=True):
        datafile.import_class((name, datafile.validate(document)) for name, document in files)
    return len(queries)


def test_a_class_runs_the_same_queries_whatever_its_records_and_students(
    db, django_capture_on_commit_callbacks
):
    # New students (22): a savepoint; the students looked up; the new accounts; the ids drawn
    # and the rows copied in for institutions, contacts and rotations; team members,
    # interactions and letters copied in; programs' ids drawn, copied in; ties copied in;
    # stories' ids drawn, copied in; their callers copied in; red flags kept, copied in; one
    # stamp for all; the release. (On SQLite, one INSERT a table in place of each COPY and
    # its ids: 17.)
    # Then the batch refresh, once (18): the records (12 reads), the stored nudges, and in a
    # savepoint the new nudges, the week's snapshots and the standings.
    def count(students: int, contacts: int, *, kept: bool = False) -> int:
        return _class_import_queries(
            django_capture_on_commit_callbacks, students=students, contacts=contacts, kept=kept
        )

    new = count(students=2, contacts=2)
    assert new == (40 if connection.vendor == "postgresql" else 35)
    assert count(students=2, contacts=20) == new
    assert count(students=5, contacts=2) == new
    # Students already kept: their institutions, programs and stories are matched, and filled
    # where the file says more (found, made, found again, each), their profiles updated.
    kept = count(students=2, contacts=2, kept=True)
    assert count(students=2, contacts=20, kept=True) == kept
    assert count(students=5, contacts=2, kept=True) == kept
