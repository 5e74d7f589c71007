"""LinkedIn exports as they are downloaded (tests/contacts/samples/, our own files in each
shape): the 2026 export with its Notes preamble and the rows LinkedIn leaves blank, an older one
without the URL column, Excel's re-save (23-Apr-23 dates, Windows-1252), the 2018 style
("1/8/18, 6:14 PM") and Excel's "Unicode Text" (UTF-16, tab-separated). Every named row is read;
"Connected On" never refuses a row; a file with error rows can import its good rows."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from contacts.importers import Format, read_file
from contacts.importers.linkedin import connected_on
from contacts.models import Contact

SAMPLES = Path(__file__).parent / "samples"
FIXTURES = Path(__file__).parent / "fixtures" / "imports"


@pytest.mark.parametrize(
    ("name", "read", "skipped"),
    [
        ("linkedin_2026_Connections.csv", 654, 22),
        ("linkedin_2020_no_url.csv", 40, 0),
        ("linkedin_excel_resave.csv", 56, 4),
        ("linkedin_2018.csv", 30, 0),
        ("linkedin_unicode_text.txt", 56, 4),
    ],
)
def test_every_named_row_of_each_real_shape_is_read(name, read, skipped):
    parsed = read_file((SAMPLES / name).read_bytes())
    assert parsed.format == Format.LINKEDIN
    assert parsed.errors == []
    assert len(parsed.rows) == read
    assert len(parsed.skipped) == skipped
    assert all(row.name for row in parsed.rows)
    assert all(row.how_met.startswith("Connected on LinkedIn 20") for row in parsed.rows)


def test_the_2026_export_skips_linkedins_blank_rows_and_keeps_the_rest():
    parsed = read_file((SAMPLES / "linkedin_2026_Connections.csv").read_bytes())
    # The header sits below the Notes preamble: line 4; the first blank row is line 5.
    assert parsed.skipped[0].line == 5
    assert "LinkedIn leaves a connection blank" in parsed.skipped[0].message
    tariq = parsed.rows[0]
    assert (tariq.line, tariq.name, tariq.institution) == (
        6, "Tariq García", "Brigham and Women's Hospital"
    )  # fmt: skip
    assert tariq.how_met == "Connected on LinkedIn 2026-02-23"
    assert "LinkedIn: https://www.linkedin.com/in/" in tariq.notes
    # A position with a comma stays one position.
    assert any(
        "Position: Program Director, Internal Medicine Residency" in r.notes for r in parsed.rows
    )


def test_excel_resaves_and_2018_dates_become_how_met():
    resaved = read_file((SAMPLES / "linkedin_excel_resave.csv").read_bytes())
    assert resaved.rows[0].name == "Lena Núñez"  # Windows-1252
    assert resaved.rows[0].how_met == "Connected on LinkedIn 2026-01-07"  # 7-Jan-26
    unicode_text = read_file((SAMPLES / "linkedin_unicode_text.txt").read_bytes())
    assert [(r.name, r.how_met, r.institution) for r in unicode_text.rows] == [
        (r.name, r.how_met, r.institution) for r in resaved.rows
    ]
    old = read_file((SAMPLES / "linkedin_2018.csv").read_bytes())
    assert old.rows[0].name == "Björn Ferreira"
    assert old.rows[0].how_met == "Connected on LinkedIn 2018-03-16"  # "3/16/18, 9:58 PM"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("06 Sep 2025", datetime.date(2025, 9, 6)),
        ("23-Apr-23", datetime.date(2023, 4, 23)),
        ("5-Jan-26", datetime.date(2026, 1, 5)),
        ("1/8/18, 6:14 PM", datetime.date(2018, 1, 8)),
        ("12/31/19, 11:59 PM", datetime.date(2019, 12, 31)),
        ("2024-03-12", datetime.date(2024, 3, 12)),
        ("sometime", None),
        ("99/99/99", None),
    ],
)
def test_connected_on_reads_every_style_linkedin_and_excel_write(text, day):
    assert connected_on(text) == day


def test_an_unreadable_connected_on_never_refuses_the_row():
    data = (
        b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
        b"Ana,Silva,,Mayo Clinic,Attending,last spring\n"
    )
    parsed = read_file(data)
    assert parsed.errors == [] and parsed.rows[0].how_met == "LinkedIn"


def test_utf16_tab_separated_spreadsheets_are_read_too():
    text = "name\temail\trole\r\nDr. Ana Silva\tana@example.edu\tPD\r\n"
    for encoding, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        parsed = read_file(bom + text.encode(encoding))
        assert parsed.format == Format.CSV
        assert [(r.name, r.email, r.role) for r in parsed.rows] == [
            ("Dr. Ana Silva", "ana@example.edu", "program_director")
        ]


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_contacts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_command_says_how_many_blank_rows_it_skipped(student):
    out, _err = run(str(SAMPLES / "linkedin_2026_Connections.csv"), "--student", student.email)
    assert "Skipped (22):\n  lines 5, 86, 94," in out
    assert "654 to create, 0 matching contacts you have, 0 with errors, 22 skipped." in out
    assert "Added 654 contacts." in out
    assert Contact.objects.filter(owner=student).count() == 654


@pytest.mark.django_db
def test_skip_errors_imports_the_good_rows_and_lists_the_others(student):
    bad = str(FIXTURES / "bad_rows.csv")
    with pytest.raises(CommandError, match=r"--skip-errors imports the other rows"):
        run(bad, "--student", student.email)
    assert not Contact.objects.exists()
    out, err = run(bad, "--student", student.email, "--skip-errors")
    assert "4 rows with errors: left out (--skip-errors)." in out
    assert "line 5, role: “wizard” is not a role we know" in err
    assert "Added 1 contact, logged 1 last contact, left out 4 rows with errors." in out
    assert list(Contact.objects.filter(owner=student).values_list("name", flat=True)) == [
        "Dr. Lena Okafor"
    ]


def upload(client, path: Path):
    response = client.post(
        reverse("contacts:import_start"),
        {"file": SimpleUploadedFile(path.name, path.read_bytes()), "format": ""},
    )
    assert response.status_code == 302, response.content[:500]
    return client.get(response["Location"]), response["Location"]


@pytest.mark.django_db
def test_the_preview_offers_to_import_the_good_rows_and_skip_the_listed(student_client, student):
    response, url = upload(student_client, FIXTURES / "bad_rows.csv")
    page = response.content.decode()
    assert "These 4 rows have errors" in page
    assert "Upload a corrected file" in page
    assert "Import the 1 good row, skip the 4 listed</button>" in page
    # Without the choice, still all or nothing.
    assert student_client.post(url + "confirm/", {}).status_code == 400
    assert not Contact.objects.exists()
    done = student_client.post(url + "confirm/", {"skip_errors": "1"})
    assert done.status_code == 302
    assert Contact.objects.filter(owner=student).count() == 1
    page = student_client.get(done["Location"]).content.decode()
    assert "Added 1 contact, logged 1 last contact, left out 4 rows with errors." in page


@pytest.mark.django_db
def test_the_preview_of_a_2026_export_says_what_it_skipped(student_client, student):
    response, url = upload(student_client, SAMPLES / "linkedin_2026_Connections.csv")
    page = response.content.decode()
    assert "654 new, 0 already in your contacts." in page
    assert "Skipped 22 rows (lines 5, 86," in page and "LinkedIn leaves a connection" in page
    assert "rows have errors" not in page and 'type="submit">Import<' in page
    student_client.post(url + "confirm/", {})
    assert Contact.objects.filter(owner=student).count() == 654
