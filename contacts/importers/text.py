"""From uploaded bytes to text: the size limit, binary refusal, UTF-8 (with or without a BOM),
UTF-16 with its BOM (Excel's "Unicode Text") or Windows-1252, and the dates people type in
spreadsheets."""

import datetime
import re

from .rows import MAX_BYTES, ImportFileError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """The file's text, or ImportFileError saying why it is not a text file we can read."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"This file is {len(data) / 1024 / 1024:.1f} MB; files up to 5 MB can be imported. "
            "Split it into smaller files and import each."
        )
    if not data.strip():
        raise ImportFileError("This file is empty.")
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "This looks like an Excel or Numbers workbook. Save it as CSV "
            "(File → Save As → CSV UTF-8) and import that."
        )
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            # Excel's "Unicode Text" (tab-separated) and some phones' vCards: UTF-16 with a BOM.
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportFileError(
                "This file says it is UTF-16 text but is not; save it as CSV UTF-8 and try again."
            ) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(
                "This is not a text file we can read. Import a CSV spreadsheet (UTF-8 or "
                "Windows-1252), a LinkedIn Connections.csv or a vCard (.vcf) file."
            ) from None
    # Binary junk decodes as Windows-1252 too; text files do not hold control characters.
    if len(_CONTROL.findall(text[:65536])) > 0:
        raise ImportFileError(
            "This is not a text file: it holds binary data. "
            "Import a CSV spreadsheet, a LinkedIn Connections.csv or a vCard (.vcf) file."
        )
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

DATE_HINT = "a date such as 2024-03-12, 3/12/2024 or 12 Mar 2024"


def parse_date(value: str) -> datetime.date | None:
    """ISO, US month/day/year (as Excel and Sheets write them), "12 Mar 2024" (LinkedIn),
    "Mar 12, 2024". None when it is none of these or not a real day."""
    text = value.strip().casefold().replace(",", " ")
    try:
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            year, month, day = (int(part) for part in match.groups())
        elif match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text):
            month, day, year = (int(part) for part in match.groups())
            year += 2000 if year < 100 else 0
        elif match := re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", text):
            day, month, year = int(match[1]), _MONTHS.get(match[2], 0), int(match[3])
        elif match := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})\s+(\d{4})", text):
            month, day, year = _MONTHS.get(match[1], 0), int(match[2]), int(match[3])
        else:
            return None
        if not 1900 <= year <= 2100:
            return None
        return datetime.date(year, month, day)
    except ValueError:
        return None
