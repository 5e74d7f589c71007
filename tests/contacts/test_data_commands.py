"""import_data, export_data and seed_demo, run through call_command and the command line."""

import datetime
import io
import json
from collections import Counter

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from contacts import datafile
from contacts.management.commands.seed_demo import DEMO_FILE, DEMO_PASSWORD
from contacts.models import Contact, Interaction, LetterRequest, Rotation
from crm.models import User
from tests.contacts.test_datafile import NEW_EMAIL, record_counts, sample_document
from tests.factories import ContactFactory


def run(*args) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def data_file(tmp_path):
    def write(document) -> str:
        path = tmp_path / "advocate.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return str(path)

    return write


# --- import_data ---------------------------------------------------------------------------


def test_import_data_creates_the_student_and_prints_a_summary(db, data_file):
    stdout, _ = run("import_data", data_file(sample_document()), "--student", NEW_EMAIL)

    assert stdout.splitlines()[0] == (
        f"Imported 2 contacts, 1 rotation, 2 interactions, 1 letter for {NEW_EMAIL}."
    )
    assert "Created the student" in stdout
    student = User.objects.get(email=NEW_EMAIL)
    assert Contact.objects.filter(owner=student).count() == 2


def test_import_data_adds_to_an_existing_student(student, data_file):
    ContactFactory(owner=student)

    stdout, _ = run("import_data", data_file(sample_document()), "--student", student.email)

    assert stdout.strip() == (
        "Imported 2 contacts, 1 rotation, 2 interactions, 1 letter for ada@example.edu."
    )
    assert Contact.objects.filter(owner=student).count() == 3


def test_import_data_reads_standard_input_when_the_file_is_a_dash(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(sample_document())))

    stdout, _ = run("import_data", "-", "--student", NEW_EMAIL)

    assert stdout.startswith("Imported 2 contacts")
    assert User.objects.filter(email=NEW_EMAIL).exists()


def test_import_data_fails_with_the_path_and_writes_nothing(db, data_file):
    document = sample_document()
    document["contacts"][1]["role"] = "pd"
    before = record_counts()

    with pytest.raises(CommandError, match=r'^contacts\[1\]\.role: unknown role "pd"$'):
        run("import_data", data_file(document), "--student", NEW_EMAIL)

    assert record_counts() == before
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_import_data_refuses_a_file_that_is_not_json(db, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text('{"format": "advocate/v1",', encoding="utf-8")

    with pytest.raises(CommandError, match=r"^document: not valid JSON \(line 1"):
        run("import_data", str(path), "--student", NEW_EMAIL)


def test_import_data_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_data", str(tmp_path / "nowhere.json"), "--student", NEW_EMAIL)


def test_import_data_exits_non_zero_and_prints_the_path_on_stderr(
    db, data_file, capsys, monkeypatch
):
    # The command line closes database connections when it finishes; keep the test's open.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    document = sample_document()
    document["interactions"][1]["contact"] = "c99"
    before = record_counts()

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(
            ["manage.py", "import_data", data_file(document), "--student", NEW_EMAIL]
        ).execute()

    assert exit_info.value.code != 0
    captured = capsys.readouterr()
    assert 'interactions[1].contact: no contact with key "c99"' in captured.err
    assert captured.out == ""
    assert record_counts() == before


def test_import_data_help_says_it_adds_rather_than_replaces():
    from contacts.management.commands.import_data import Command

    assert "ADDED" in Command.help and "nothing is replaced or deleted" in Command.help


# --- export_data ---------------------------------------------------------------------------


def test_export_data_prints_the_file_as_indented_utf8_json(student):
    ContactFactory(owner=student, name="Dr. José Núñez")

    stdout, _ = run("export_data", "--student", "ADA@example.edu")

    assert "Dr. José Núñez" in stdout  # not "\u00e9"
    assert stdout.startswith('{\n  "format": "advocate/v1",')
    assert json.loads(stdout) == datafile.export_document(student)


def test_export_data_refuses_an_unknown_student(db):
    with pytest.raises(CommandError, match="No account with the email nobody@example.edu"):
        run("export_data", "--student", "nobody@example.edu")


def test_export_then_import_data_round_trips_through_the_commands(student, data_file):
    datafile.import_document(sample_document(), student=student)
    first, _ = run("export_data", "--student", student.email)

    run("import_data", data_file(json.loads(first)), "--student", NEW_EMAIL)
    second, _ = run("export_data", "--student", NEW_EMAIL)

    first_document, second_document = json.loads(first), json.loads(second)
    assert second_document["student"].pop("email") == NEW_EMAIL
    first_document["student"].pop("email")
    assert second_document == first_document


# --- seed_demo -----------------------------------------------------------------------------


def _demo_counts(student) -> tuple[int, int, int, int]:
    return (
        Contact.objects.filter(owner=student).count(),
        Rotation.objects.filter(owner=student).count(),
        Interaction.objects.filter(owner=student).count(),
        LetterRequest.objects.filter(owner=student).count(),
    )


def test_seed_demo_loads_the_demo_student_and_prints_the_login(db):
    stdout, _ = run("seed_demo")

    student = User.objects.get(email="demo@advocate.test")
    assert student.is_student
    assert student.check_password(DEMO_PASSWORD)
    assert "demo@advocate.test" in stdout and DEMO_PASSWORD in stdout
    assert stdout.startswith("Imported 40 contacts, 6 rotations, 150 interactions, 4 letters")
    assert _demo_counts(student) == (40, 6, 150, 4)


def test_seed_demo_twice_leaves_the_demo_student_unchanged(db):
    run("seed_demo")
    student = User.objects.get(email="demo@advocate.test")
    before = (record_counts(), datafile.export_document(student), student.password)

    stdout, _ = run("seed_demo")

    student.refresh_from_db()
    assert (record_counts(), datafile.export_document(student), student.password) == before
    assert "left unchanged" in stdout
    assert DEMO_PASSWORD in stdout


def test_seed_demo_restores_the_known_password(db):
    run("seed_demo")
    student = User.objects.get(email="demo@advocate.test")
    student.set_password("something-else-entirely")
    student.save()

    run("seed_demo")

    student.refresh_from_db()
    assert student.check_password(DEMO_PASSWORD)


def test_seed_demo_reset_reloads_the_demo_student_from_the_file(db):
    run("seed_demo")
    student = User.objects.get(email="demo@advocate.test")
    Contact.objects.filter(owner=student).first().delete()

    run("seed_demo", "--reset")

    student = User.objects.get(email="demo@advocate.test")
    assert _demo_counts(student) == (40, 6, 150, 4)


def test_seed_demo_leaves_other_students_alone(student):
    ContactFactory(owner=student)

    run("seed_demo")
    run("seed_demo", "--reset")

    assert Contact.objects.filter(owner=student).count() == 1


# --- the demo file itself ------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def test_the_demo_file_passes_validation(demo):
    datafile.validate(demo)


def test_the_demo_file_has_the_advertised_sizes(demo):
    assert 35 <= len(demo["contacts"]) <= 45
    assert len(demo["rotations"]) == 6
    assert 130 <= len(demo["interactions"]) <= 170
    assert len(demo["letters"]) == 4


def test_the_demo_student_is_a_fourth_year_applying_to_internal_medicine(demo):
    assert demo["student"]["match_year"] == 2027
    assert demo["student"]["target_specialties"] == ["Internal Medicine"]


def test_the_demo_rotations_include_two_aways_in_different_places_one_community(demo):
    kinds = Counter(rotation["kind"] for rotation in demo["rotations"])
    assert kinds["away"] == 2
    assert kinds["sub_internship"] == 1 and kinds["research"] == 1 and kinds["core_clerkship"] >= 2
    aways = [r["institution"] for r in demo["rotations"] if r["kind"] == "away"]
    assert len({away["city"] for away in aways}) == 2
    assert {away["setting"] for away in aways} == {"academic", "community"}


def test_the_demo_interactions_span_about_eighteen_months(demo):
    dates = sorted(datetime.date.fromisoformat(i["date"]) for i in demo["interactions"])
    assert dates[0].strftime("%Y-%m") == "2025-05"
    assert dates[-1].strftime("%Y-%m") == "2026-11"
    assert dates[-1] <= datetime.date(2026, 11, 22)  # nothing after "today" in the story
    assert any(i["follow_up_by"] for i in demo["interactions"])


def test_the_demo_letters_are_in_four_statuses_due_in_september_or_october(demo):
    assert {letter["status"] for letter in demo["letters"]} == {
        "submitted",
        "thanked",
        "agreed",
        "asked",
    }
    assert all(letter["due"][:7] in {"2026-09", "2026-10"} for letter in demo["letters"])


def test_the_demo_contacts_span_the_roles_and_include_several_who_would_vouch(demo):
    roles = {contact["role"] for contact in demo["contacts"]}
    assert {
        "program_director",
        "associate_program_director",
        "clerkship_director",
        "faculty",
        "research_pi",
        "chief_resident",
        "senior_resident",
        "junior_resident",
        "fellow",
        "staff",
        "peer",
    } <= roles
    assert sum(contact["would_vouch"] for contact in demo["contacts"]) >= 3


def test_the_demo_file_holds_no_patient_information(demo):
    assert "patient" not in DEMO_FILE.read_text(encoding="utf-8").lower()
