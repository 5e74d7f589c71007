"""Everything a student keeps as a zip of CSV files that open cleanly in Excel and Google
Sheets: UTF-8 with a byte-order mark (so Excel reads the accents), ISO dates, slugs for the
vocabulary, and every cell that a spreadsheet would run as a formula (starting with =, +, -,
@, a tab or a carriage return) neutralised with a leading apostrophe.

contacts.csv starts with the import template's columns, so it can be imported again."""

import csv
import datetime
import io
import zipfile

from django.db.models import Max

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


def contacts_csv(owner) -> bytes:
    contacts = (
        Contact.objects.filter(owner=owner)
        .select_related("institution")
        .annotate(last_contact=Max("interactions__date"))
        .order_by("name", "pk")
    )
    return _csv(
        CONTACT_COLUMNS,
        ([_contact_cell(c, column) for column in CSV_COLUMNS] for c in contacts),
    )


def rotations_csv(owner) -> bytes:
    rotations = Rotation.objects.filter(owner=owner).select_related("institution")
    teams: dict[int, list[str]] = {}
    for member in TeamMember.objects.filter(rotation__owner=owner).select_related("contact"):
        teams.setdefault(member.rotation_id, []).append(
            f"{member.contact.name} ({member.weeks_together} wk)"
        )
    return _csv(
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


def team_csv(owner) -> bytes:
    members = (
        TeamMember.objects.filter(rotation__owner=owner)
        .select_related("rotation", "contact")
        .order_by("rotation__start", "rotation__name", "contact__name")
    )
    return _csv(
        ["rotation", "rotation start", "contact", "contact email", "weeks together"],
        (
            [m.rotation.name, m.rotation.start, m.contact.name, m.contact.email, m.weeks_together]
            for m in members
        ),
    )


def interactions_csv(owner) -> bytes:
    interactions = (
        Interaction.objects.filter(owner=owner).select_related("contact").order_by("date", "pk")
    )
    return _csv(
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


def letters_csv(owner) -> bytes:
    letters = LetterRequest.objects.filter(owner=owner).select_related("writer")
    dates = ["asked_on", "agreed_on", "declined_on", "materials_sent_on", "submitted_on",
             "thanked_on"]  # fmt: skip
    return _csv(
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


def csv_zip(owner) -> bytes:
    """contacts.csv, rotations.csv, team.csv, interactions.csv and letters.csv, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, build in (
            ("contacts.csv", contacts_csv),
            ("rotations.csv", rotations_csv),
            ("team.csv", team_csv),
            ("interactions.csv", interactions_csv),
            ("letters.csv", letters_csv),
        ):
            archive.writestr(name, build(owner))
    return buffer.getvalue()
