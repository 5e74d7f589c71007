"""The `advocate/v1` data file: one JSON document holding everything a student keeps.

    read(text)                -> the JSON document, or DataFileError (datafile_reader)
    validate(document)        -> ParsedDocument, or DataFileError naming the first bad path
    import_document(document) -> ImportResult; validates first, then writes in one transaction
    export_document(student)  -> dict in exactly the format, in a fixed number of queries

The format is a contract (PRODUCT.md, "Interfaces that stay stable"). Every field shown in the
brief is required, except `student.match_outcome` (omitted means null); fields added later
(`student.cycle_dates`, `contacts[].archived`, `letters[].declined_on`, `materials_sent_on`,
`notes`, the top-level `programs` and `match_stories`, `contacts[].ties` and
`student.red_flags`) are optional on import and always exported. Unknown fields are errors,
never silently dropped.

`match_stories` holds the student's Match Week story per Match year (MatchStory), at most one a
year: `year`, `specialties` (at most 3), the one-line `pitch`, `scores` and `red_flag`, `callers`
(at most 3 contact keys from the same file), `note`, `matched_program` (a program key from the
same file, or null) and `saved_on` (a date, or null). Every field of a story is required.

Importing ADDS the file's records to whatever the student already has: nothing is deleted or
merged, so importing one file twice duplicates its contacts. Three kinds are matched instead,
and only ever completed: institutions and programs by name in any case (a program already kept
is reused, the file's details fill its blanks and `target: true` marks it), and Match stories by
year (a story already kept for that year keeps what it has: each blank field, text, specialties,
matched program or saved_on, takes the file's value, and the file's callers are used only if it
had none). The student's profile fields are set from the file.

Errors are reported as `path: problem`, e.g. `contacts[3].role: unknown role "pd"`. Within an
object, unknown fields are reported before missing or invalid ones, and the sections are checked
in file order: format, student, programs, contacts (with their ties), rotations, interactions,
letters, match_stories (the order export writes them in).
"""

from __future__ import annotations

import datetime
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import timezone

from crm.collector import cyclic_gc_paused
from crm.events import records_changed, records_changed_in_bulk
from crm.match import EDITABLE_DATES, EDITABLE_SOAP_TIMES
from crm.models import User
from crm.phrases import plural
from crm.validators import validate_one_line

from . import fields as field_table
from .bulk_insert import BATCH_SIZE, insert_rows
from .datafile_reader import DataFileError, read_json
from .fields import RecordField
from .models import (
    Contact,
    Institution,
    Interaction,
    LetterRequest,
    MatchStory,
    Program,
    RedFlag,
    Rotation,
    TeamMember,
    Tie,
)
from .vocabulary import (
    Context,
    Direction,
    InteractionKind,
    LetterPurpose,
    LetterStatus,
    Material,
    RedFlagKind,
    RotationKind,
    Setting,
    TieKind,
)

FORMAT = "advocate/v1"

Checker = Callable[[Any, str], Any]


def read(text: str) -> Any:
    """The JSON document in `text`, read defensively (datafile_reader), not yet validated."""
    return read_json(text)


# ---------------------------------------------------------------------------------------------
# Parsed form: plain values ready for the services, with the in-file keys kept for linking.


@dataclass
class ParsedInstitution:
    name: str
    city: str = ""
    state: str = ""
    setting: str = ""


@dataclass
class ParsedProgram:
    key: str
    institution: ParsedInstitution | None
    fields: dict[str, Any]  # name, specialty, target


@dataclass
class ParsedTie:
    contact: str  # contact key
    program: str | None  # program key, or ...
    institution: ParsedInstitution | None  # ... a whole institution
    kind: str
    note: str


@dataclass
class ParsedContact:
    key: str
    institution: ParsedInstitution | None
    fields: dict[str, Any]


@dataclass
class ParsedRotation:
    key: str
    institution: ParsedInstitution | None
    fields: dict[str, Any]
    team: list[tuple[str, int]]  # (contact key, weeks together)


@dataclass
class ParsedInteraction:
    contact: str
    fields: dict[str, Any]


@dataclass
class ParsedLetter:
    writer: str
    fields: dict[str, Any]


@dataclass
class ParsedMatchStory:
    fields: dict[str, Any]  # year, specialties, pitch, scores, red_flag, note, saved_on
    callers: list[str]  # contact keys
    matched_program: str | None  # program key


@dataclass
class ParsedDocument:
    student_email: str
    profile: dict[str, Any]
    programs: list[ParsedProgram] = field(default_factory=list)
    contacts: list[ParsedContact] = field(default_factory=list)
    ties: list[ParsedTie] = field(default_factory=list)
    rotations: list[ParsedRotation] = field(default_factory=list)
    interactions: list[ParsedInteraction] = field(default_factory=list)
    letters: list[ParsedLetter] = field(default_factory=list)
    match_stories: list[ParsedMatchStory] = field(default_factory=list)
    red_flags: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ImportResult:
    student: User
    created: bool
    contacts: int
    rotations: int
    interactions: int
    letters: int
    programs: int = 0
    ties: int = 0
    match_stories: int = 0

    def summary(self) -> str:
        """ "Imported 40 contacts, 6 rotations, 150 interactions, 4 letters for ada@…"."""
        counts = ", ".join(
            plural(count, noun)
            for count, noun in (
                (self.contacts, "contact"),
                (self.rotations, "rotation"),
                (self.interactions, "interaction"),
                (self.letters, "letter"),
                *(((self.programs, "program"),) if self.programs else ()),
                *(((self.ties, "tie"),) if self.ties else ()),
                *(((self.match_stories, "Match story"),) if self.match_stories else ()),
            )
        )
        return f"Imported {counts} for {self.student.email}"


# ---------------------------------------------------------------------------------------------
# Small checkers: each takes (value, path) and returns the parsed value or raises DataFileError.


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _string(
    *, max_length: int | None = None, blank: bool = True, one_line: bool = False
) -> Checker:
    def check(value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise DataFileError(path, "expected a string")
        if not blank and not value.strip():
            raise DataFileError(path, "must not be blank")
        if one_line:
            try:
                validate_one_line(value)
            except ValidationError:
                raise DataFileError(path, "must be one line (no line breaks)") from None
        if max_length is not None and len(value) > max_length:
            raise DataFileError(path, f"longer than {max_length} characters")
        return value

    return check


def _email(*, max_length: int) -> Checker:
    as_string = _string(max_length=max_length)

    def check(value: Any, path: str) -> str:
        value = as_string(value, path)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise DataFileError(path, f"not an email address {_show(value)}") from None
        return value

    return check


def _choice(choices: type[models.TextChoices], noun: str, *, blank: bool = False) -> Checker:
    return _choice_of(frozenset(choices.values), noun, blank=blank)


def _choice_of(values: frozenset[str], noun: str, *, blank: bool = False) -> Checker:
    def check(value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise DataFileError(path, "expected a string")
        if value == "" and blank:
            return value
        if value not in values:
            raise DataFileError(path, f"unknown {noun} {_show(value)}")
        return value

    return check


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise DataFileError(path, "expected true or false")
    return value


def _int(*, minimum: int, maximum: int) -> Checker:
    def check(value: Any, path: str) -> int:
        # bool is an int in Python, but `true` is not a number in a data file.
        if not isinstance(value, int) or isinstance(value, bool):
            raise DataFileError(path, "expected a whole number")
        if not minimum <= value <= maximum:
            raise DataFileError(path, f"must be between {minimum} and {maximum}")
        return value

    return check


def _date(value: Any, path: str) -> datetime.date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise DataFileError(path, f"not a date {_show(value)}")


def _nullable(checker: Checker) -> Checker:
    def check(value: Any, path: str) -> Any:
        return None if value is None else checker(value, path)

    return check


def _list_of(item: Checker) -> Checker:
    def check(value: Any, path: str) -> list:
        if not isinstance(value, list):
            raise DataFileError(path, "expected a list")
        return [item(element, f"{path}[{index}]") for index, element in enumerate(value)]

    return check


_strings = _list_of(_string(blank=False))


@cache
def _known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _time_zone(value: Any, path: str) -> str:
    value = _string(max_length=_max_length(User, "timezone"))(value, path)
    if value not in _known_time_zones():
        raise DataFileError(path, f"unknown time zone {_show(value)}")
    return value


def _match_outcome(value: Any, path: str) -> str:
    if value is None:
        return ""
    return _choice(User.MatchOutcome, "match outcome")(value, path)


@dataclass(frozen=True)
class Field:
    check: Checker
    required: bool = True
    default: Any = None


def _object(value: Any, path: str, fields: dict[str, Field]) -> dict[str, Any]:
    """Check one JSON object against its fields; returns {name: parsed value}."""
    if not isinstance(value, dict):
        raise DataFileError(path, "expected an object")
    if not fields.keys() >= value.keys():  # then find the first unknown one, in file order
        for name in value:
            if name not in fields:
                raise DataFileError(_join(path, name), "unknown field")
    prefix = f"{path}." if path else ""  # (called for every record: kept lean)
    parsed = {}
    for name, spec in fields.items():
        if name in value:
            parsed[name] = spec.check(value[name], prefix + name)
        elif spec.required:
            raise DataFileError(prefix + name, "required")
        else:
            parsed[name] = spec.default
    return parsed


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _records(value: Any, path: str) -> list:
    if not isinstance(value, list):
        raise DataFileError(path, "expected a list")
    return value


# ---------------------------------------------------------------------------------------------
# The format, section by section.

INSTITUTION_FIELDS = {
    "name": Field(_string(max_length=_max_length(Institution, "name"), blank=False, one_line=True)),
    "city": Field(_string(max_length=_max_length(Institution, "city")), False, ""),
    "state": Field(_string(max_length=_max_length(Institution, "state")), False, ""),
    "setting": Field(_choice(Setting, "setting", blank=True), False, ""),
}


def _institution(value: Any, path: str) -> ParsedInstitution | None:
    if value is None:
        return None
    return ParsedInstitution(**_object(value, path, INSTITUTION_FIELDS))


def _cycle_dates(value: Any, path: str) -> dict[str, str]:
    """The student's own Match-calendar dates: {"rank_deadline": "2027-03-04"}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DataFileError(path, "expected an object")
    dates = {}
    for name, day in value.items():
        if name in EDITABLE_SOAP_TIMES:
            dates[name] = _clock(day, _join(path, name))
            continue
        if name not in EDITABLE_DATES:
            raise DataFileError(_join(path, name), "unknown field")
        dates[name] = _date(day, _join(path, name)).isoformat()
    return dates


def _red_flags(value: Any, path: str) -> list[dict[str, Any]]:
    """`student.red_flags`: [{"kind", "note", "shared"}], each once."""
    if not isinstance(value, list):
        raise DataFileError(path, "expected a list")
    flags: list[dict[str, Any]] = []
    for index, item in enumerate(value):
        fields = _object(item, f"{path}[{index}]", RED_FLAG_FIELDS)
        if any(f["kind"] == fields["kind"] and f["note"] == fields["note"] for f in flags):
            raise DataFileError(f"{path}[{index}]", "the same red flag twice")
        flags.append(fields)
    return flags


def _clock(value: Any, path: str) -> str:
    """SOAP's time of day, Eastern, "HH:MM" (24-hour)."""
    try:
        at = datetime.time.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        at = None
    if at is None or len(value) != 5:
        raise DataFileError(path, 'expected a time of day "HH:MM" (Eastern)')
    return at.strftime("%H:%M")


def _school(value: Any, path: str) -> dict[str, str]:
    """`student.school`: the home school's institution; its contacts are "home"."""
    if value is None:
        return {"school_name": "", "school_city": "", "school_state": "", "school_setting": ""}
    parsed = _object(value, path, INSTITUTION_FIELDS)
    return {f"school_{name}": parsed[name] for name in ("name", "city", "state", "setting")}


STUDENT_FIELDS = {
    "email": Field(_email(max_length=_max_length(User, "email"))),
    "name": Field(_string(max_length=_max_length(User, "name"), one_line=True)),
    "timezone": Field(_time_zone),
    "match_year": Field(_nullable(_int(minimum=2000, maximum=2100))),
    "target_specialties": Field(_strings),
    "target_cities": Field(_strings),
    "match_outcome": Field(_match_outcome, required=False, default=""),
    "cycle_dates": Field(_cycle_dates, required=False, default={}),
    # Not a profile field: records of their own (contacts.RedFlag), kept with the student.
    "red_flags": Field(_red_flags, required=False, default=[]),
    # Optional (older files import unchanged): the school, for "home" and the home PD.
    "school": Field(_school, required=False, default=None),
}


def _contact_checker(spec: RecordField) -> Checker:
    """A contact field's check, from its model field: the length, whether it may be blank, one
    line or not, the choices (the message names the field: `unknown role "pd"`)."""
    model_field = spec.model_field
    if spec.name == "institution":
        return _institution
    if isinstance(model_field, models.BooleanField):
        return _bool
    if isinstance(model_field, models.JSONField):
        return _strings  # tags: a list of non-blank words
    if isinstance(model_field, models.EmailField):
        return _email(max_length=model_field.max_length)
    if model_field.choices:
        values = frozenset(value for value, _label in model_field.choices)
        return _choice_of(values, spec.name.replace("_", " "), blank=model_field.blank)
    if isinstance(model_field, models.CharField | models.TextField):
        one_line = validate_one_line in model_field.validators
        return _string(
            max_length=model_field.max_length, blank=model_field.blank, one_line=one_line
        )
    raise TypeError(f"No data-file check for Contact.{spec.name}: add one to _contact_checker.")


# The contact's fields in the file (contacts.fields, in its order), between the file's own key
# and the ties.
IN_FILE: tuple[RecordField, ...] = tuple(
    spec for spec in field_table.CONTACT_FIELDS if spec.datafile_key
)
CONTACT_FIELDS = {
    "key": Field(_string(blank=False)),
    **{
        str(spec.datafile_key): Field(
            _contact_checker(spec),
            required=not spec.optional_in_file,
            default=spec.model_field.get_default() if spec.optional_in_file else None,
        )
        for spec in IN_FILE
    },
    "ties": Field(_records, required=False, default=[]),
}

PROGRAM_FIELDS = {
    "key": Field(_string(blank=False)),
    "name": Field(_string(max_length=_max_length(Program, "name"), blank=False, one_line=True)),
    "specialty": Field(_string(max_length=_max_length(Program, "specialty"))),
    "institution": Field(_institution),
    "target": Field(_bool),
}

TIE_FIELDS = {
    "program": Field(_string(blank=False), required=False),
    "institution": Field(_institution, required=False),
    "kind": Field(_choice(TieKind, "tie kind")),
    "note": Field(_string(max_length=_max_length(Tie, "note"), one_line=True), False, ""),
}

TEAM_MEMBER_FIELDS = {
    "contact": Field(_string(blank=False)),
    "weeks_together": Field(_int(minimum=0, maximum=52)),
}

ROTATION_FIELDS = {
    "key": Field(_string(blank=False)),
    "name": Field(_string(max_length=_max_length(Rotation, "name"), blank=False, one_line=True)),
    "specialty": Field(_string(max_length=_max_length(Rotation, "specialty"))),
    "kind": Field(_choice(RotationKind, "rotation kind")),
    "institution": Field(_institution),
    "start": Field(_date),
    "end": Field(_date),
    "team": Field(_records),
}

INTERACTION_FIELDS = {
    "contact": Field(_string(blank=False)),
    "date": Field(_date),
    "kind": Field(_choice(InteractionKind, "interaction kind")),
    "direction": Field(_choice(Direction, "direction")),
    "context": Field(_choice(Context, "context", blank=True)),
    "summary": Field(_string(max_length=_max_length(Interaction, "summary"))),
    "follow_up_by": Field(_nullable(_date)),
}

LETTER_FIELDS = {
    "writer": Field(_string(blank=False)),
    "purpose": Field(_choice(LetterPurpose, "letter purpose")),
    "specialty": Field(_string(max_length=_max_length(LetterRequest, "specialty"))),
    "programs": Field(_strings),
    "due": Field(_nullable(_date)),
    "status": Field(_choice(LetterStatus, "letter status")),
    "asked_on": Field(_nullable(_date)),
    "agreed_on": Field(_nullable(_date)),
    "materials": Field(_list_of(_choice(Material, "material"))),
    "submitted_on": Field(_nullable(_date)),
    "thanked_on": Field(_nullable(_date)),
    # Added after v1 was first written down: optional on import, always exported.
    "declined_on": Field(_nullable(_date), required=False),
    "materials_sent_on": Field(_nullable(_date), required=False),
    "notes": Field(_string(), required=False, default=""),
}


def _stripped(checker: Checker) -> Checker:
    """A story's text as match_story_save keeps it: without surrounding spaces."""
    return lambda value, path: checker(value, path).strip()


def _at_most(limit: int, noun: str, item: Checker) -> Checker:
    """A list of at most `limit` items: the count is checked before the items."""

    def check(value: Any, path: str) -> list:
        if isinstance(value, list) and len(value) > limit:
            raise DataFileError(path, f"at most {limit} {noun}")
        return _list_of(item)(value, path)

    return check


def _story_line(name: str) -> Checker:
    return _stripped(_string(max_length=_max_length(MatchStory, name), one_line=True))


MATCH_STORY_FIELDS = {
    "year": Field(_int(minimum=2000, maximum=2100)),
    # MatchStory.clean's limits: at most 3 (none yet is a story too), each one short line.
    "specialties": Field(
        _at_most(3, "specialties", _stripped(_string(max_length=100, blank=False, one_line=True)))
    ),
    "pitch": Field(_story_line("pitch")),
    "scores": Field(_story_line("scores")),
    "red_flag": Field(_story_line("red_flag")),
    "callers": Field(_at_most(3, "callers", _string(blank=False))),  # contact keys
    "note": Field(_stripped(_string(max_length=_max_length(MatchStory, "note")))),
    "matched_program": Field(_nullable(_string(blank=False))),  # a program key, or null
    "saved_on": Field(_nullable(_date)),
}

RED_FLAG_FIELDS = {
    "kind": Field(_choice(RedFlagKind, "red flag kind")),
    "note": Field(
        _stripped(_string(max_length=_max_length(RedFlag, "note"), blank=False, one_line=True))
    ),
    "shared": Field(_bool),
}


SECTIONS = [
    "format",
    "student",
    "programs",
    "contacts",
    "rotations",
    "interactions",
    "letters",
    "match_stories",
]
# Added after v1 was first written down: an older file without them still imports.
OPTIONAL_SECTIONS = {"programs", "match_stories"}


def validate(document: Any) -> ParsedDocument:
    """Check the whole document; raise DataFileError naming the first problem's path."""
    if not isinstance(document, dict):
        raise DataFileError("document", "expected a JSON object")
    # The format first: a file in another format gets one clear message, not a field list.
    if document.get("format") != FORMAT:
        shown = _show(document["format"]) if "format" in document else "nothing"
        raise DataFileError("format", f'expected "{FORMAT}", found {shown}')
    for name in document:
        if name not in SECTIONS:
            raise DataFileError(name, "unknown field")
    for name in SECTIONS:
        if name not in document and name not in OPTIONAL_SECTIONS:
            raise DataFileError(name, "required")

    student = _object(document["student"], "student", STUDENT_FIELDS)
    student_email = student.pop("email")
    red_flags = student.pop("red_flags")
    school = student.pop("school")
    if school is not None:
        student.update(school)
    parsed = ParsedDocument(student_email=student_email, profile=student, red_flags=red_flags)

    program_keys: set[str] = set()
    program_names: set[str] = set()
    for index, value in enumerate(_records(document.get("programs", []), "programs")):
        path = f"programs[{index}]"
        fields = _object(value, path, PROGRAM_FIELDS)
        key = fields.pop("key")
        if key in program_keys:
            raise DataFileError(f"{path}.key", f"duplicate key {_show(key)}")
        program_keys.add(key)
        # One program per name (any case), as the records keep them.
        if (name := fields["name"].strip().lower()) in program_names:
            raise DataFileError(f"{path}.name", f"a second program called {_show(fields['name'])}")
        program_names.add(name)
        institution = fields.pop("institution")
        parsed.programs.append(ParsedProgram(key=key, institution=institution, fields=fields))

    contact_keys: set[str] = set()
    for index, value in enumerate(_records(document["contacts"], "contacts")):
        path = f"contacts[{index}]"
        in_file = _object(value, path, CONTACT_FIELDS)
        key = in_file["key"]
        if key in contact_keys:
            raise DataFileError(f"{path}.key", f"duplicate key {_show(key)}")
        contact_keys.add(key)
        institution = in_file["institution"]
        ties = in_file["ties"]
        # The model's fields by their model names, ready for Contact(**fields).
        fields = {
            spec.name: in_file[str(spec.datafile_key)]
            for spec in IN_FILE
            if spec.name != "institution"
        }
        parsed.contacts.append(ParsedContact(key=key, institution=institution, fields=fields))
        parsed.ties += _ties(ties, f"{path}.ties", key, program_keys)

    def contact_key(value: str, path: str) -> str:
        if value not in contact_keys:
            raise DataFileError(path, f"no contact with key {_show(value)}")
        return value

    rotation_keys: set[str] = set()
    for index, value in enumerate(_records(document["rotations"], "rotations")):
        path = f"rotations[{index}]"
        fields = _object(value, path, ROTATION_FIELDS)
        key = fields.pop("key")
        if key in rotation_keys:
            raise DataFileError(f"{path}.key", f"duplicate key {_show(key)}")
        rotation_keys.add(key)
        if fields["end"] < fields["start"]:
            raise DataFileError(f"{path}.end", "must be on or after start")
        team: list[tuple[str, int]] = []
        for member_index, member in enumerate(fields.pop("team")):
            member_path = f"{path}.team[{member_index}]"
            member_fields = _object(member, member_path, TEAM_MEMBER_FIELDS)
            member_key = contact_key(member_fields["contact"], f"{member_path}.contact")
            if any(member_key == existing for existing, _ in team):
                raise DataFileError(
                    f"{member_path}.contact", f"{_show(member_key)} is already on this team"
                )
            team.append((member_key, member_fields["weeks_together"]))
        institution = fields.pop("institution")
        parsed.rotations.append(
            ParsedRotation(key=key, institution=institution, fields=fields, team=team)
        )

    for index, value in enumerate(_records(document["interactions"], "interactions")):
        path = f"interactions[{index}]"
        fields = _object(value, path, INTERACTION_FIELDS)
        key = contact_key(fields.pop("contact"), f"{path}.contact")
        parsed.interactions.append(ParsedInteraction(contact=key, fields=fields))

    for index, value in enumerate(_records(document["letters"], "letters")):
        path = f"letters[{index}]"
        fields = _object(value, path, LETTER_FIELDS)
        key = contact_key(fields.pop("writer"), f"{path}.writer")
        parsed.letters.append(ParsedLetter(writer=key, fields=fields))

    years: set[int] = set()
    for index, value in enumerate(_records(document.get("match_stories", []), "match_stories")):
        path = f"match_stories[{index}]"
        fields = _object(value, path, MATCH_STORY_FIELDS)
        # One story per Match year, as the records keep them.
        if fields["year"] in years:
            raise DataFileError(f"{path}.year", f"a second story for {fields['year']}")
        years.add(fields["year"])
        callers: list[str] = []
        for caller_index, caller in enumerate(fields.pop("callers")):
            caller_path = f"{path}.callers[{caller_index}]"
            if contact_key(caller, caller_path) in callers:
                raise DataFileError(caller_path, f"{_show(caller)} is already a caller")
            callers.append(caller)
        program = fields.pop("matched_program")
        if program is not None and program not in program_keys:
            raise DataFileError(f"{path}.matched_program", f"no program with key {_show(program)}")
        parsed.match_stories.append(ParsedMatchStory(fields, callers, program))

    return parsed


def _ties(values: list, path: str, contact: str, program_keys: set[str]) -> list[ParsedTie]:
    """One contact's `ties`: each to a program (by key) or to an institution, once each."""
    ties: list[ParsedTie] = []
    seen: set[tuple] = set()
    for index, value in enumerate(values):
        tie_path = f"{path}[{index}]"
        fields = _object(value, tie_path, TIE_FIELDS)
        program, institution = fields["program"], fields["institution"]
        if (program is None) == (institution is None):
            raise DataFileError(tie_path, 'needs either "program" (a key) or "institution"')
        if program is not None and program not in program_keys:
            raise DataFileError(f"{tie_path}.program", f"no program with key {_show(program)}")
        place = ("program", program) if program else ("institution", institution.name.lower())
        if (*place, fields["kind"]) in seen:
            raise DataFileError(tie_path, "the same tie twice")
        seen.add((*place, fields["kind"]))
        ties.append(ParsedTie(contact, program, institution, fields["kind"], fields["note"]))
    return ties


# ---------------------------------------------------------------------------------------------
# Import


def import_document(
    document: Any, *, student: User | None = None, email: str | None = None
) -> ImportResult:
    """Validate `document`, then add its records to one student, all or nothing.

    The student is `student` if given (the web import: the file's own email is ignored, so a
    file can never switch accounts), else the account with `email` (default: the file's
    `student.email`), created as a student with an unusable password if absent.
    """
    parsed = validate(document)
    with transaction.atomic():
        created = False
        if student is None:
            address = (email or parsed.student_email).strip().lower()
            if not address:
                raise DataFileError("student.email", "required to create the student")
            student = User.objects.filter(email__iexact=address).first()
            if student is None:
                # No password: the student signs in after a password reset.
                student = User.objects.create_user(email=address, role=User.Role.STUDENT)
                created = True
        if not student.is_student:
            raise DataFileError("student", f"{student.email} is not a student account")
        try:
            _write_records(
                [(student, parsed)], new_students=frozenset([student.pk] if created else [])
            )
        except (IntegrityError, DataError) as error:
            # Not reachable for a file validate() accepted; refused whole, never a 500.
            raise DataFileError("document", "could not be saved; nothing was imported") from error
        _update_profile(student, parsed.profile)
        # One stamp for the whole import (the engine recomputes from the records).
        records_changed(owner_id=student.pk)
    return _result(student, created, parsed)


def _result(student: User, created: bool, parsed: ParsedDocument) -> ImportResult:
    return ImportResult(
        student=student,
        created=created,
        contacts=len(parsed.contacts),
        rotations=len(parsed.rotations),
        interactions=len(parsed.interactions),
        letters=len(parsed.letters),
        programs=len(parsed.programs),
        ties=len(parsed.ties),
        match_stories=len(parsed.match_stories),
    )


def _update_profile(student: User, profile: dict[str, Any]) -> None:
    for name, value in profile.items():
        setattr(student, name, value)
    student.save(update_fields=list(profile))


# ---------------------------------------------------------------------------------------------
# A class: many students' files at once, each into its own `student.email`.


class ClassImportError(ValueError):
    """Files of a class refused, each named: `ada.json: contacts[3].role: unknown role "pd"`."""

    def __init__(self, problems: Sequence[tuple[str, DataFileError]]):
        self.problems = list(problems)
        super().__init__("\n".join(f"{name}: {error}" for name, error in self.problems))


# What import_class takes for each file: its name (for messages) and what validate() made of
# it, or the DataFileError that reading or validating it raised.
ClassFile = tuple[str, ParsedDocument | DataFileError]


# Students written per round of bulk inserts: a round is the same ~20 queries for 1 student or
# 100, and holds only its own records as rows.
CLASS_CHUNK = 100


def import_class(files: Iterable[ClassFile]) -> list[ImportResult]:
    """Add each file's records to the student of its own `student.email` (created if absent,
    as import_document does), in ONE transaction: all or nothing for the whole class.

    Why the whole class and not each file: importing ADDS records, so a class half imported
    could not simply be run again once the bad file is fixed (the students already imported
    would get everything twice); refused whole, the same command runs again as it was. Every
    file is looked at even after a bad one, so the refusal (ClassImportError) names the first
    problem of EVERY bad file: one round of fixes is enough. A file must carry its student's
    email; two files may not name the same student (importing adds: that is one student twice,
    not something to merge); an account that is not a student's is refused.

    The files are written as they come, CLASS_CHUNK students a round, in bulk (the same queries
    whatever the number of records or students), while the next ones are still being read and
    checked (by other processes: import_data --jobs); a bad file stops the writing and rolls
    it all back. Every student is stamped with one update and announced in bulk
    (crm.events.records_changed_in_bulk), so the engine refreshes them together once the class
    is committed."""
    problems: list[tuple[str, DataFileError]] = []
    named_by: dict[str, str] = {}  # email -> the file that named it first
    # What is kept of each file once written: its summary, and a kept student's new profile
    # (the files themselves are let go round by round).
    results: list[ImportResult] = []
    profiles: list[tuple[User, dict[str, Any]]] = []
    chunk: list[tuple[str, str, ParsedDocument]] = []
    with cyclic_gc_paused(), transaction.atomic():
        try:
            for name, parsed in files:
                problem = parsed if isinstance(parsed, DataFileError) else None
                if problem is None:
                    address = parsed.student_email.strip().lower()
                    if not address:
                        problem = DataFileError("student.email", "required to create the student")
                    elif address in named_by:
                        problem = DataFileError(
                            "student.email",
                            f"{_show(address)} is also the student of {named_by[address]}",
                        )
                if problem is not None:
                    problems.append((name, problem))
                    continue
                named_by[address] = name
                if problems:
                    continue  # nothing more is written: the rest are only checked
                chunk.append((name, address, parsed))
                if len(chunk) == CLASS_CHUNK:
                    problems += _write_class_chunk(chunk, results, profiles)
                    chunk = []
            if chunk and not problems:
                problems += _write_class_chunk(chunk, results, profiles)
            if problems:
                raise ClassImportError(problems)  # rolls back whatever was written
            _update_profiles(profiles)
        except (IntegrityError, DataError) as error:
            # A race (an account made with one of these emails meanwhile) or a file that slipped
            # past validate(): the class is refused whole, never a traceback.
            raise ClassImportError(
                [("class", DataFileError("document", "could not be saved; nothing was imported"))]
            ) from error
        records_changed_in_bulk(owner_ids=[result.student.pk for result in results])
    return results


def _write_class_chunk(
    chunk: Sequence[tuple[str, str, ParsedDocument]],
    results: list[ImportResult],
    profiles: list[tuple[User, dict[str, Any]]],
) -> list[tuple[str, DataFileError]]:
    """Write one round of a class: its students (the new ones made, with their profile), then
    their records. Returns the files naming an account that is not a student's (nothing of the
    round is written then)."""
    kept = {
        user.address: user
        for user in User.objects.annotate(address=Lower("email")).filter(
            address__in=[address for _, address, _ in chunk]
        )
    }
    refused = [
        (name, DataFileError("student", f"{user.email} is not a student account"))
        for name, address, _ in chunk
        if (user := kept.get(address)) is not None and not user.is_student
    ]
    if refused:
        return refused
    students = []
    for _name, address, parsed in chunk:
        student = kept.get(address)
        if student is None:
            # No password: the student signs in after a password reset. The profile goes in
            # with the account; a student already kept has it updated after the records.
            student = User(email=address, role=User.Role.STUDENT, **parsed.profile)
            student.set_unusable_password()
        students.append(student)
    User.objects.bulk_create([s for s in students if s.pk is None], batch_size=BATCH_SIZE)
    rows = [
        (student, address not in kept, parsed)
        for student, (_, address, parsed) in zip(students, chunk, strict=True)
    ]
    _write_records(
        [(student, parsed) for student, _, parsed in rows],
        new_students=frozenset(student.pk for student, created, _ in rows if created),
    )
    results += [_result(student, created, parsed) for student, created, parsed in rows]
    profiles += [(student, parsed.profile) for student, created, parsed in rows if not created]
    return []


def _update_profiles(profiles: Sequence[tuple[User, dict[str, Any]]]) -> None:
    """The students' profile fields from their files, one update per set of fields (a file
    without `student.school` leaves the school as it is)."""
    by_fields: dict[tuple[str, ...], list[User]] = defaultdict(list)
    for student, profile in profiles:
        for name, value in profile.items():
            setattr(student, name, value)
        by_fields[tuple(profile)].append(student)
    for fields, students in by_fields.items():
        User.objects.bulk_update(students, list(fields), batch_size=BATCH_SIZE)


# ---------------------------------------------------------------------------------------------
# Writing the records, for one student or many at once

# One student's file, to be written into that student's account.
StudentFile = tuple[User, ParsedDocument]


def _write_records(
    imports: Sequence[StudentFile], *, new_students: frozenset[int] = frozenset()
) -> None:
    """Insert every file's records in bulk: the same queries for one student or a hundred,
    never one per record or per student. The contacts and interactions, nearly all the rows,
    go in as plain rows (contacts.bulk_insert: COPY on PostgreSQL), the rest by bulk_create.

    validate() has already checked every field the models would (lengths, choices, emails,
    dates, keys, a rotation's dates, a team's members), with the path in each message, so no
    per-row full_clean here, and no model signals. `new_students` are those the caller has just
    made in this transaction: they keep nothing yet (no institution, program or story to match
    against, none anyone else can add before the commit), so theirs go straight in. The
    profile is saved and the students stamped LAST, by the callers: a student's row stays
    unlocked while the records go in, so their logins and saves elsewhere do not wait."""
    institutions = _institutions_for(imports, new_students)

    def institution_for(student: User, value: ParsedInstitution | None) -> int | None:
        """The id of the student's institution named `value`, or None."""
        return None if value is None else institutions[student.pk, _name_key(value.name)]

    contacts: list[dict[str, Any]] = []
    for student, parsed in imports:
        latest: dict[str, datetime.date] = {}
        for item in parsed.interactions:
            day = item.fields["date"]
            if item.contact not in latest or latest[item.contact] < day:
                latest[item.contact] = day
        contacts += [
            {
                "owner_id": student.pk,
                "institution_id": institution_for(student, item.institution),
                "last_contact_on": latest.get(item.key),
                **item.fields,
            }
            for item in parsed.contacts
        ]
    contact_ids = iter(insert_rows(Contact, contacts, returning_ids=True) or ())
    # Each file's contact keys -> the new contacts' ids, in the order the files were given.
    by_key: list[dict[str, int]] = [
        {item.key: next(contact_ids) for item in parsed.contacts} for _student, parsed in imports
    ]

    rotations = [
        (keys, item, {"owner_id": student.pk,
                      "institution_id": institution_for(student, item.institution), **item.fields})
        for (student, parsed), keys in zip(imports, by_key, strict=True)
        for item in parsed.rotations
    ]  # fmt: skip
    rotation_ids = insert_rows(Rotation, [row for _, _, row in rotations], returning_ids=True)
    insert_rows(
        TeamMember,
        [
            {"rotation_id": rotation_id, "contact_id": keys[key], "weeks_together": weeks}
            for (keys, item, _row), rotation_id in zip(rotations, rotation_ids or (), strict=True)
            for key, weeks in item.team
        ],
    )
    insert_rows(
        Interaction,
        [
            {"owner_id": student.pk, "contact_id": keys[item.contact], **item.fields}
            for (student, parsed), keys in zip(imports, by_key, strict=True)
            for item in parsed.interactions
        ],
    )
    insert_rows(
        LetterRequest,
        [
            {"owner_id": student.pk, "writer_id": keys[item.writer], **item.fields}
            for (student, parsed), keys in zip(imports, by_key, strict=True)
            for item in parsed.letters
        ],
    )
    programs = _programs_for(imports, institution_for, new_students)
    insert_rows(
        Tie,
        [
            {
                "owner_id": student.pk,
                "contact_id": keys[item.contact],
                "program_id": student_programs[item.program] if item.program else None,
                "institution_id": None
                if item.program
                else institution_for(student, item.institution),
                "kind": item.kind,
                "note": item.note.strip(),
            }
            for (student, parsed), keys, student_programs in zip(
                imports, by_key, programs, strict=True
            )
            for item in parsed.ties
        ],
    )
    _write_match_stories(imports, by_key, programs, new_students)
    _write_red_flags(imports)


def _write_red_flags(imports: Sequence[StudentFile]) -> None:
    """Added like every record, except one the student already keeps (same kind and words):
    importing a file twice does not say the same thing twice."""
    owners = [student.pk for student, parsed in imports if parsed.red_flags]
    if not owners:
        return
    kept = set(RedFlag.objects.filter(owner__in=owners).values_list("owner_id", "kind", "note"))
    insert_rows(
        RedFlag,
        [
            {"owner_id": student.pk, **fields}
            for student, parsed in imports
            for fields in parsed.red_flags
            if (student.pk, fields["kind"], fields["note"]) not in kept
        ],
    )


def _programs_for(
    imports: Sequence[StudentFile],
    institution_for: Callable[[User, ParsedInstitution | None], int | None],
    new_students: frozenset[int],
) -> list[dict[str, int]]:
    """For each file, program key -> the id of the student's program, created where new, in a
    few queries. Matched by name in any case, like institutions: the file's details fill an
    existing program's blanks, and `target: true` puts it on the student's list. A student this
    import made has no programs yet: theirs go straight in."""
    if not any(parsed.programs for _, parsed in imports):
        return [{} for _ in imports]
    kept_owners = {student.pk for student, parsed in imports if parsed.programs} - new_students
    existing = {
        (p.owner_id, p.name.lower()): p for p in Program.objects.filter(owner__in=kept_owners)
    } if kept_owners else {}  # fmt: skip
    made_keys, made, new, filled = [], [], [], []
    for student, parsed in imports:
        for item in parsed.programs:
            institution = institution_for(student, item.institution)
            key = (student.pk, _name_key(item.fields["name"]))
            program = existing.get(key)
            if program is None:
                fields = {
                    "owner_id": student.pk,
                    "name": item.fields["name"].strip(),
                    "specialty": item.fields["specialty"],
                    "institution_id": institution,
                    "target": item.fields["target"],
                }
                if student.pk in new_students:
                    made_keys.append(key)
                    made.append(fields)
                else:
                    new.append(Program(**fields))
                continue
            changed = False
            if item.fields["specialty"] and not program.specialty:
                program.specialty, changed = item.fields["specialty"], True
            if institution is not None and program.institution_id is None:
                program.institution_id, changed = institution, True
            if item.fields["target"] and not program.target:
                program.target, changed = True, True
            if changed:
                filled.append(program)
    ids = dict(zip(made_keys, insert_rows(Program, made, returning_ids=True) or (), strict=True))
    if kept_owners:
        # ignore_conflicts: a program saved at the same moment may take one of these names.
        Program.objects.bulk_create(new, batch_size=BATCH_SIZE, ignore_conflicts=True)
        Program.objects.bulk_update(filled, ["specialty", "institution", "target"])
        found = Program.objects.filter(owner__in=kept_owners).values_list("pk", "owner_id", "name")
        ids.update(((owner, name.lower()), pk) for pk, owner, name in found)
    return [
        {item.key: ids[student.pk, _name_key(item.fields["name"])] for item in parsed.programs}
        for student, parsed in imports
    ]


def _name_key(name: str) -> str:
    """How an institution or a program is matched by name: in any case, without spaces around."""
    return name.strip().lower()


STORY_TEXT = ("pitch", "scores", "red_flag", "note")


def _write_match_stories(
    imports: Sequence[StudentFile],
    contacts: Sequence[dict[str, int]],
    programs: Sequence[dict[str, int]],
    new_students: frozenset[int],
) -> None:
    """The files' stories, in a few queries. Matched by year, as programs are by name: a year
    the student has no story for gets the file's, and a story already kept has its blanks
    filled from the file, never overwritten. A student this import made has no stories yet:
    theirs go straight in."""
    wanted = [
        (student, item, keys, student_programs)
        for (student, parsed), keys, student_programs in zip(
            imports, contacts, programs, strict=True
        )
        for item in parsed.match_stories
    ]
    if not wanted:
        return

    def as_made(student: User, item: ParsedMatchStory, student_programs: dict[str, int]) -> dict:
        matched = student_programs[item.matched_program] if item.matched_program else None
        return {"owner_id": student.pk, **item.fields, "matched_program_id": matched}

    Caller = MatchStory.callers.through
    callers: list[dict[str, int]] = []
    made = [entry for entry in wanted if entry[0].pk in new_students]
    story_ids = insert_rows(
        MatchStory, [as_made(s, item, progs) for s, item, _, progs in made], returning_ids=True
    )
    for (_student, item, keys, _), story_id in zip(made, story_ids or (), strict=True):
        callers += [{"matchstory_id": story_id, "contact_id": keys[key]} for key in item.callers]
    kept = [entry for entry in wanted if entry[0].pk not in new_students]
    if kept:
        # Made with the file's story; ignore_conflicts: a year already kept (or saved at the
        # same moment) keeps its row, and has its blanks filled below.
        MatchStory.objects.bulk_create(
            [MatchStory(**as_made(s, item, progs)) for s, item, _, progs in kept],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )
        callers += _fill_kept_stories(kept)
    insert_rows(Caller, callers)


def _fill_kept_stories(kept: Sequence[tuple[User, ParsedMatchStory, dict, dict]]) -> list[dict]:
    """Fill the blanks of the stories the students already keep from their files; returns the
    callers to add (a story's only if it has none yet)."""
    owners = {student.pk for student, _, _, _ in kept}
    years = {item.fields["year"] for _, item, _, _ in kept}
    # Owners x years: a student's other years of these may be locked too, never changed.
    stories = {
        (story.owner_id, story.year): story
        for story in MatchStory.objects.select_for_update().filter(owner__in=owners, year__in=years)
    }
    with_callers = set(
        MatchStory.callers.through.objects.filter(matchstory__in=stories.values()).values_list(
            "matchstory_id", flat=True
        )
    )
    filled, callers = [], []
    for student, item, keys, student_programs in kept:
        story = stories[student.pk, item.fields["year"]]
        changed = False
        for name in (*STORY_TEXT, "specialties", "saved_on"):
            if item.fields[name] and not getattr(story, name):
                setattr(story, name, item.fields[name])
                changed = True
        if item.matched_program and story.matched_program_id is None:
            story.matched_program_id, changed = student_programs[item.matched_program], True
        if changed:
            story.updated_at = timezone.now()  # bulk_update skips auto_now
            filled.append(story)
        if story.pk not in with_callers:
            callers += [
                {"matchstory_id": story.pk, "contact_id": keys[key]} for key in item.callers
            ]
    MatchStory.objects.bulk_update(
        filled, [*STORY_TEXT, "specialties", "saved_on", "matched_program", "updated_at"]
    )
    return callers


def _institutions_for(
    imports: Sequence[StudentFile], new_students: frozenset[int]
) -> dict[tuple[int, str], int]:
    """(student id, name in lower case) -> the id of the student's institution, created where
    new, in a few queries. As institution_get_or_create: matched by name in any case; the
    file's details fill an existing institution's blanks only; the first mention of a name in a
    file decides. A student this import made has none yet, and no one can make one for them
    before the import commits: theirs go straight in."""
    wanted: dict[tuple[int, str], ParsedInstitution] = {}
    for student, parsed in imports:
        for item in (*parsed.contacts, *parsed.rotations, *parsed.programs, *parsed.ties):
            if item.institution is not None:
                wanted.setdefault((student.pk, _name_key(item.institution.name)), item.institution)

    def row(owner: int, value: ParsedInstitution) -> dict[str, Any]:
        return {"owner_id": owner, "name": value.name.strip(), "city": value.city,
                "state": value.state, "setting": value.setting}  # fmt: skip

    made = [key for key in wanted if key[0] in new_students]
    rows = [row(owner, wanted[owner, name]) for owner, name in made]
    ids = dict(zip(made, insert_rows(Institution, rows, returning_ids=True) or (), strict=True))
    kept_owners = {owner for owner, _name in wanted} - new_students
    if not kept_owners:
        return ids
    existing = {
        (i.owner_id, i.name.lower()): i for i in Institution.objects.filter(owner__in=kept_owners)
    }
    new = [
        Institution(**row(owner, value))
        for (owner, name), value in wanted.items()
        if owner in kept_owners and (owner, name) not in existing
    ]
    # ignore_conflicts: a contact saved at the same moment may create one of these names.
    Institution.objects.bulk_create(new, batch_size=BATCH_SIZE, ignore_conflicts=True)
    filled = []
    for key, institution in existing.items():
        value = wanted.get(key)
        if value is None:
            continue
        changed = False
        for name in ("city", "state", "setting"):
            if getattr(value, name) and not getattr(institution, name):
                setattr(institution, name, getattr(value, name))
                changed = True
        if changed:
            filled.append(institution)
    Institution.objects.bulk_update(filled, ["city", "state", "setting"])
    found = Institution.objects.filter(owner__in=kept_owners).values_list("pk", "owner_id", "name")
    by_name = {(owner, name.lower()): pk for pk, owner, name in found}
    ids.update((key, by_name[key]) for key in wanted if key[0] in kept_owners)
    return ids


# ---------------------------------------------------------------------------------------------
# Export


def export_document(student: User) -> dict[str, Any]:
    """Everything `student` keeps, in the advocate/v1 format, in ten queries.

    Keys are generated in a stable order (contacts and letters by creation, rotations by start
    date, interactions by date; stories, which need no key, by year), so export → import →
    export gives the same file.
    """
    contacts = list(
        Contact.objects.filter(owner=student).select_related("institution").order_by("pk")
    )
    keys = {contact.pk: f"c{number}" for number, contact in enumerate(contacts, start=1)}
    rotations = (
        Rotation.objects.filter(owner=student)
        .select_related("institution")
        .prefetch_related(
            Prefetch("members", queryset=TeamMember.objects.order_by("pk"), to_attr="team_list")
        )
        .order_by("start", "pk")
    )
    interactions = Interaction.objects.filter(owner=student).order_by("date", "pk")
    letters = LetterRequest.objects.filter(owner=student).order_by("pk")
    programs = list(
        Program.objects.filter(owner=student).select_related("institution").order_by("pk")
    )
    program_keys = {program.pk: f"p{number}" for number, program in enumerate(programs, start=1)}
    ties: dict[int, list[dict[str, Any]]] = {}
    for tie in Tie.objects.filter(owner=student).select_related("institution").order_by("pk"):
        place: dict[str, Any] = (
            {"program": program_keys[tie.program_id]}
            if tie.program_id
            else {"institution": _export_institution(tie.institution)}
        )
        ties.setdefault(tie.contact_id, []).append({**place, "kind": tie.kind, "note": tie.note})
    stories = MatchStory.objects.filter(owner=student).order_by("year")
    callers: dict[int, list[str]] = {}
    # In the contacts' order (as their keys), not the order picked: the form saves a set.
    for story_id, contact_id in (
        MatchStory.callers.through.objects.filter(matchstory__owner=student)
        .order_by("contact_id")
        .values_list("matchstory_id", "contact_id")
    ):
        callers.setdefault(story_id, []).append(keys[contact_id])

    return {
        "format": FORMAT,
        "student": {
            "email": student.email,
            "name": student.name,
            "timezone": student.timezone,
            "match_year": student.match_year,
            "target_specialties": list(student.target_specialties or []),
            "target_cities": list(student.target_cities or []),
            "match_outcome": student.match_outcome or None,
            "cycle_dates": dict(sorted((student.cycle_dates or {}).items())),
            "red_flags": [
                {"kind": flag.kind, "note": flag.note, "shared": flag.shared}
                for flag in RedFlag.objects.filter(owner=student).order_by("pk")
            ],
            "school": (
                {
                    "name": student.school_name,
                    "city": student.school_city,
                    "state": student.school_state,
                    "setting": student.school_setting,
                }
                if student.school_name
                else None
            ),
        },
        "programs": [
            {
                "key": program_keys[program.pk],
                "name": program.name,
                "specialty": program.specialty,
                "institution": _export_institution(program.institution),
                "target": program.target,
            }
            for program in programs
        ],
        "contacts": [
            {
                "key": keys[contact.pk],
                **{
                    str(spec.datafile_key): _export_contact_value(contact, spec) for spec in IN_FILE
                },
                "ties": ties.get(contact.pk, []),
            }
            for contact in contacts
        ],
        "rotations": [
            {
                "key": f"r{number}",
                "name": rotation.name,
                "specialty": rotation.specialty,
                "kind": rotation.kind,
                "institution": _export_institution(rotation.institution),
                "start": rotation.start.isoformat(),
                "end": rotation.end.isoformat(),
                "team": [
                    {"contact": keys[member.contact_id], "weeks_together": member.weeks_together}
                    for member in rotation.team_list
                ],
            }
            for number, rotation in enumerate(rotations, start=1)
        ],
        "interactions": [
            {
                "contact": keys[interaction.contact_id],
                "date": interaction.date.isoformat(),
                "kind": interaction.kind,
                "direction": interaction.direction,
                "context": interaction.context,
                "summary": interaction.summary,
                "follow_up_by": _iso(interaction.follow_up_by),
            }
            for interaction in interactions
        ],
        "letters": [
            {
                "writer": keys[letter.writer_id],
                "purpose": letter.purpose,
                "specialty": letter.specialty,
                "programs": list(letter.programs or []),
                "due": _iso(letter.due),
                "status": letter.status,
                "asked_on": _iso(letter.asked_on),
                "agreed_on": _iso(letter.agreed_on),
                "materials": list(letter.materials or []),
                "submitted_on": _iso(letter.submitted_on),
                "thanked_on": _iso(letter.thanked_on),
                "declined_on": _iso(letter.declined_on),
                "materials_sent_on": _iso(letter.materials_sent_on),
                "notes": letter.notes,
            }
            for letter in letters
        ],
        "match_stories": [
            {
                "year": story.year,
                "specialties": list(story.specialties or []),
                "pitch": story.pitch,
                "scores": story.scores,
                "red_flag": story.red_flag,
                "callers": callers.get(story.pk, []),
                "note": story.note,
                "matched_program": program_keys.get(story.matched_program_id),
                "saved_on": _iso(story.saved_on),
            }
            for story in stories
        ],
    }


def _export_contact_value(contact: Contact, spec: RecordField) -> Any:
    if spec.name == "institution":
        return _export_institution(contact.institution)
    value = getattr(contact, spec.name)
    if isinstance(spec.model_field, models.JSONField):
        return list(value or [])  # tags: a list, never null
    return value


def _export_institution(institution: Institution | None) -> dict[str, str] | None:
    if institution is None:
        return None
    return {name: getattr(institution, name) for name in INSTITUTION_FIELDS}


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def dumps(document: dict[str, Any]) -> str:
    """The file's text: indented, UTF-8 characters kept as they are."""
    return json.dumps(document, indent=2, ensure_ascii=False)
