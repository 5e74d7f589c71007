"""A CSV spreadsheet (Excel, Google Sheets, Numbers): one contact a row, headed by columns
matched case- and space-insensitively. The downloadable template has exactly these columns."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .. import fields
from .roles import ACCEPTED_ROLE_WORDS, normalise, parse_interaction_kind, parse_role
from .rows import (
    MAX_ROWS,
    Format,
    ImportFileError,
    ImportRow,
    ParsedFile,
    RowError,
    check_lengths,
)
from .text import DATE_HINT, parse_date

# The template's columns, and the optional columns read when present (contacts.fields).
TEMPLATE_COLUMNS = fields.TEMPLATE_COLUMNS
# Not a contact's field: the kind of interaction the "last contact" date is logged as.
LAST_CONTACT_KIND = "last contact kind"
_OPTIONAL_COLUMNS = (
    *(str(f.csv_column) for f in fields.columns() if f.imported is fields.Imported.OPTIONAL),
    LAST_CONTACT_KIND,
)
COLUMNS = {normalise(column): column for column in (*TEMPLATE_COLUMNS, *_OPTIONAL_COLUMNS)}
# Other names people give the same columns.
COLUMNS.update(
    {normalise(alias): str(f.csv_column) for f in fields.columns() for alias in f.aliases}
)
# Columns of our own CSV export (contacts/exports.py) that an import does not read, so an
# exported contacts.csv imports again as it is.
EXPORT_ONLY_COLUMNS = frozenset(
    normalise(str(f.csv_column)) for f in fields.CSV_COLUMNS if f.imported is fields.Imported.NO
)
ACCEPTED_COLUMNS = ", ".join(TEMPLATE_COLUMNS) + f" (and optionally {', '.join(_OPTIONAL_COLUMNS)})"

# column -> ImportRow attribute, for the text taken as it is (role and dates are parsed).
_FIELDS = {str(f.csv_column): f.row_attribute for f in fields.IMPORTED_TEXT}
LABELS = {field: column for column, field in _FIELDS.items()}
# The template's example row, by column.
_EXAMPLE = {
    "name": "Dr. Lena Okafor",
    "email": "lena.okafor@example.edu",
    "role": "attending",
    "specialty": "Internal Medicine",
    "institution": "Lakeside University Hospital",
    "city": "Chicago",
    "state": "IL",
    "how met": "Medicine clerkship",
    "last contact": "2026-03-12",
    "notes": "Offered to read my personal statement",
}


def template_csv() -> str:
    """The template to download: the header and one example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow([_EXAMPLE.get(column, "") for column in TEMPLATE_COLUMNS])
    return "\ufeff" + out.getvalue()


def delimiter_of(text: str) -> str:
    """A tab for tab-separated text (Excel's "Unicode Text" and "Text (Tab delimited)"), a
    comma otherwise: whichever the start of the file holds more of."""
    head = text[:16384]
    return "\t" if head.count("\t") > head.count(",") else ","


def records(text: str):
    """(first line number, cells) for each CSV record, counting lines as an editor does."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text), strict=False)
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(
                f"Line {reader.line_num}: this is not a well-formed CSV file ({error})."
            ) from None
        yield previous_end + 1, cells
        previous_end = reader.line_num


def check_row_count(data_rows: int) -> None:
    if data_rows > MAX_ROWS:
        raise ImportFileError(
            f"This file has {data_rows:,} rows; files up to {MAX_ROWS:,} rows can be imported. "
            "Split it into smaller files and import each."
        )


def parse(text: str) -> ParsedFile:
    all_records = [(line, cells) for line, cells in records(text) if any(c.strip() for c in cells)]
    if not all_records:
        raise ImportFileError("This file is empty.")
    check_row_count(len(all_records) - 1)
    header_line, header = all_records[0]
    columns: dict[int, str] = {}
    for index, cell in enumerate(header):
        if not cell.strip():
            continue
        column = COLUMNS.get(normalise(cell))
        if column is None and normalise(cell) in EXPORT_ONLY_COLUMNS:
            continue
        if column is None:
            raise ImportFileError(
                f"Line {header_line}: the column “{cell.strip()}” is not one we know. "
                f"The columns are: {ACCEPTED_COLUMNS}. Rename or remove it and try again."
            )
        if column in columns.values():
            raise ImportFileError(f"Line {header_line}: the column “{column}” appears twice.")
        columns[index] = column
    if "name" not in columns.values():
        raise ImportFileError(
            f"Line {header_line}: there is no “name” column. The first row should be the "
            f"column names: {ACCEPTED_COLUMNS} (download the template to see one)."
        )
    if len(all_records) == 1:
        raise ImportFileError("This file has only its header row: there is nobody to import.")
    rows, errors = [], []
    for line, cells in all_records[1:]:
        values = {column: "" for column in columns.values()}
        for index, cell in enumerate(cells):
            if index in columns:
                column = columns[index]
                value = cell.strip() if column == "notes" else " ".join(cell.split())
                values[column] = _unneutralised(value)
            elif cell.strip() and (index >= len(header) or not header[index].strip()):
                errors.append(
                    RowError(line, f"has a value in column {index + 1}, which has no header.")
                )
        row = _row(line, values, errors)
        if row is not None:
            rows.append(row)
    return ParsedFile(Format.CSV, rows, errors)


def _unneutralised(value: str) -> str:
    """Our export writes '=… for a cell starting with a formula character: read it back as =…"""
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def _row(line: int, values: dict[str, str], errors: list[RowError]) -> ImportRow | None:
    before = len(errors)
    row = ImportRow(line=line, name=values["name"])
    for column, field in _FIELDS.items():
        if column in values:
            setattr(row, field, values[column])
    if not row.name:
        errors.append(RowError(line, "is empty; every row needs a name.", "name"))
    if row.email:
        row.email = row.email.lower()
        try:
            validate_email(row.email)
        except ValidationError:
            errors.append(RowError(line, f"“{row.email}” is not an email address.", "email"))
    role_text = values.get("role", "")
    if role_text:
        role = parse_role(role_text)
        if role is None:
            errors.append(
                RowError(
                    line, f"“{role_text}” is not a role we know; use {ACCEPTED_ROLE_WORDS}.", "role"
                )
            )
        else:
            row.role = role
    else:
        # A blank role: the template's people are mentors, so an attending until changed.
        row.role, row.role_guessed = parse_role("faculty"), True
    if date_text := values.get("last contact", ""):
        row.last_contact = parse_date(date_text)
        if row.last_contact is None:
            errors.append(
                RowError(line, f"“{date_text}” is not a date; use {DATE_HINT}.", "last contact")
            )
    if kind_text := values.get(LAST_CONTACT_KIND, ""):
        kind = parse_interaction_kind(kind_text)
        if kind is None:
            errors.append(
                RowError(
                    line,
                    f"“{kind_text}” is not a kind of interaction; use email, meeting, call, "
                    "feedback, update, thank-you, conference, worked together or letter.",
                    LAST_CONTACT_KIND,
                )
            )
        else:
            row.last_contact_kind = kind
    check_lengths(row, errors, LABELS)
    return row if len(errors) == before else None
