"""Property-based fuzzing of each parser: whatever the bytes, it answers with rows and row
errors or refuses the file with ImportFileError; it never raises anything else."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.importers import Format, ImportFileError, ParsedFile, read_file

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_refuse(data: bytes, format: str | None) -> None:
    try:
        parsed = read_file(data, format)
    except ImportFileError as error:
        assert str(error)
        return
    assert isinstance(parsed, ParsedFile)
    for row in parsed.rows:
        assert row.name and row.line >= 1
    for error in parsed.errors:
        assert error.line >= 1 and error.message


def mutations(seed: bytes):
    """The fixture with bytes dropped, replaced or inserted: nearly right, the hard case."""
    return st.lists(
        st.tuples(st.integers(0, max(0, len(seed) - 1)), st.binary(max_size=4), st.integers(0, 3)),
        max_size=8,
    ).map(lambda edits: _apply(seed, edits))


def _apply(seed: bytes, edits) -> bytes:
    data = bytearray(seed)
    for position, insert, drop in edits:
        position = min(position, len(data))
        data[position : position + drop] = insert
    return bytes(data)


csv_cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)
csv_text = st.lists(st.lists(csv_cells, max_size=6), max_size=8).map(
    lambda rows: "\n".join(",".join(cells) for cells in rows)
)


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([None, *Format.ALL]))
def test_any_bytes_are_read_or_refused(data, format):
    read_or_refuse(data, format)


@FUZZ
@given(csv_text)
def test_the_spreadsheet_parser_never_raises_on_any_text(text):
    read_or_refuse(("name,email,role,last contact,notes\n" + text).encode(), Format.CSV)


@FUZZ
@given(mutations((FIXTURES / "google_sheets.csv").read_bytes()))
def test_the_spreadsheet_parser_never_raises_on_a_damaged_sheet(data):
    read_or_refuse(data, Format.CSV)


@FUZZ
@given(mutations((FIXTURES / "linkedin_connections.csv").read_bytes()))
def test_the_linkedin_parser_never_raises_on_a_damaged_export(data):
    read_or_refuse(data, Format.LINKEDIN)


@FUZZ
@given(csv_text)
def test_the_linkedin_parser_never_raises_on_any_rows(text):
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    read_or_refuse(("Notes:\n\n" + header + text).encode(), Format.LINKEDIN)


@FUZZ
@given(mutations((FIXTURES / "phone_contacts.vcf").read_bytes()))
def test_the_vcard_parser_never_raises_on_a_damaged_file(data):
    read_or_refuse(data, Format.VCARD)


vcard_lines = st.lists(
    st.one_of(
        st.sampled_from(
            ["FN:Ana", "N:;;;;", "ORG:;", "TITLE:", "EMAIL:@", "ADR:;;;", "VERSION:4.0"]
        ),
        st.text(max_size=30).map(lambda text: text.replace("\n", " ")),
        st.text(max_size=20).map(lambda text: f"NOTE;ENCODING=QUOTED-PRINTABLE:{text}="),
    ),
    max_size=8,
)


@FUZZ
@given(st.lists(vcard_lines, min_size=1, max_size=4))
def test_the_vcard_parser_never_raises_on_odd_cards(cards):
    text = "".join("BEGIN:VCARD\n" + "\n".join(lines) + "\nEND:VCARD\n" for lines in cards)
    read_or_refuse(text.encode(), Format.VCARD)
