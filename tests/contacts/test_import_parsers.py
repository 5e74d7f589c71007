"""The three parsers over real-looking files (tests/contacts/fixtures/imports/) and bad ones:
every refusal and every row error says where and what was expected."""

import datetime
from pathlib import Path

import pytest

from contacts.importers import MAX_ROWS, Format, ImportFileError, guess_format, read_file
from contacts.importers.roles import guess_role, parse_role
from contacts.importers.text import parse_date

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def by_name(parsed):
    return {row.name: row for row in parsed.rows}


def test_a_linkedin_export_with_its_notes_preamble_and_bom_is_read():
    data = fixture("linkedin_connections.csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"Notes:" in data[:20]
    parsed = read_file(data)
    assert parsed.format == Format.LINKEDIN
    assert parsed.errors == []
    rows = by_name(parsed)
    assert len(rows) == 6
    lena = rows["Lena Okafor"]
    assert lena.line == 5  # the header is line 4, after the notes and a blank line
    assert lena.email == "lena.okafor@lakeside.example.edu"
    assert lena.institution == "Lakeside University Hospital"
    assert (lena.role, lena.role_guessed) == ("program_director", True)
    assert "https://www.linkedin.com/in/lena-okafor-md" in lena.notes
    assert "Position: Program Director, Internal Medicine Residency" in lena.notes
    assert lena.how_met == "Connected on LinkedIn 2024-03-12"
    assert rows["José Núñez"].role == "chief_resident"
    assert rows["Hannah Cho"].role == "junior_resident"
    assert rows["Marcus Bell"].role == "associate_program_director"
    assert rows["Priya Raman"].role == "peer"
    assert rows["Omar Haddad"].role == "peer"  # "Data Scientist": nothing to go on


def test_a_vcard_file_with_several_cards_folded_lines_and_quoted_printable_is_read():
    parsed = read_file(fixture("phone_contacts.vcf"))
    assert parsed.format == Format.VCARD
    assert parsed.errors == []
    rows = by_name(parsed)
    assert set(rows) == {"Dr. Lena Okafor", "Renée Chávez", "Sam Whitaker"}
    lena = rows["Dr. Lena Okafor"]
    # The TITLE is folded over two lines in the file.
    assert "Clerkship Director for the Internal Medicine Core Clerkship" in lena.notes
    assert lena.role == "clerkship_director"
    assert (lena.email, lena.phone) == ("lena.okafor@lakeside.example.edu", "+1 312 555 0142")
    assert (lena.institution, lena.city, lena.state) == (
        "Lakeside University Hospital",
        "Chicago",
        "IL",
    )
    assert "offered to read my personal statement" in lena.notes
    renee = rows["Renée Chávez"]  # quoted-printable UTF-8, with a soft line break in NOTE
    assert "Charge nurse on 5 West — taught me how to present on rounds." in renee.notes
    assert renee.role == "staff"
    assert rows["Sam Whitaker"].role == "senior_resident"  # vCard 4.0, "PGY-3, Internal Medicine"


def test_a_windows_1252_spreadsheet_keeps_its_accents_and_curly_quotes():
    data = fixture("spreadsheet_windows1252.csv")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = read_file(data)
    assert parsed.format == Format.CSV and parsed.errors == []
    rows = by_name(parsed)
    andre = rows["Dr. André Lefèvre"]
    assert andre.institution == "Hôpital Saint-Luc" and andre.city == "Montréal"
    assert andre.notes == "“Send him the abstract” – said he’d review it"
    assert andre.last_contact == datetime.date(2025, 3, 14)  # 3/14/2025, as Excel writes it
    assert rows["Dr. Zoë Brontë"].role == "program_director"
    assert rows["Renée Chávez"].role == "staff"


def test_a_google_sheets_csv_with_multiline_notes_is_read_with_the_right_line_numbers():
    parsed = read_file(fixture("google_sheets.csv"))
    assert parsed.errors == []
    rows = by_name(parsed)
    assert len(rows) == 6  # the trailing row of empty cells is not a person
    lena = rows["Dr. Lena Okafor"]
    assert lena.notes == "Offered to write a letter.\nFollow up in August."
    assert lena.last_contact == datetime.date(2025, 7, 10)
    # Lena's notes take two lines, so Marcus is on line 4.
    assert rows["Dr. Marcus Bell"].line == 4
    assert [rows[name].role for name in ("Dr. Marcus Bell", "Tom Reyes", "Hannah Cho")] == [
        "associate_program_director",
        "chief_resident",
        "junior_resident",
    ]
    assert rows["Priya Raman"].role == "peer"  # "classmate"
    assert rows["Dr. Aisha Karim"].role == "research_pi"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "This file is empty."),
        ("binary_junk.csv", "This is not a text file"),
        ("headers_only.csv", "only its header row"),
        ("wrong_columns.csv", "the column “Favourite Colour” is not one we know"),
        ("missing_name_column.csv", "there is no “name” column"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(name, message):
    with pytest.raises(ImportFileError, match=message):
        read_file(fixture(name))


def test_an_excel_workbook_is_refused_with_how_to_save_it_as_csv():
    with pytest.raises(ImportFileError, match="Save it as CSV"):
        read_file(b"PK\x03\x04" + b"\x00" * 100)


def test_a_file_over_5_mb_is_refused_before_it_is_parsed():
    with pytest.raises(ImportFileError, match="files up to 5 MB"):
        read_file(b"name\n" + b"x" * (5 * 1024 * 1024))


def test_a_file_with_more_than_5000_rows_is_refused():
    data = "name\n" + "".join(f"Person {n}\n" for n in range(MAX_ROWS + 1))
    with pytest.raises(ImportFileError, match="5,001 rows; files up to 5,000"):
        read_file(data.encode())
    assert (
        len(read_file(("name\n" + "".join(f"P {n}\n" for n in range(MAX_ROWS))).encode()).rows)
        == MAX_ROWS
    )


def test_bad_rows_each_get_their_line_field_and_what_was_expected():
    parsed = read_file(fixture("bad_rows.csv"))
    errors = {error.line: error for error in parsed.errors}
    assert errors[2].field == "last contact" and "“2025-02-30” is not a date" in errors[2].message
    assert "2024-03-12" in errors[2].message  # says what a date looks like
    assert errors[3].field == "email" and "“not-an-email” is not an email address" in str(errors[3])
    assert errors[4].field == "name" and "every row needs a name" in errors[4].message
    assert errors[5].field == "role" and "“wizard” is not a role we know" in errors[5].message
    assert "PGY-1" in errors[5].message and "program_director" in errors[5].message
    assert str(errors[5]).startswith("line 5, role:")


def test_a_vcard_without_a_name_is_named_by_its_organisation():
    parsed = read_file(fixture("card_without_name.vcf"))
    assert [(row.name, row.name_from) for row in parsed.rows] == [
        ("Dr. Lena Okafor", ""),
        ("Mercy Community Hospital", "organisation"),
    ]
    assert parsed.errors == []


def test_a_broken_vcard_is_an_error_and_the_other_cards_still_read():
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nthis line is not a property\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ben\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Unfinished\n"
    )
    parsed = read_file(text.encode())
    assert [row.name for row in parsed.rows] == ["Ben"]
    assert [error.line for error in parsed.errors] == [1, 10]


def test_headers_match_whatever_their_case_and_spacing():
    parsed = read_file(
        b"  NAME ,E-mail,How_Met,LAST   CONTACT\nAna Lee,ana@x.edu,Wards,12 Mar 2024\n"
    )
    (row,) = parsed.rows
    assert (row.email, row.how_met, row.last_contact) == (
        "ana@x.edu",
        "Wards",
        datetime.date(2024, 3, 12),
    )


def test_a_last_contact_kind_column_says_what_the_interaction_was():
    parsed = read_file(
        b"name,last contact,last contact kind\nAna,2025-01-02,meeting\nBo,2025-01-02,bake\n"
    )
    assert parsed.rows[0].last_contact_kind == "meeting"
    assert parsed.errors[0].field == "last contact kind"


def test_the_format_is_guessed_from_the_content():
    assert guess_format("BEGIN:VCARD\nEND:VCARD") == Format.VCARD
    assert guess_format('Notes:\n"x"\n\nFirst Name,Last Name,URL\n') == Format.LINKEDIN
    assert guess_format("First Name,Last Name,URL,Email Address\n") == Format.LINKEDIN
    assert guess_format("name,email\n") == Format.CSV


def test_a_format_that_does_not_fit_the_file_is_refused():
    with pytest.raises(ImportFileError, match="not a LinkedIn connections export"):
        read_file(b"name,email\nAna,a@x.edu\n", Format.LINKEDIN)
    with pytest.raises(ImportFileError, match="not a vCard file"):
        read_file(b"name,email\nAna,a@x.edu\n", Format.VCARD)
    with pytest.raises(ImportFileError, match="import it as vCard"):
        read_file(b"BEGIN:VCARD\nFN:A\nEND:VCARD\n", Format.CSV)


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("PD", "program_director"),
        ("Program Director", "program_director"),
        ("program_director", "program_director"),
        ("APD", "associate_program_director"),
        ("attending", "faculty"),
        ("chief", "chief_resident"),
        ("PGY-1", "junior_resident"),
        ("pgy 3", "senior_resident"),
        ("resident", "junior_resident"),
        ("nurse", "staff"),
        ("classmate", "peer"),
        ("Research PI", "research_pi"),
    ],
)
def test_a_role_cell_accepts_slugs_and_common_spellings(word, role):
    assert parse_role(word) == role


def test_an_unknown_role_word_is_none():
    assert parse_role("wizard") is None


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Associate Program Director, Internal Medicine", "associate_program_director"),
        ("Chair, Department of Surgery", "chair"),
        ("Assistant Professor of Medicine", "faculty"),
        ("Cardiology Fellow", "fellow"),
        ("Internal Medicine Resident (PGY-2)", "junior_resident"),
        ("Registered Nurse", "staff"),
        ("MS3 at Northshore", "peer"),
        ("", "peer"),
    ],
)
def test_a_job_title_gives_a_role_guess(title, role):
    assert guess_role(title) == role


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-03-12", datetime.date(2024, 3, 12)),
        ("3/12/2024", datetime.date(2024, 3, 12)),
        ("3/12/24", datetime.date(2024, 3, 12)),
        ("12 Mar 2024", datetime.date(2024, 3, 12)),
        ("March 12, 2024", datetime.date(2024, 3, 12)),
        ("13/13/2024", None),
        ("yesterday", None),
        ("2024-02-30", None),
    ],
)
def test_dates_are_read_as_people_type_them(text, day):
    assert parse_date(text) == day


def test_an_android_vcard_2_1_export_with_a_photo_is_read():
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ch=C3=A1vez;Ren=C3=A9e;;;\r\n"
        b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ren=C3=A9e Ch=C3=A1vez\r\n"
        b"TEL;CELL:+1 773 555 0199\r\nEMAIL;HOME:renee@example.org\r\n"
        b"PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQ\r\n AAAQABAAD\r\n\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Line one=0D=0ALine =\r\ntwo\r\n"
        b"END:VCARD\r\n"
    )
    parsed = read_file(data)
    assert parsed.errors == []
    (row,) = parsed.rows
    assert (row.name, row.phone, row.email) == (
        "Renée Chávez",
        "+1 773 555 0199",
        "renee@example.org",
    )
    assert row.notes == "Line one\nLine two"
