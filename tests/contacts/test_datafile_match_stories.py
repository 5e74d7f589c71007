"""Match stories in the advocate/v1 data file: an optional section, always exported, checked
with a path like every other field, all or nothing, and matched by year on import."""

import copy
import datetime

import pytest

from contacts import datafile
from contacts.datafile_reader import DataFileError
from contacts.models import Contact, MatchStory, Program
from contacts.services import match_story_save
from tests.contacts.test_datafile import NEW_EMAIL, sample_document
from tests.contacts.test_datafile_programs import PROGRAMS
from tests.factories import (
    ContactFactory,
    ProgramFactory,
    RotationFactory,
    TeamMemberFactory,
    UserFactory,
)

MORE_CONTACTS = [
    {"key": key, "name": name, "email": "", "phone": "", "role": "faculty",
     "specialty": "Internal Medicine", "institution": None, "how_met": "", "would_vouch": True,
     "tags": [], "notes": ""}
    for key, name in (("c3", "Dr. Ruth Okafor"), ("c4", "Dr. Sam Lee"))
]  # fmt: skip
STORIES = [
    {
        "year": 2027,
        "specialties": ["Internal Medicine"],
        "pitch": "A steady sub-I with ICU nights behind me.",
        "scores": "Step 1 pass, Step 2 CK 238, first attempts.",
        "red_flag": "",
        "callers": ["c1", "c3"],
        "note": "",
        "matched_program": "p1",
        "saved_on": "2027-03-13",
    },
    {
        "year": 2028,
        "specialties": ["Internal Medicine", "Family Medicine"],
        "pitch": "",
        "scores": "",
        "red_flag": "A leave of absence in M2, for family; back at full speed since.",
        "callers": [],
        "note": "Dear Dr. Patel,\n\nThank you for calling on my behalf.",
        "matched_program": None,
        "saved_on": None,
    },
]


def with_stories() -> dict:
    document = sample_document(email=NEW_EMAIL)
    document["programs"] = copy.deepcopy(PROGRAMS)
    document["contacts"] += copy.deepcopy(MORE_CONTACTS)
    document["match_stories"] = copy.deepcopy(STORIES)
    return document


def refused(document) -> str:
    with pytest.raises(DataFileError) as caught:
        datafile.import_document(document, email=NEW_EMAIL)
    return str(caught.value)


def test_a_file_with_match_stories_imports_them(db):
    result = datafile.import_document(with_stories(), email=NEW_EMAIL)

    assert result.match_stories == 2
    assert result.summary().endswith(f"2 programs, 2 Match stories for {NEW_EMAIL}")
    story = MatchStory.objects.get(owner=result.student, year=2027)
    assert story.specialties == ["Internal Medicine"]
    assert story.scores == "Step 1 pass, Step 2 CK 238, first attempts."
    assert sorted(story.callers.values_list("name", flat=True)) == [
        "Dr. Maya Patel", "Dr. Ruth Okafor"
    ]  # fmt: skip
    assert story.matched_program.name == "Lakeshore Internal Medicine"
    assert story.saved_on == datetime.date(2027, 3, 13)
    later = MatchStory.objects.get(owner=result.student, year=2028)
    assert later.note.startswith("Dear Dr. Patel,\n\n")  # the note may span lines
    assert (later.matched_program, later.saved_on, later.callers.count()) == (None, None, 0)


def test_an_older_file_without_match_stories_still_imports(db):
    result = datafile.import_document(sample_document(email=NEW_EMAIL), email=NEW_EMAIL)

    assert result.match_stories == 0 and "Match stor" not in result.summary()
    assert not MatchStory.objects.exists()


def test_a_student_without_stories_exports_an_empty_list_after_letters(db):
    student = UserFactory(email="plain@example.edu")

    document = datafile.export_document(student)

    assert document["match_stories"] == []
    assert list(document)[-2:] == ["letters", "match_stories"]


def test_export_import_export_gives_the_same_file(db, student):
    maya, ruth, _ = ContactFactory.create_batch(3, owner=student)
    program = ProgramFactory(owner=student)
    match_story_save(
        owner=student, year=2027, on=datetime.date(2027, 3, 13), callers=[ruth, maya],
        specialties=["Internal Medicine", "Pediatrics"], pitch="A steady sub-I.",
        scores="Step 2 CK 238", matched_program=program,
    )  # fmt: skip
    match_story_save(owner=student, year=2026, on=datetime.date(2026, 3, 14), note="Two\nlines")

    exported = datafile.export_document(student)
    again = datafile.export_document(
        datafile.import_document(exported, email="copy@example.edu").student
    )

    assert [story["year"] for story in exported["match_stories"]] == [2026, 2027]
    assert exported["match_stories"][1]["callers"] == ["c1", "c2"]  # in the contacts' order
    assert exported["match_stories"][1]["matched_program"] == "p1"
    assert exported["match_stories"][0] == {
        "year": 2026, "specialties": [], "pitch": "", "scores": "", "red_flag": "",
        "callers": [], "note": "Two\nlines", "matched_program": None, "saved_on": "2026-03-14",
    }  # fmt: skip
    exported["student"]["email"] = "copy@example.edu"
    assert again == exported


def test_a_story_already_kept_for_that_year_is_completed_never_overwritten(db, student):
    mine = ContactFactory(owner=student, name="Dr. Kept Caller")
    match_story_save(
        owner=student, year=2027, on=datetime.date(2027, 3, 12), callers=[mine],
        pitch="My own pitch.", red_flag="",
    )  # fmt: skip

    result = datafile.import_document(with_stories(), student=student)

    assert result.match_stories == 2
    story = MatchStory.objects.get(owner=student, year=2027)
    assert story.pitch == "My own pitch."  # kept
    assert story.saved_on == datetime.date(2027, 3, 12)  # kept
    assert story.scores == STORIES[0]["scores"]  # a blank, filled from the file
    assert story.specialties == ["Internal Medicine"]
    assert story.matched_program.name == "Lakeshore Internal Medicine"
    assert list(story.callers.values_list("name", flat=True)) == ["Dr. Kept Caller"]
    assert MatchStory.objects.filter(owner=student).count() == 2


def test_story_text_is_stripped_as_the_match_week_form_keeps_it(db):
    document = with_stories()
    document["match_stories"][0].update(pitch="  A steady sub-I. ", specialties=[" Pediatrics "])

    student = datafile.import_document(document, email=NEW_EMAIL).student

    story = MatchStory.objects.get(owner=student, year=2027)
    assert (story.pitch, story.specialties) == ("A steady sub-I.", ["Pediatrics"])


def _story(index: int, **changes):
    return lambda d: d["match_stories"][index].update(changes)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(match_stories={}), "match_stories: expected a list"),
        (_story(0, mood="calm"), "match_stories[0].mood: unknown field"),
        (lambda d: d["match_stories"][0].pop("pitch"), "match_stories[0].pitch: required"),
        (_story(0, year="2027"), "match_stories[0].year: expected a whole number"),
        (_story(0, year=1999), "match_stories[0].year: must be between 2000 and 2100"),
        (_story(1, year=2027), "match_stories[1].year: a second story for 2027"),
        (_story(0, specialties="IM"), "match_stories[0].specialties: expected a list"),
        (
            _story(0, specialties=["Internal Medicine", "Pediatrics", "Family Medicine", "EM"]),
            "match_stories[0].specialties: at most 3",
        ),
        (_story(0, specialties=["IM", " "]), "match_stories[0].specialties[1]: must not be blank"),
        (
            _story(0, specialties=["x" * 101]),
            "match_stories[0].specialties[0]: longer than 100 characters",
        ),
        (
            _story(0, specialties=["Internal\nMedicine"]),
            "match_stories[0].specialties[0]: must be one line",
        ),
        (_story(0, pitch="a\nb"), "match_stories[0].pitch: must be one line (no line breaks)"),
        (_story(0, pitch="x" * 241), "match_stories[0].pitch: longer than 240 characters"),
        (_story(0, scores="x" * 161), "match_stories[0].scores: longer than 160 characters"),
        (_story(0, scores="238\r\npass"), "match_stories[0].scores: must be one line"),
        (_story(1, red_flag="x" * 241), "match_stories[1].red_flag: longer than 240 characters"),
        (_story(1, red_flag="a\nb"), "match_stories[1].red_flag: must be one line"),
        (_story(1, note="x" * 2001), "match_stories[1].note: longer than 2000 characters"),
        (_story(0, callers=["c1", "c9"]), 'match_stories[0].callers[1]: no contact with key "c9"'),
        (
            _story(0, callers=["c1", "c2", "c3", "c4"]),
            "match_stories[0].callers: at most 3 callers",
        ),
        (_story(0, callers=["c3", "c3"]), 'match_stories[0].callers[1]: "c3" is already a caller'),
        (_story(0, callers="c1"), "match_stories[0].callers: expected a list"),
        (
            _story(0, matched_program="p9"),
            'match_stories[0].matched_program: no program with key "p9"',
        ),
        (_story(0, matched_program=""), "match_stories[0].matched_program: must not be blank"),
        (_story(0, saved_on="13/03/2027"), 'match_stories[0].saved_on: not a date "13/03/2027"'),
    ],
)
def test_a_bad_story_is_refused_at_its_path_and_nothing_is_written(db, change, message):
    document = with_stories()
    change(document)

    assert refused(document).startswith(message)
    assert not MatchStory.objects.exists()
    assert not Contact.objects.exists() and not Program.objects.exists()


def test_export_with_stories_runs_in_a_fixed_number_of_queries(
    db, student, django_assert_num_queries
):
    contacts = ContactFactory.create_batch(3, owner=student)
    TeamMemberFactory(rotation=RotationFactory(owner=student), contact=contacts[0])
    for year in (2026, 2027, 2028):
        match_story_save(owner=student, year=year, on=datetime.date(2026, 3, 1), callers=contacts)

    # contacts, rotations, team members, interactions, letters, programs, ties,
    # match stories, their callers
    with django_assert_num_queries(10):  # and the red flags (issue 19)
        document = datafile.export_document(student)

    assert [story["callers"] for story in document["match_stories"]] == [["c1", "c2", "c3"]] * 3
