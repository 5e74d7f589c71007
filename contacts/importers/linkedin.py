"""LinkedIn's connections export (`Connections.csv`): a few "Notes:" lines above the header
`First Name,Last Name,URL,Email Address,Company,Position,Connected On`, often with a BOM.
Company becomes the institution, Position gives a role guess (shown as a guess), the profile
URL goes into the notes, and "Connected On" into how you met.

Real exports as they come: older ones have no URL column; "Connected On" is "06 Sep 2025"
(today), "23-Apr-23" (re-saved by Excel) or "1/8/18, 6:14 PM" (2018), and is never a reason to
refuse a row (it only feeds "how met"); LinkedIn writes rows with every field blank but
"Connected On" for connections who hide their details, which are skipped and counted; Excel's
"Unicode Text" re-save is UTF-16 and tab-separated (text.decode, spreadsheet.records)."""

import datetime

from dateutil import parser as dateutil_parser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .roles import guess_role, normalise
from .rows import Format, ImportFileError, ImportRow, ParsedFile, RowError, check_lengths
from .spreadsheet import check_row_count, records
from .text import parse_date

REQUIRED = ("first name", "last name")
SKIPPED_BLANK = "has no name: LinkedIn leaves a connection blank when they hide their details."
# dateutil fills what a date leaves out from this, never from today.
_DEFAULT = datetime.datetime(2000, 1, 1)


def connected_on(text: str) -> datetime.date | None:
    """ "06 Sep 2025", "23-Apr-23", "5-Jan-26", "1/8/18, 6:14 PM" (US month first, as LinkedIn
    writes it), or None when it is none of these."""
    date = parse_date(text)
    if date is None:
        try:
            date = dateutil_parser.parse(text, default=_DEFAULT).date()
        except (ValueError, OverflowError):
            return None
    return date if 1990 <= date.year <= 2100 else None


LABELS = {"name": "First Name / Last Name", "institution": "Company", "email": "Email Address"}


def looks_like_linkedin(text: str) -> bool:
    head = [normalise(line) for line in text[:4096].split("\n")[:12]]
    return bool(head) and (
        head[0].startswith("notes") or any(line.startswith("first name last name") for line in head)
    )


def parse(text: str) -> ParsedFile:
    all_records = list(records(text))
    header_at = next(
        (
            index
            for index, (_line, cells) in enumerate(all_records)
            if {normalise(cell) for cell in cells} >= set(REQUIRED)
        ),
        None,
    )
    if header_at is None:
        raise ImportFileError(
            "This is not a LinkedIn connections export: there is no header row with "
            "“First Name,Last Name,URL,Email Address,Company,Position,Connected On”."
        )
    header_line, header = all_records[header_at]
    columns = {normalise(cell): index for index, cell in enumerate(header)}
    data = [
        (line, cells)
        for line, cells in all_records[header_at + 1 :]
        if any(c.strip() for c in cells)
    ]
    if not data:
        raise ImportFileError("This file has only its header row: there is nobody to import.")
    check_row_count(len(data))
    rows, errors, skipped = [], [], []
    for line, cells in data:

        def cell(name: str, cells=cells) -> str:
            index = columns.get(name)
            return (
                " ".join(cells[index].split()) if index is not None and index < len(cells) else ""
            )

        before = len(errors)
        name = " ".join(part for part in (cell("first name"), cell("last name")) if part)
        row = ImportRow(line=line, name=name, institution=cell("company"), how_met="LinkedIn")
        if not name:
            skipped.append(RowError(line, SKIPPED_BLANK, LABELS["name"]))
            continue
        if email := cell("email address").lower():
            try:
                validate_email(email)
                row.email = email
            except ValidationError:
                errors.append(
                    RowError(line, f"“{email}” is not an email address.", "Email Address")
                )
        position = cell("position")
        row.role, row.role_guessed = guess_role(position), True
        if (connected := cell("connected on")) and (date := connected_on(connected)):
            row.how_met = f"Connected on LinkedIn {date.isoformat()}"
        notes = []
        if position:
            notes.append(f"Position: {position}")
        if url := cell("url"):
            notes.append(f"LinkedIn: {url}")
        row.notes = "\n".join(notes)
        check_lengths(row, errors, LABELS)
        if len(errors) == before:
            rows.append(row)
    del header_line
    return ParsedFile(Format.LINKEDIN, rows, errors, skipped)
