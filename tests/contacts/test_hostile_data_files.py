"""Hostile data files: deep nesting, huge numbers, NUL, lone surrogates, duplicate keys.

Each is refused with the path of the problem, on the web and by `import_data`, and nothing is
written. A property test feeds arbitrary JSON (and arbitrary edits of a valid file) to the
reader and the schema: the only exception that ever comes out is DataFileError."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts import datafile
from contacts.models import Contact, Institution, Interaction, LetterRequest, Rotation
from crm.models import User
from tests.contacts.test_datafile import sample_document

IMPORT_URL = reverse("data_import")
NEW_EMAIL = "hostile@example.edu"


def _text_with(path: list, raw_value: str) -> str:
    """A valid sample file with the JSON text `raw_value` spliced in at `path`."""
    document = sample_document()
    marker = "__SPLICE__"
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = marker
    return json.dumps(document).replace(json.dumps(marker), raw_value)


HOSTILE_FILES = {
    "deep nesting": (
        _text_with(["contacts", 0, "tags"], "[" * 5000 + "]" * 5000),
        "contacts[0].tags" + "[0]" * 29 + ": nested more than 32 levels deep",
    ),
    "deep but parseable nesting": (
        _text_with(["contacts", 1, "notes"], "[" * 100 + "]" * 100),
        "contacts[1].notes" + "[0]" * 29 + ": nested more than 32 levels deep",
    ),
    "a 5,000-digit number": (
        _text_with(["student", "match_year"], "9" * 5000),
        "student.match_year: a number longer than 20 digits",
    ),
    "an infinite number": (
        _text_with(["student", "match_year"], "1e999"),
        "student.match_year: a number too large to store",
    ),
    "NaN": (
        _text_with(["student", "match_year"], "NaN"),
        "student.match_year: NaN is not a JSON number",
    ),
    "NUL in a name": (
        _text_with(["contacts", 1, "name"], '"Dr. Nu\\u0000\\u00f1ez"'),
        "contacts[1].name: text containing a NUL character (\\u0000)",
    ),
    "NUL in a key": (
        _text_with(["contacts", 0, "institution"], '{"na\\u0000me": "x"}'),
        'contacts[0].institution["na\ufffdme"]: a key containing a NUL character (\\u0000)',
    ),
    "a lone high surrogate": (
        _text_with(["contacts", 0, "notes"], '"ok \\ud800"'),
        "contacts[0].notes: text containing a lone surrogate (\\ud800), not a character",
    ),
    "a lone low surrogate": (
        _text_with(["interactions", 0, "summary"], '"\\udfff"'),
        "interactions[0].summary: text containing a lone surrogate (\\udfff), not a character",
    ),
    "a duplicate key": (
        _text_with(["contacts", 0, "institution"], '{"name": "A", "name": "B"}'),
        "contacts[0].institution.name: this key appears twice in one object",
    ),
    "a duplicate section": (
        json.dumps(sample_document())[:-1] + ', "letters": []}',
        "letters: this key appears twice in one object",
    ),
}


def record_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "contacts": Contact.objects.count(),
        "institutions": Institution.objects.count(),
        "rotations": Rotation.objects.count(),
        "interactions": Interaction.objects.count(),
        "letters": LetterRequest.objects.count(),
    }


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_the_web_import_refuses_each_hostile_file_at_its_path(student_client, case):
    text, message = HOSTILE_FILES[case]
    before = record_counts()

    upload = SimpleUploadedFile("advocate.json", text.encode("utf-8", "surrogatepass"))
    response = student_client.post(IMPORT_URL, {"file": upload})

    assert response.status_code == 400
    assert response.context["data_form"].errors["file"] == [message]
    assert record_counts() == before


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_import_data_refuses_each_hostile_file_at_its_path(db, tmp_path, case):
    text, message = HOSTILE_FILES[case]
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    before = record_counts()

    with pytest.raises(CommandError) as refused:
        call_command("import_data", str(path), "--student", NEW_EMAIL)

    assert str(refused.value) == message
    assert record_counts() == before


def test_the_sample_file_itself_still_reads_and_validates():
    text = json.dumps(sample_document())
    assert datafile.validate(datafile.read(text)).contacts


# --- Properties ----------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


def _read_and_validate(text: str) -> None:
    try:
        datafile.validate(datafile.read(text))
    except datafile.DataFileError as refusal:
        assert refusal.path and refusal.problem


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_arbitrary_json_is_read_or_refused_never_anything_else(value):
    _read_and_validate(json.dumps(value))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_is_read_or_refused_never_anything_else(text):
    _read_and_validate(text)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


SAMPLE_PATHS = [path for path in _paths(sample_document()) if path]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLE_PATHS), json_values)
def test_a_valid_file_with_any_value_replaced_is_read_or_refused(path, value):
    """Near-valid files reach deep into the schema's checks, where arbitrary JSON cannot."""
    document = sample_document()
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    _read_and_validate(json.dumps(value if path == () else document))


def test_a_name_with_a_line_break_is_refused_at_its_path(db):
    document = sample_document()
    document["contacts"][1]["name"] = "Dr. José\nNúñez"

    with pytest.raises(datafile.DataFileError) as refused:
        datafile.import_document(document, email=NEW_EMAIL)

    assert str(refused.value) == "contacts[1].name: must be one line (no line breaks)"
    assert not User.objects.filter(email=NEW_EMAIL).exists()


# --- The quick look (issue 23) ---------------------------------------------------------------

hostile_scalars = json_scalars | st.sampled_from(
    ["\x00", "a\ud800b", "\udfff", "\U0001f600", "\\u0000"]
)
hostile_values = st.recursive(
    hostile_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text() | st.just("\x00"), children)
    ),
    max_leaves=30,
)


def _read_refuses(text: str) -> bool:
    from contacts import datafile_reader

    try:
        datafile_reader.read_json(text)  # the quick look first, as every read does
    except datafile.DataFileError:
        return True
    return False


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_values, st.booleans(), st.integers(min_value=0, max_value=40))
def test_the_quick_look_sends_every_hostile_file_through_the_full_walk(value, ascii, depth):
    """read_json walks the tree (with a path per value) only when a quick look says it may
    find something: the quick look must never say no where the walk would refuse."""
    from contacts import datafile_reader

    text = json.dumps(value, ensure_ascii=ascii)
    text = "[" * depth + text + "]" * depth  # nested as deep as the walk's limit and past it
    if '"a": 1, "a"' not in text and depth % 7 == 3:
        text = '{"a": 1, "a": ' + text + "}"  # a key twice
    try:
        document = json.loads(
            text,
            object_pairs_hook=datafile_reader._pairs,
            parse_int=datafile_reader._int,
            parse_float=datafile_reader._float,
            parse_constant=datafile_reader._constant,
        )
    except (ValueError, RecursionError):
        return  # refused by the parser itself, before either look
    try:
        datafile_reader._check_tree(document)
    except datafile.DataFileError:
        assert datafile_reader._may_be_hostile(text, document)
        assert _read_refuses(text)
