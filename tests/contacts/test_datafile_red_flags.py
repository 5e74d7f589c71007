"""`student.red_flags` in advocate/v1 (issue 19): optional on import, always exported, round
trip, errors at their path."""

import copy

import pytest

from contacts import datafile
from contacts.datafile_reader import DataFileError
from contacts.models import RedFlag
from tests.contacts.test_datafile import NEW_EMAIL, sample_document

FLAGS = [
    {"kind": "exam", "note": "Failed Step 1 first attempt; passed; Step 2 CK 246", "shared": True},
    {"kind": "leave", "note": "Six months' family leave in MS2", "shared": False},
]


def _with_flags(flags):
    document = sample_document(email=NEW_EMAIL)
    document["student"]["red_flags"] = copy.deepcopy(flags)
    return document


def test_red_flags_import_as_records_of_the_student(db):
    student = datafile.import_document(_with_flags(FLAGS)).student

    stored = list(RedFlag.objects.filter(owner=student).values("kind", "note", "shared"))
    assert stored == FLAGS


def test_an_older_file_without_red_flags_imports_and_exports_an_empty_list(db):
    student = datafile.import_document(sample_document(email=NEW_EMAIL)).student

    assert not RedFlag.objects.filter(owner=student).exists()
    assert datafile.export_document(student)["student"]["red_flags"] == []


def test_red_flags_round_trip(db):
    student = datafile.import_document(_with_flags(FLAGS)).student
    exported = datafile.export_document(student)
    assert exported["student"]["red_flags"] == FLAGS

    again = datafile.import_document(exported, email="again@example.edu").student
    assert datafile.export_document(again)["student"]["red_flags"] == FLAGS


def test_importing_the_same_file_twice_keeps_each_red_flag_once(db):
    student = datafile.import_document(_with_flags(FLAGS)).student
    datafile.import_document(_with_flags(FLAGS), student=student)

    assert RedFlag.objects.filter(owner=student).count() == 2


@pytest.mark.parametrize(
    ("flags", "path", "problem"),
    [
        ("exam", "student.red_flags", "expected a list"),
        ([{"kind": "step1", "note": "x", "shared": True}], "student.red_flags[0].kind", "step1"),
        ([{"kind": "exam", "note": "", "shared": True}], "student.red_flags[0].note", ""),
        ([{"kind": "exam", "note": "a\nb", "shared": True}], "student.red_flags[0].note", ""),
        ([{"kind": "exam", "note": "x", "shared": "yes"}], "student.red_flags[0].shared", ""),
        ([{"kind": "exam", "note": "x"}], "student.red_flags[0].shared", "required"),
        (
            [{"kind": "exam", "note": "x", "shared": True, "seen_by": "PD"}],
            "student.red_flags[0].seen_by",
            "unknown field",
        ),
        (
            [{"kind": "exam", "note": "x", "shared": True}] * 2,
            "student.red_flags[1]",
            "the same red flag twice",
        ),
    ],
)
def test_a_bad_red_flag_is_an_error_at_its_path_and_nothing_is_written(db, flags, path, problem):
    with pytest.raises(DataFileError) as error:
        datafile.import_document(_with_flags(flags))

    assert error.value.path == path
    assert problem in error.value.problem
    assert not RedFlag.objects.exists()
