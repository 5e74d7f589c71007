"""Everything a student keeps as a zip of CSV files, or one Excel workbook (`workbook`, a
sheet per CSV). The CSVs open cleanly in Excel and Google Sheets: UTF-8 with a byte-order mark
(so Excel reads the accents), ISO dates, slugs for the vocabulary, and every cell that a
spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return)
neutralised with a leading apostrophe.

contacts.csv starts with the import template's columns, so it can be imported again."""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable

import openpyxl
from django.db.models import Max
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from .fields import CSV_COLUMNS, RecordField
from .models import Contact, Institution, Interaction, LetterRequest, Rotation, TeamMember

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """One value as a spreadsheet cell that is only ever text or a number, never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# contacts.csv's columns (contacts.fields: the import template's, then the others).
CONTACT_COLUMNS = [str(column.csv_column) for column in CSV_COLUMNS]


def _contact_cell(contact: Contact, column: RecordField):
    if column.model is Institution:
        return getattr(contact.institution, column.name) if contact.institution else ""
    if column.name == "last_contact_on":
        # The latest interaction's date, read here rather than the stored copy, which the
        # services keep but records written around them may not have.
        return contact.last_contact
    return getattr(contact, column.name)


def contacts_table(owner) -> tuple[list[str], Iterable[list]]:
    contacts = (
        Contact.objects.filter(owner=owner)
        .select_related("institution")
        .annotate(last_contact=Max("interactions__date"))
        .order_by("name", "pk")
    )
    return (
        CONTACT_COLUMNS,
        ([_contact_cell(c, column) for column in CSV_COLUMNS] for c in contacts),
    )


def rotations_table(owner) -> tuple[list[str], Iterable[list]]:
    rotations = Rotation.objects.filter(owner=owner).select_related("institution")
    teams: dict[int, list[str]] = {}
    for member in TeamMember.objects.filter(rotation__owner=owner).select_related("contact"):
        teams.setdefault(member.rotation_id, []).append(
            f"{member.contact.name} ({member.weeks_together} wk)"
        )
    return (
        ["name", "specialty", "kind", "institution", "start", "end", "team"],
        (
            [
                r.name,
                r.specialty,
                r.kind,
                r.institution.name if r.institution else "",
                r.start,
                r.end,
                teams.get(r.pk, []),
            ]  # fmt: skip
            for r in rotations
        ),
    )


def team_table(owner) -> tuple[list[str], Iterable[list]]:
    members = (
        TeamMember.objects.filter(rotation__owner=owner)
        .select_related("rotation", "contact")
        .order_by("rotation__start", "rotation__name", "contact__name")
    )
    return (
        ["rotation", "rotation start", "contact", "contact email", "weeks together"],
        (
            [m.rotation.name, m.rotation.start, m.contact.name, m.contact.email, m.weeks_together]
            for m in members
        ),
    )


def interactions_table(owner) -> tuple[list[str], Iterable[list]]:
    interactions = (
        Interaction.objects.filter(owner=owner).select_related("contact").order_by("date", "pk")
    )
    return (
        [
            "date",
            "contact",
            "contact email",
            "kind",
            "direction",
            "context",
            "summary",
            "follow up by",
        ],  # fmt: skip
        (
            [
                i.date,
                i.contact.name,
                i.contact.email,
                i.kind,
                i.direction,
                i.context,
                i.summary,
                i.follow_up_by,
            ]  # fmt: skip
            for i in interactions
        ),
    )


def letters_table(owner) -> tuple[list[str], Iterable[list]]:
    letters = LetterRequest.objects.filter(owner=owner).select_related("writer")
    dates = ["asked_on", "agreed_on", "declined_on", "materials_sent_on", "submitted_on",
             "thanked_on"]  # fmt: skip
    return (
        [
            "writer",
            "purpose",
            "specialty",
            "programs",
            "due",
            "status",
            *[name.replace("_", " ") for name in dates],
            "materials",
            "notes",
        ],  # fmt: skip
        (
            [
                letter.writer.name,
                letter.purpose,
                letter.specialty,
                letter.programs,
                letter.due,
                letter.status,
                *[getattr(letter, name) for name in dates],
                letter.materials,
                letter.notes,
            ]  # fmt: skip
            for letter in letters
        ),
    )


# The tables, in order: contacts.csv and the "contacts" sheet, and so on.
TABLES = (
    ("contacts", contacts_table),
    ("rotations", rotations_table),
    ("team", team_table),
    ("interactions", interactions_table),
    ("letters", letters_table),
)


def csv_zip(owner) -> bytes:
    """contacts.csv, rotations.csv, team.csv, interactions.csv and letters.csv, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in TABLES:
            archive.writestr(f"{name}.csv", _csv(*table(owner)))
    return buffer.getvalue()


def xlsx_value(value):
    """One value as a workbook cell: dates as dates, numbers as numbers, the rest as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date | int | float):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)


def workbook(owner) -> bytes:
    """The same tables as the CSV zip, one sheet each, as an Excel workbook (.xlsx): no text
    encoding to guess (LibreOffice reads a CSV's UTF-8 as Latin-1), dates as real dates, and
    every text cell stored as text, so "=1+1" or "@SUM(…)" is shown, never run."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for name, table in TABLES:
        sheet = book.create_sheet(name)
        header, rows = table(owner)
        sheet.append(header)
        for header_cell in sheet[1]:
            header_cell.font = bold
        for row in rows:
            sheet.append([xlsx_value(value) for value in row])
            for written in sheet[sheet.max_row]:
                if isinstance(written.value, str):
                    # openpyxl stores a string starting with "=" as a formula: keep it text.
                    written.data_type = TYPE_STRING
                elif isinstance(written.value, datetime.date):
                    written.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        for column, title in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(1, column).column_letter].width = max(
                12, min(40, len(title) + 4)
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
