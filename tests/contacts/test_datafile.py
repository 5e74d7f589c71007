"""The advocate/v1 data file: validate, import (all or nothing, adds), export, round trip."""

import copy
import datetime
import json

import pytest

from contacts import datafile
from contacts.models import Contact, Institution, Interaction, LetterRequest, Rotation, TeamMember
from crm.models import User
from tests.factories import (
    ContactFactory,
    InstitutionFactory,
    InteractionFactory,
    LetterRequestFactory,
    ProgramFactory,
    RotationFactory,
    TeamMemberFactory,
    TieFactory,
    UserFactory,
)

NEW_EMAIL = "newcomer@example.edu"


def sample_document(email: str = "ada@example.edu") -> dict:
    """A small, valid v1 file with only the fields the brief shows (no later additions)."""
    return copy.deepcopy(
        {
            "format": "advocate/v1",
            "student": {
                "email": email,
                "name": "Ada Student",
                "timezone": "America/Chicago",
                "match_year": 2028,
                "target_specialties": ["Internal Medicine"],
                "target_cities": ["Chicago, IL"],
                "match_outcome": None,
            },
            "contacts": [
                {
                    "key": "c1",
                    "name": "Dr. Maya Patel",
                    "email": "maya.patel@lakeshore.example",
                    "phone": "",
                    "role": "program_director",
                    "specialty": "Internal Medicine",
                    "institution": {
                        "name": "Lakeshore Medical Center",
                        "city": "Chicago",
                        "state": "IL",
                        "setting": "academic",
                    },
                    "how_met": "Sub-I attending",
                    "would_vouch": True,
                    "tags": ["letter writer"],
                    "notes": "",
                },
                {
                    "key": "c2",
                    "name": "Dr. José Núñez",
                    "email": "",
                    "phone": "312-555-0100",
                    "role": "senior_resident",
                    "specialty": "Internal Medicine",
                    "institution": {"name": "Lakeshore Medical Center"},
                    "how_met": "Senior on my team",
                    "would_vouch": False,
                    "tags": [],
                    "notes": "Likes short emails.",
                },
            ],
            "rotations": [
                {
                    "key": "r1",
                    "name": "Medicine sub-I",
                    "specialty": "Internal Medicine",
                    "kind": "sub_internship",
                    "institution": {"name": "Lakeshore Medical Center"},
                    "start": "2027-07-01",
                    "end": "2027-07-28",
                    "team": [
                        {"contact": "c1", "weeks_together": 4},
                        {"contact": "c2", "weeks_together": 2},
                    ],
                }
            ],
            "interactions": [
                {
                    "contact": "c1",
                    "date": "2027-07-10",
                    "kind": "meeting",
                    "direction": "outbound",
                    "context": "clinical",
                    "summary": "Talked about the sub-I and next steps",
                    "follow_up_by": None,
                },
                {
                    "contact": "c2",
                    "date": "2027-07-12",
                    "kind": "feedback",
                    "direction": "inbound",
                    "context": "teaching",
                    "summary": "Feedback on my presentations",
                    "follow_up_by": "2027-08-01",
                },
            ],
            "letters": [
                {
                    "writer": "c1",
                    "purpose": "residency",
                    "specialty": "Internal Medicine",
                    "programs": ["Lakeshore Medical Center"],
                    "due": "2027-09-15",
                    "status": "agreed",
                    "asked_on": "2027-07-20",
                    "agreed_on": "2027-07-22",
                    "materials": ["cv", "personal_statement"],
                    "submitted_on": None,
                    "thanked_on": None,
                }
            ],
        }
    )


def record_counts() -> dict[str, int]:
    models = [User, Institution, Contact, Rotation, TeamMember, Interaction, LetterRequest]
    return {model.__name__: model.objects.count() for model in models}


def without_student_email(document: dict) -> dict:
    document = copy.deepcopy(document)
    del document["student"]["email"]
    return document


# --- validate: the happy path --------------------------------------------------------------


def test_validate_accepts_a_file_with_only_the_fields_the_brief_shows():
    parsed = datafile.validate(sample_document())

    assert parsed.student_email == "ada@example.edu"
    assert [contact.key for contact in parsed.contacts] == ["c1", "c2"]
    assert parsed.rotations[0].team == [("c1", 4), ("c2", 2)]
    assert parsed.interactions[1].fields["follow_up_by"] == datetime.date(2027, 8, 1)
    assert parsed.letters[0].fields["due"] == datetime.date(2027, 9, 15)


def test_validate_accepts_the_fields_added_later():
    document = sample_document()
    document["contacts"][0]["archived"] = True
    document["letters"][0].update(
        declined_on=None, materials_sent_on="2027-07-25", notes="Asked in person."
    )

    parsed = datafile.validate(document)

    assert parsed.contacts[0].fields["archived"] is True
    assert parsed.letters[0].fields["materials_sent_on"] == datetime.date(2027, 7, 25)


def test_match_outcome_may_be_omitted():
    document = sample_document()
    del document["student"]["match_outcome"]

    assert datafile.validate(document).profile["match_outcome"] == ""


def test_a_contact_may_have_no_institution():
    document = sample_document()
    document["contacts"][1]["institution"] = None

    assert datafile.validate(document).contacts[1].institution is None


# --- validate: bad files name the path of the first problem, and nothing is written ---------


def _set(path: tuple, value):
    def mutate(document):
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple):
    def mutate(document):
        target = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


def _append(path: tuple, value):
    def mutate(document):
        target = document
        for step in path:
            target = target[step]
        target.append(copy.deepcopy(value))

    return mutate


BAD_FILES = [
    (_set(("format",), "advocate/v2"), 'format: expected "advocate/v1", found "advocate/v2"'),
    (_delete(("format",)), 'format: expected "advocate/v1", found nothing'),
    (_delete(("letters",)), "letters: required"),
    (_set(("contacts",), {"c1": {}}), "contacts: expected a list"),
    (_set(("student",), "ada@example.edu"), "student: expected an object"),
    (
        _set(("student", "email"), "not-an-email"),
        'student.email: not an email address "not-an-email"',
    ),
    (
        _set(("student", "timezone"), "Mars/Olympus"),
        'student.timezone: unknown time zone "Mars/Olympus"',
    ),
    (_set(("student", "match_year"), "2028"), "student.match_year: expected a whole number"),
    (_set(("student", "match_year"), True), "student.match_year: expected a whole number"),
    (_set(("student", "match_year"), 1999), "student.match_year: must be between 2000 and 2100"),
    (
        _set(("student", "match_outcome"), "won"),
        'student.match_outcome: unknown match outcome "won"',
    ),
    (_set(("student", "target_cities"), "Chicago, IL"), "student.target_cities: expected a list"),
    (_set(("contacts", 1, "role"), "pd"), 'contacts[1].role: unknown role "pd"'),
    (_delete(("contacts", 0, "name")), "contacts[0].name: required"),
    (_set(("contacts", 0, "name"), "   "), "contacts[0].name: must not be blank"),
    (_set(("contacts", 0, "name"), "x" * 201), "contacts[0].name: longer than 200 characters"),
    (_set(("contacts", 0, "name"), None), "contacts[0].name: expected a string"),
    (_set(("contacts", 0, "email"), "maya@"), 'contacts[0].email: not an email address "maya@"'),
    (
        _set(("contacts", 0, "would_vouch"), "yes"),
        "contacts[0].would_vouch: expected true or false",
    ),
    (_set(("contacts", 0, "tags"), ["ok", 3]), "contacts[0].tags[1]: expected a string"),
    (_set(("contacts", 0, "tags"), "letter writer"), "contacts[0].tags: expected a list"),
    (_set(("contacts", 1, "key"), "c1"), 'contacts[1].key: duplicate key "c1"'),
    (
        _set(("contacts", 0, "institution", "setting"), "rural"),
        'contacts[0].institution.setting: unknown setting "rural"',
    ),
    (_delete(("contacts", 0, "institution", "name")), "contacts[0].institution.name: required"),
    (_set(("contacts", 0, "archived"), "no"), "contacts[0].archived: expected true or false"),
    (
        _set(("rotations", 0, "kind"), "vacation"),
        'rotations[0].kind: unknown rotation kind "vacation"',
    ),
    (_set(("rotations", 0, "end"), "2027-06-30"), "rotations[0].end: must be on or after start"),
    (_set(("rotations", 0, "start"), "2027-02-30"), 'rotations[0].start: not a date "2027-02-30"'),
    (_set(("rotations", 0, "start"), None), "rotations[0].start: not a date null"),
    (
        _set(("rotations", 0, "team", 0, "contact"), "c99"),
        'rotations[0].team[0].contact: no contact with key "c99"',
    ),
    (
        _set(("rotations", 0, "team", 1, "contact"), "c1"),
        'rotations[0].team[1].contact: "c1" is already on this team',
    ),
    (
        _set(("rotations", 0, "team", 0, "weeks_together"), 60),
        "rotations[0].team[0].weeks_together: must be between 0 and 52",
    ),
    (
        _set(("rotations", 0, "team", 0, "weeks_together"), 2.5),
        "rotations[0].team[0].weeks_together: expected a whole number",
    ),
    (
        _append(("rotations",), {**sample_document()["rotations"][0], "team": []}),
        'rotations[1].key: duplicate key "r1"',
    ),
    (
        _set(("interactions", 1, "contact"), "c99"),
        'interactions[1].contact: no contact with key "c99"',
    ),
    (
        _set(("interactions", 0, "date"), "07/10/2027"),
        'interactions[0].date: not a date "07/10/2027"',
    ),
    (
        _set(("interactions", 0, "kind"), "lunch"),
        'interactions[0].kind: unknown interaction kind "lunch"',
    ),
    (
        _set(("interactions", 0, "direction"), "sideways"),
        'interactions[0].direction: unknown direction "sideways"',
    ),
    (
        _set(("interactions", 0, "context"), "hobby"),
        'interactions[0].context: unknown context "hobby"',
    ),
    (
        _set(("interactions", 0, "summary"), "x" * 301),
        "interactions[0].summary: longer than 300 characters",
    ),
    (
        _set(("interactions", 0, "follow_up_by"), "soon"),
        'interactions[0].follow_up_by: not a date "soon"',
    ),
    (_delete(("interactions", 0, "follow_up_by")), "interactions[0].follow_up_by: required"),
    (_set(("letters", 0, "due"), "2027-13-01"), 'letters[0].due: not a date "2027-13-01"'),
    (_set(("letters", 0, "writer"), "c3"), 'letters[0].writer: no contact with key "c3"'),
    (
        _set(("letters", 0, "status"), "pending"),
        'letters[0].status: unknown letter status "pending"',
    ),
    (_set(("letters", 0, "purpose"), "job"), 'letters[0].purpose: unknown letter purpose "job"'),
    (
        _set(("letters", 0, "materials"), ["transcript"]),
        'letters[0].materials[0]: unknown material "transcript"',
    ),
    (_delete(("letters", 0, "submitted_on")), "letters[0].submitted_on: required"),
    (
        _set(("letters", 0, "declined_on"), "yesterday"),
        'letters[0].declined_on: not a date "yesterday"',
    ),
    (_set(("letters", 0, "programs"), [""]), "letters[0].programs[0]: must not be blank"),
]


@pytest.mark.parametrize(
    ("mutate", "message"), BAD_FILES, ids=[message for _, message in BAD_FILES]
)
def test_a_bad_file_names_the_path_and_writes_nothing(db, mutate, message):
    document = sample_document()
    mutate(document)
    before = record_counts()

    with pytest.raises(datafile.DataFileError) as raised:
        datafile.import_document(document, email=NEW_EMAIL)

    assert str(raised.value) == message
    assert record_counts() == before
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_a_bad_file_writes_nothing_into_an_existing_student(student):
    ContactFactory(owner=student, name="Already here")
    document = sample_document()
    document["letters"][0]["status"] = "pending"
    before = record_counts()

    with pytest.raises(datafile.DataFileError):
        datafile.import_document(document, student=student)

    assert record_counts() == before
    student.refresh_from_db()
    assert student.name == "Ada Student" and student.match_year == 2028


def test_a_document_that_is_not_an_object_is_refused():
    with pytest.raises(datafile.DataFileError, match=r"^document: expected a JSON object$"):
        datafile.validate([])


def test_the_first_problem_in_file_order_is_reported():
    document = sample_document()
    document["letters"][0]["status"] = "pending"
    document["contacts"][1]["role"] = "pd"

    with pytest.raises(datafile.DataFileError, match=r'^contacts\[1\]\.role: unknown role "pd"$'):
        datafile.validate(document)


@pytest.mark.parametrize(
    ("location", "path"),
    [
        ((), "nickname"),
        (("student",), "student.nickname"),
        (("contacts", 0), "contacts[0].nickname"),
        (("contacts", 0, "institution"), "contacts[0].institution.nickname"),
        (("rotations", 0), "rotations[0].nickname"),
        (("rotations", 0, "institution"), "rotations[0].institution.nickname"),
        (("rotations", 0, "team", 1), "rotations[0].team[1].nickname"),
        (("interactions", 1), "interactions[1].nickname"),
        (("letters", 0), "letters[0].nickname"),
    ],
)
def test_unknown_fields_are_rejected_at_every_level(db, location, path):
    document = sample_document()
    target = document
    for step in location:
        target = target[step]
    target["nickname"] = "Doc"
    before = record_counts()

    with pytest.raises(datafile.DataFileError) as raised:
        datafile.import_document(document, email=NEW_EMAIL)

    assert str(raised.value) == f"{path}: unknown field"
    assert record_counts() == before


def test_an_unknown_field_is_reported_before_a_missing_one():
    document = sample_document()
    document["contacts"][0]["nmae"] = document["contacts"][0].pop("name")

    with pytest.raises(datafile.DataFileError, match=r"^contacts\[0\]\.nmae: unknown field$"):
        datafile.validate(document)


# --- import --------------------------------------------------------------------------------


def test_import_creates_an_absent_student_with_no_usable_password(db):
    result = datafile.import_document(sample_document(email="Ada.New@Example.edu"))

    student = result.student
    assert result.created
    assert student.email == "ada.new@example.edu"
    assert student.is_student
    assert not student.has_usable_password()
    assert student.name == "Ada Student"
    assert student.timezone == "America/Chicago"
    assert student.target_cities == ["Chicago, IL"]
    assert (result.contacts, result.rotations, result.interactions, result.letters) == (2, 1, 2, 1)
    assert result.summary() == (
        "Imported 2 contacts, 1 rotation, 2 interactions, 1 letter for ada.new@example.edu"
    )


def test_import_writes_every_record_linked_by_key(db):
    student = datafile.import_document(sample_document(), email=NEW_EMAIL).student

    patel = Contact.objects.get(owner=student, name="Dr. Maya Patel")
    nunez = Contact.objects.get(owner=student, name="Dr. José Núñez")
    assert (
        patel.role == "program_director" and patel.would_vouch and patel.tags == ["letter writer"]
    )
    # One institution, found by name, whichever record named it first.
    institution = Institution.objects.get(owner=student)
    assert (institution.city, institution.setting) == ("Chicago", "academic")
    assert patel.institution == nunez.institution == institution
    rotation = Rotation.objects.get(owner=student)
    assert rotation.institution == institution
    assert {(m.contact, m.weeks_together) for m in rotation.members.all()} == {
        (patel, 4),
        (nunez, 2),
    }
    follow_up = Interaction.objects.get(owner=student, contact=nunez)
    assert follow_up.follow_up_by == datetime.date(2027, 8, 1)
    letter = LetterRequest.objects.get(owner=student)
    assert letter.writer == patel
    assert letter.agreed_on == datetime.date(2027, 7, 22)
    assert letter.materials == ["cv", "personal_statement"]
    assert letter.notes == "" and letter.declined_on is None


def test_importing_into_a_student_with_records_adds_to_them(student):
    kept = ContactFactory(owner=student, name="Dr. Already Here")
    existing = InstitutionFactory(owner=student, name="Lakeshore Medical Center", city="")

    result = datafile.import_document(sample_document(), student=student)

    assert not result.created
    assert Contact.objects.filter(pk=kept.pk).exists()
    assert Contact.objects.filter(owner=student).count() == 3
    # The existing institution is reused (matched by name) and its blanks filled.
    existing.refresh_from_db()
    assert Contact.objects.get(owner=student, name="Dr. Maya Patel").institution == existing
    assert existing.city == "Chicago"


def test_importing_the_same_file_twice_adds_its_records_twice(student):
    datafile.import_document(sample_document(), student=student)
    datafile.import_document(sample_document(), student=student)

    assert Contact.objects.filter(owner=student).count() == 4
    assert Interaction.objects.filter(owner=student).count() == 4
    assert Institution.objects.filter(owner=student).count() == 1


def test_import_updates_the_students_profile_from_the_file(student):
    document = sample_document()
    document["student"].update(
        name="Ada L.", match_year=2027, target_cities=["Seattle, WA"], match_outcome="matched"
    )

    datafile.import_document(document, student=student)

    student.refresh_from_db()
    assert (student.name, student.match_year) == ("Ada L.", 2027)
    assert student.target_cities == ["Seattle, WA"]
    assert student.match_outcome == "matched"


def test_import_into_a_given_student_ignores_the_files_email(student, other_student):
    datafile.import_document(sample_document(email=other_student.email), student=student)

    assert Contact.objects.filter(owner=student).count() == 2
    assert not Contact.objects.filter(owner=other_student).exists()


def test_an_email_argument_wins_over_the_files_email(db):
    datafile.import_document(sample_document(email="file@example.edu"), email=NEW_EMAIL)

    assert User.objects.filter(email=NEW_EMAIL).exists()
    assert not User.objects.filter(email="file@example.edu").exists()


def test_an_archived_contact_stays_archived_though_it_has_interactions(db):
    document = sample_document()
    document["contacts"][0]["archived"] = True

    student = datafile.import_document(document, email=NEW_EMAIL).student

    assert Contact.objects.get(owner=student, name="Dr. Maya Patel").archived
    assert not Contact.objects.get(owner=student, name="Dr. José Núñez").archived


def test_import_refuses_an_advisor_account(advisor):
    before = record_counts()

    with pytest.raises(datafile.DataFileError, match="not a student account"):
        datafile.import_document(sample_document(), email=advisor.email)

    assert record_counts() == before


# --- export --------------------------------------------------------------------------------


def _fill(student, *, contacts: int) -> None:
    """`contacts` people, each on one rotation's team, with an interaction and a letter."""
    rotation = RotationFactory(owner=student)
    for _ in range(contacts):
        contact = ContactFactory(owner=student)
        TeamMemberFactory(rotation=rotation, contact=contact)
        InteractionFactory(owner=student, contact=contact)
        LetterRequestFactory(owner=student, writer=contact)


@pytest.mark.parametrize("contacts", [3, 30])
def test_export_runs_in_a_fixed_number_of_queries(student, django_assert_num_queries, contacts):
    _fill(student, contacts=contacts)
    program = ProgramFactory(owner=student)
    for contact in student.contacts.all():
        TieFactory(owner=student, contact=contact, program=program)

    # contacts + institutions, rotations + institutions, team members, interactions, letters,
    # programs + institutions, ties + institutions, match stories, their callers, red flags
    with django_assert_num_queries(10):
        document = datafile.export_document(student)

    assert len(document["contacts"]) == contacts


def test_export_writes_every_field_with_generated_keys_and_iso_dates(student):
    contact = ContactFactory(owner=student, name="Dr. Maya Patel", institution=None)
    rotation = RotationFactory(owner=student, institution=None)
    TeamMemberFactory(rotation=rotation, contact=contact, weeks_together=3)
    InteractionFactory(owner=student, contact=contact, follow_up_by=datetime.date(2027, 8, 1))
    LetterRequestFactory(owner=student, writer=contact)

    document = datafile.export_document(student)

    assert list(document) == ["format", "student", *datafile.SECTIONS[2:]]
    assert document["format"] == "advocate/v1"
    assert set(document["student"]) == set(datafile.STUDENT_FIELDS)
    assert document["student"]["match_outcome"] is None
    exported = document["contacts"][0]
    assert set(exported) == set(datafile.CONTACT_FIELDS)
    assert (exported["key"], exported["institution"]) == ("c1", None)
    assert document["rotations"][0]["key"] == "r1"
    assert document["rotations"][0]["team"] == [{"contact": "c1", "weeks_together": 3}]
    assert document["rotations"][0]["start"] == "2027-07-01"
    assert set(document["interactions"][0]) == set(datafile.INTERACTION_FIELDS)
    assert document["interactions"][0]["follow_up_by"] == "2027-08-01"
    assert set(document["letters"][0]) == set(datafile.LETTER_FIELDS)
    assert document["letters"][0]["due"] == "2027-09-15"
    assert document["letters"][0]["declined_on"] is None
    # What export writes, import reads.
    datafile.validate(document)


def test_export_holds_only_the_students_own_records(student, other_student):
    ContactFactory(owner=student, name="Mine")
    ContactFactory(owner=other_student, name="Not mine")

    document = datafile.export_document(student)

    assert [contact["name"] for contact in document["contacts"]] == ["Mine"]


# --- the round trip ------------------------------------------------------------------------


def _rich_records(student) -> None:
    """A bit of everything, including the fields added after v1 was first written down."""
    lakeshore = InstitutionFactory(owner=student, name="Lakeshore Medical Center")
    community = InstitutionFactory(
        owner=student, name="St. Brendan Community Hospital", city="Milwaukee", state="WI",
        setting="community",
    )  # fmt: skip
    research_only = InstitutionFactory(owner=student, name="Lakeshore Research Institute")
    patel = ContactFactory(
        owner=student, name="Dr. Maya Patel", role="program_director", institution=lakeshore,
        would_vouch=True, tags=["letter writer", "home"], notes="Prefers email.",
    )  # fmt: skip
    nunez = ContactFactory(
        owner=student, name="Dr. José Núñez", role="senior_resident", institution=community,
        phone="414-555-0100", email="",
    )  # fmt: skip
    quiet = ContactFactory(owner=student, name="Sam Quiet", role="peer", institution=None)
    sub_i = RotationFactory(owner=student, institution=lakeshore)
    away = RotationFactory(
        owner=student, name="Away rotation", kind="away", institution=community,
        start=datetime.date(2027, 8, 2), end=datetime.date(2027, 8, 29),
    )  # fmt: skip
    RotationFactory(
        owner=student, name="Research block", kind="research", institution=research_only,
        start=datetime.date(2027, 2, 1), end=datetime.date(2027, 3, 1),
    )  # fmt: skip
    TeamMemberFactory(rotation=sub_i, contact=patel, weeks_together=4)
    TeamMemberFactory(rotation=sub_i, contact=nunez, weeks_together=0)
    TeamMemberFactory(rotation=away, contact=nunez, weeks_together=4)
    InteractionFactory(owner=student, contact=patel, date=datetime.date(2027, 7, 10))
    InteractionFactory(
        owner=student, contact=nunez, date=datetime.date(2027, 7, 10), kind="feedback",
        direction="inbound", context="", summary="", follow_up_by=datetime.date(2027, 7, 24),
    )  # fmt: skip
    InteractionFactory(owner=student, contact=quiet, date=datetime.date(2026, 1, 5), kind="email")
    LetterRequestFactory(
        owner=student, writer=patel, status="thanked", programs=["Lakeshore", "St. Brendan"],
        asked_on=datetime.date(2027, 7, 20), agreed_on=datetime.date(2027, 7, 22),
        materials_sent_on=datetime.date(2027, 7, 23), submitted_on=datetime.date(2027, 9, 1),
        thanked_on=datetime.date(2027, 9, 2), materials=["cv", "waiver"], notes="Strong letter.",
    )  # fmt: skip
    LetterRequestFactory(
        owner=student, writer=nunez, purpose="away_rotation", status="declined", due=None,
        asked_on=datetime.date(2027, 6, 1), declined_on=datetime.date(2027, 6, 3),
    )  # fmt: skip
    quiet.archived = True
    quiet.save()
    student.match_outcome = "partial"
    student.save()


def test_export_then_import_into_a_new_student_then_export_gives_the_same_file(student):
    _rich_records(student)
    first = datafile.export_document(student)

    result = datafile.import_document(first, email=NEW_EMAIL)
    second = datafile.export_document(result.student)

    assert result.created
    assert second["student"]["email"] == NEW_EMAIL
    assert without_student_email(second) == without_student_email(first)
    # And the records really are there, not just the same empty shape.
    assert len(second["contacts"]) == 3
    assert len(second["rotations"]) == 3
    assert len(second["interactions"]) == 3
    assert len(second["letters"]) == 2
    assert second["contacts"][2]["archived"] is True


def test_the_round_trip_survives_json_text(student):
    _rich_records(student)
    text = datafile.dumps(datafile.export_document(student))

    assert "José Núñez" in text  # UTF-8 kept as it is, not \u escapes

    result = datafile.import_document(json.loads(text), email=NEW_EMAIL)
    assert datafile.dumps(
        without_student_email(datafile.export_document(result.student))
    ) == datafile.dumps(without_student_email(json.loads(text)))


def test_the_sample_file_round_trips_to_itself_with_later_fields_added(db):
    student = datafile.import_document(sample_document(), email=NEW_EMAIL).student

    exported = datafile.export_document(student)

    expected = sample_document(email=NEW_EMAIL)
    expected["student"]["cycle_dates"] = {}
    expected["student"]["red_flags"] = []
    expected["student"]["school"] = None  # issue 18: optional on import, always exported
    expected["programs"] = []
    expected["match_stories"] = []
    for contact in expected["contacts"]:
        contact["archived"] = False
        contact["ties"] = []
        if contact["institution"] is not None:
            contact["institution"] = {
                "name": "Lakeshore Medical Center",
                "city": "Chicago",
                "state": "IL",
                "setting": "academic",
            }
    expected["rotations"][0]["institution"] = expected["contacts"][0]["institution"]
    expected["letters"][0].update(declined_on=None, materials_sent_on=None, notes="")
    assert exported == expected


def test_a_student_with_no_records_exports_empty_sections(db):
    student = UserFactory(email="plain@example.edu", target_specialties=[], target_cities=[])

    document = datafile.export_document(student)

    assert document["contacts"] == document["rotations"] == document["match_stories"] == []
    assert document["student"]["target_cities"] == []


def test_the_students_own_calendar_dates_round_trip_and_are_checked(db):
    document = sample_document("calendar@example.edu")
    document["student"]["cycle_dates"] = {"rank_deadline": "2027-03-04"}
    result = datafile.import_document(document)
    exported = datafile.export_document(result.student)
    assert exported["student"]["cycle_dates"] == {"rank_deadline": "2027-03-04"}
    document["student"]["cycle_dates"] = {"rank_day": "2027-03-04"}
    with pytest.raises(datafile.DataFileError, match=r"student\.cycle_dates\.rank_day: unknown"):
        datafile.validate(document)
    document["student"]["cycle_dates"] = {"match_day": "2027-13-01"}
    with pytest.raises(datafile.DataFileError, match=r"cycle_dates\.match_day: not a date"):
        datafile.validate(document)
