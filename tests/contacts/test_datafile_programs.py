"""Programs and ties in the advocate/v1 data file: optional on import, always exported,
checked with a path like every other field, and written in the import's bulk path."""

import copy

import pytest

from contacts import datafile
from contacts.datafile_reader import DataFileError
from contacts.models import Institution, Program, Tie
from tests.contacts.test_datafile import NEW_EMAIL, sample_document
from tests.factories import ProgramFactory

PROGRAMS = [
    {
        "key": "p1",
        "name": "Lakeshore Internal Medicine",
        "specialty": "Internal Medicine",
        "institution": {"name": "Lakeshore Medical Center"},
        "target": True,
    },
    {
        "key": "p2",
        "name": "Cascade Internal Medicine",
        "specialty": "Internal Medicine",
        "institution": {
            "name": "Cascade University Medical Center",
            "city": "Seattle",
            "state": "WA",
            "setting": "academic",
        },
        "target": True,
    },
]
TIES = [
    {"program": "p2", "kind": "trained_at", "note": "residency there"},
    {"institution": {"name": "Prairie State University Hospital", "city": "Chicago"},
     "kind": "knows_someone", "note": "the APD, Dr. Lee"},
]  # fmt: skip


def with_programs() -> dict:
    document = sample_document(email=NEW_EMAIL)
    document["programs"] = copy.deepcopy(PROGRAMS)
    document["contacts"][0]["ties"] = copy.deepcopy(TIES)
    return document


def refused(document) -> str:
    with pytest.raises(DataFileError) as caught:
        datafile.import_document(document, email=NEW_EMAIL)
    return str(caught.value)


def test_a_file_with_programs_and_ties_imports_them(db):
    result = datafile.import_document(with_programs(), email=NEW_EMAIL)

    student = result.student
    assert (result.programs, result.ties) == (2, 2)
    assert "2 programs, 2 ties" in result.summary()
    cascade = Program.objects.get(owner=student, name="Cascade Internal Medicine")
    assert cascade.target and cascade.institution.place == "Seattle, WA"
    # The program shares the contacts' institution: one row, not two.
    lakeshore = Program.objects.get(owner=student, name="Lakeshore Internal Medicine")
    assert lakeshore.institution == student.contacts.get(name="Dr. Maya Patel").institution
    trained, knows = Tie.objects.filter(owner=student).order_by("pk")
    assert (trained.contact.name, trained.program, trained.kind, trained.note) == (
        "Dr. Maya Patel", cascade, "trained_at", "residency there"
    )  # fmt: skip
    assert knows.program is None and knows.institution.name == "Prairie State University Hospital"
    assert knows.institution.city == "Chicago"


def test_an_older_file_without_programs_or_ties_still_imports(db):
    result = datafile.import_document(sample_document(email=NEW_EMAIL), email=NEW_EMAIL)
    assert result.programs == 0 and not Tie.objects.exists()


def test_the_export_always_carries_programs_and_ties_and_round_trips(db):
    student = datafile.import_document(with_programs(), email=NEW_EMAIL).student

    exported = datafile.export_document(student)

    assert [program["key"] for program in exported["programs"]] == ["p1", "p2"]
    assert exported["programs"][1]["institution"] == PROGRAMS[1]["institution"]
    assert exported["contacts"][0]["ties"][0] == TIES[0]
    assert exported["contacts"][0]["ties"][1]["institution"]["name"] == (
        "Prairie State University Hospital"
    )
    assert exported["contacts"][1]["ties"] == []
    again = datafile.export_document(
        datafile.import_document(exported, email="copy@example.edu").student
    )
    exported["student"]["email"] = "copy@example.edu"
    assert again == exported


def test_importing_a_program_the_student_already_keeps_reuses_it(db, student):
    kept = ProgramFactory(owner=student, name="cascade internal medicine", target=False)

    datafile.import_document(with_programs(), student=student)

    assert Program.objects.filter(owner=student).count() == 2
    kept.refresh_from_db()
    assert kept.target  # the file puts it on the list
    assert kept.ties.get().contact.name == "Dr. Maya Patel"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["programs"][0].update(colour="red"), "programs[0].colour: unknown field"),
        (lambda d: d["programs"][1].pop("target"), "programs[1].target: required"),
        (lambda d: d["programs"][1].update(key="p1"), 'programs[1].key: duplicate key "p1"'),
        (
            lambda d: d["programs"][1].update(name="LAKESHORE Internal Medicine"),
            'programs[1].name: a second program called "LAKESHORE Internal Medicine"',
        ),
        (lambda d: d.update(programs={}), "programs: expected a list"),
        (
            lambda d: d["contacts"][0]["ties"][0].update(strength=3),
            "contacts[0].ties[0].strength: unknown field",
        ),
        (
            lambda d: d["contacts"][0]["ties"][0].update(kind="alumni"),
            'contacts[0].ties[0].kind: unknown tie kind "alumni"',
        ),
        (
            lambda d: d["contacts"][0]["ties"][0].update(program="p9"),
            'contacts[0].ties[0].program: no program with key "p9"',
        ),
        (
            lambda d: d["contacts"][0]["ties"][0].update(institution={"name": "Elsewhere"}),
            'contacts[0].ties[0]: needs either "program" (a key) or "institution"',
        ),
        (
            lambda d: d["contacts"][0]["ties"][1].pop("institution"),
            'contacts[0].ties[1]: needs either "program" (a key) or "institution"',
        ),
        (
            lambda d: d["contacts"][0]["ties"].append(copy.deepcopy(TIES[0])),
            "contacts[0].ties[2]: the same tie twice",
        ),
        (
            lambda d: d["contacts"][1].update(
                ties=[{"program": "p1", "kind": "works_at", "note": "line\nbreak"}]
            ),
            "contacts[1].ties[0].note: must be one line (no line breaks)",
        ),  # fmt: skip
    ],
)
def test_a_bad_program_or_tie_is_refused_at_its_path_and_nothing_is_written(db, change, message):
    document = with_programs()
    change(document)

    assert refused(document).startswith(message)
    assert not Program.objects.exists() and not Tie.objects.exists()
    assert not Institution.objects.filter(name__startswith="Cascade").exists()
