"""The CSV zip: read back with `csv`, UTF-8 with a BOM, ISO dates, formula cells neutralised,
the student's own records only, and contacts.csv imports again as it is."""

import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from contacts.exports import cell
from contacts.importers import plan_import, read_file
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    LetterRequestFactory,
    RotationFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db


def read_zip(response) -> dict[str, list[dict]]:
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    tables = {}
    for name in archive.namelist():
        raw = archive.read(name)
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no BOM"
        tables[name] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return tables


def test_the_zip_holds_every_record_as_csv(student_client, student, other_student):
    lena = ContactFactory(owner=student, name="Dr. Lena Okafor", email="lena@example.edu",
                          notes="Loves café talk", tags=["mentor", "IM"])  # fmt: skip
    ContactFactory(owner=other_student, name="Not Mine")
    rotation = RotationFactory(owner=student, name="Medicine sub-I")
    TeamMemberFactory(rotation=rotation, contact=lena, weeks_together=4)
    InteractionFactory(owner=student, contact=lena, date=datetime.date(2027, 7, 10), kind="meeting")
    LetterRequestFactory(owner=student, writer=lena, due=datetime.date(2027, 9, 15),
                         status="agreed", programs=["Lakeside IM", "Northshore IM"])  # fmt: skip
    tables = read_zip(student_client.get(reverse("contacts:export_csv")))
    assert sorted(tables) == [
        "contacts.csv", "interactions.csv", "letters.csv", "rotations.csv", "team.csv"
    ]  # fmt: skip
    (contact,) = tables["contacts.csv"]
    assert contact["name"] == "Dr. Lena Okafor" and contact["role"] == "faculty"
    assert contact["notes"] == "Loves café talk" and contact["tags"] == "mentor; IM"
    assert contact["last contact"] == "2027-07-10"
    (rotation_row,) = tables["rotations.csv"]
    assert (rotation_row["start"], rotation_row["end"]) == ("2027-07-01", "2027-07-28")
    assert rotation_row["team"] == "Dr. Lena Okafor (4 wk)"
    assert tables["team.csv"][0]["weeks together"] == "4"
    assert tables["interactions.csv"][0]["date"] == "2027-07-10"
    letter = tables["letters.csv"][0]
    assert (letter["due"], letter["status"], letter["programs"]) == (
        "2027-09-15", "agreed", "Lakeside IM; Northshore IM"
    )  # fmt: skip


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_would_run_as_a_formula_is_neutralised(start):
    assert cell(f'{start}HYPERLINK("http://evil")') == f'\'{start}HYPERLINK("http://evil")'


def test_formula_cells_are_neutralised_in_the_zip(student_client, student):
    ContactFactory(owner=student, name="=cmd|' /C calc'!A0", how_met="@SUM(1+1)",
                   notes="+1 555 0100", specialty="-2+3")  # fmt: skip
    (row,) = read_zip(student_client.get(reverse("contacts:export_csv")))["contacts.csv"]
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["how met"] == "'@SUM(1+1)"
    assert row["notes"] == "'+1 555 0100"
    assert row["specialty"] == "'-2+3"


def test_an_exported_contacts_csv_imports_again_matching_everyone(student_client, student):
    ContactFactory(owner=student, name="Dr. Lena Okafor", email="lena@example.edu", how_met="=odd")
    ContactFactory(owner=student, name="Tom Reyes", email="", role="chief_resident")
    archive = zipfile.ZipFile(
        io.BytesIO(student_client.get(reverse("contacts:export_csv")).content)
    )
    plan = plan_import(student, read_file(archive.read("contacts.csv")), datetime.date(2027, 8, 1))
    assert plan.errors == [] and plan.creates == []
    assert sorted(planned.row.name for planned in plan.matches) == ["Dr. Lena Okafor", "Tom Reyes"]
    assert all(planned.adds == () for planned in plan.matches)  # nothing new, not even "=odd"
