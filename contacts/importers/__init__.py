"""Bring a network in: a CSV spreadsheet, LinkedIn's Connections.csv or a phone's vCard file.

    parsed = read_file(data)                  # bytes -> ParsedFile (rows + row errors), pure
    plan = plan_import(owner, parsed, today)  # which rows create, which match (one query or two)
    result = apply_plan(owner=owner, plan=plan, choices=...)  # one transaction, bulk writes

`read_file` refuses a whole file (ImportFileError) before parsing when it is too big, empty,
binary or has the wrong columns; everything else is a per-row error with its line number.
"""

from .apply import ImportResult, apply_plan
from .plan import ImportPlan, PlannedRow, choices_from_post, plan_import
from .rows import MAX_BYTES, MAX_ROWS, Format, ImportFileError, ImportRow, ParsedFile, RowError
from .text import decode

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "Format",
    "ImportFileError",
    "ImportPlan",
    "ImportResult",
    "ImportRow",
    "ParsedFile",
    "PlannedRow",
    "RowError",
    "apply_plan",
    "choices_from_post",
    "guess_format",
    "plan_import",
    "read_file",
]


def guess_format(text: str) -> str:
    from . import linkedin, vcard

    if vcard.looks_like_vcard(text):
        return Format.VCARD
    if linkedin.looks_like_linkedin(text):
        return Format.LINKEDIN
    return Format.CSV


def read_file(data: bytes, format: str | None = None) -> ParsedFile:
    """Parse an uploaded file of any of the three formats (guessed from its content when
    `format` is None). Never raises anything but ImportFileError."""
    from . import linkedin, spreadsheet, vcard

    text = decode(data)
    if not text.strip("\ufeff \n\t"):
        raise ImportFileError("This file is empty.")
    chosen = format or guess_format(text)
    parser = {Format.CSV: spreadsheet, Format.LINKEDIN: linkedin, Format.VCARD: vcard}.get(chosen)
    if parser is None:
        raise ImportFileError(f"“{chosen}” is not a format we import: use csv, linkedin or vcard.")
    if chosen == Format.CSV and vcard.looks_like_vcard(text):
        raise ImportFileError("This is a vCard file, not a spreadsheet: import it as vCard.")
    if chosen == Format.VCARD and not vcard.looks_like_vcard(text):
        raise ImportFileError("This is not a vCard file: it does not start with BEGIN:VCARD.")
    return parser.parse(text)
