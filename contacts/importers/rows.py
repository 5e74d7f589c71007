"""The common row model every parser produces, and the errors it reports.

A parser turns a file into `ParsedFile`: rows in the shape of a contact (with the file's line
number) and row errors (line, field, what was expected). Refusing the whole file (too big, not
text, no name column) is `ImportFileError`. Nothing here touches the database."""

import dataclasses
import datetime

from ..fields import IMPORTED_TEXT
from ..vocabulary import InteractionKind

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024


class Format:
    CSV = "csv"
    LINKEDIN = "linkedin"
    VCARD = "vcard"
    ALL = (CSV, LINKEDIN, VCARD)
    WORDS = {CSV: "a CSV spreadsheet", LINKEDIN: "LinkedIn connections", VCARD: "vCard contacts"}


class ImportFileError(Exception):
    """The whole file is refused, before any row is looked at; the message says why."""


@dataclasses.dataclass
class ImportRow:
    line: int
    name: str
    email: str = ""
    phone: str = ""
    role: str = ""
    role_guessed: bool = False
    # Where the name came from when the record had none (a vCard's email or organisation).
    name_from: str = ""
    specialty: str = ""
    institution: str = ""
    city: str = ""
    state: str = ""
    how_met: str = ""
    last_contact: datetime.date | None = None
    last_contact_kind: str = InteractionKind.EMAIL
    notes: str = ""


@dataclasses.dataclass(frozen=True)
class RowError:
    line: int
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclasses.dataclass
class ParsedFile:
    format: str
    rows: list[ImportRow]
    errors: list[RowError]
    # Records the reader left out on purpose, with why: not the student's mistake (LinkedIn's
    # rows with every field blank but "Connected On", a vCard with nothing in it).
    skipped: list[RowError] = dataclasses.field(default_factory=list)


# The lengths of the text a row brings (the contact's and its institution's), from the models,
# so a parser can refuse what the database would.
FIELD_LIMITS: dict[str, int] = {
    field.row_attribute: field.max_length for field in IMPORTED_TEXT if field.max_length is not None
}


def check_lengths(row: ImportRow, errors: list[RowError], labels: dict[str, str]) -> bool:
    ok = True
    for field, limit in FIELD_LIMITS.items():
        value = getattr(row, field)
        if len(value) > limit:
            errors.append(
                RowError(
                    row.line,
                    f"is {len(value)} characters long; at most {limit} fit.",
                    labels.get(field, field.replace("_", " ")),
                )
            )
            ok = False
    return ok
