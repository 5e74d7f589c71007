"""The Excel workbook export, read back with openpyxl: a sheet per CSV of the zip with the same
columns, dates as real dates, numbers as numbers, text as text (a formula-looking value is never
a formula), the student's own records only."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from contacts.exports import CONTACT_COLUMNS
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    LetterRequestFactory,
    RotationFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db


def test_the_workbook_holds_every_record_with_real_dates_and_inert_text(
    student_client, student, other_student
):
    lena = ContactFactory(
        owner=student, name="Dr. Léna Okafor", email="lena@example.edu", tags=["mentor", "IM"],
        notes='=HYPERLINK("http://evil.example","click")',
    )  # fmt: skip
    ContactFactory(owner=student, name="+1 pager", notes="@SUM(A1:A9)", how_met="-2+3")
    ContactFactory(owner=other_student, name="Not Mine")
    rotation = RotationFactory(owner=student, name="Medicine sub-I")
    TeamMemberFactory(rotation=rotation, contact=lena, weeks_together=4)
    InteractionFactory(owner=student, contact=lena, date=datetime.date(2027, 7, 10), kind="meeting")
    LetterRequestFactory(owner=student, writer=lena, due=datetime.date(2027, 9, 15),
                         status="agreed", programs=["Lakeside IM", "Northshore IM"])  # fmt: skip

    response = student_client.get(reverse("contacts:export_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["contacts", "rotations", "team", "interactions", "letters"]

    contacts = book["contacts"]
    assert [c.value for c in contacts[1]] == CONTACT_COLUMNS
    rows = {row[0]: dict(zip(CONTACT_COLUMNS, row, strict=True))
            for row in contacts.iter_rows(min_row=2, values_only=True)}  # fmt: skip
    assert set(rows) == {"Dr. Léna Okafor", "+1 pager"}
    lena_row = rows["Dr. Léna Okafor"]
    assert lena_row["tags"] == "mentor; IM"
    assert lena_row["last contact"] == datetime.datetime(2027, 7, 10)  # a date cell
    # Text that looks like a formula stays text, as typed.
    for row in contacts.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert lena_row["notes"] == '=HYPERLINK("http://evil.example","click")'
    assert rows["+1 pager"]["notes"] == "@SUM(A1:A9)" and rows["+1 pager"]["how met"] == "-2+3"

    (rotation_row,) = book["rotations"].iter_rows(min_row=2, values_only=True)
    assert rotation_row[0] == "Medicine sub-I"
    assert rotation_row[4] == datetime.datetime(2027, 7, 1)
    assert book["rotations"].cell(2, 5).number_format == "yyyy-mm-dd"
    assert rotation_row[6] == "Dr. Léna Okafor (4 wk)"
    (team_row,) = book["team"].iter_rows(min_row=2, values_only=True)
    assert team_row[-1] == 4  # a number
    (interaction,) = book["interactions"].iter_rows(min_row=2, values_only=True)
    assert interaction[0] == datetime.datetime(2027, 7, 10) and interaction[3] == "meeting"
    (letter,) = book["letters"].iter_rows(min_row=2, values_only=True)
    assert letter[3] == "Lakeside IM; Northshore IM"
    assert letter[4] == datetime.datetime(2027, 9, 15) and letter[5] == "agreed"


def test_the_settings_page_offers_the_workbook_beside_the_zip(student_client):
    page = student_client.get(reverse("settings_section", args=["data"])).content.decode()
    assert reverse("contacts:export_xlsx") in page and reverse("contacts:export_csv") in page
    assert "Download a workbook (.xlsx)" in page


def test_only_students_download_a_workbook(advisor_client):
    assert advisor_client.get(reverse("contacts:export_xlsx")).status_code in (302, 403, 404)
