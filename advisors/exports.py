"""The class export (`/advisor/cohort.csv` and `.xlsx`): one row per student sharing now, from
the same class view the page shows. Never a student's private notes (the rows hold none), and
no red flag's text: only that a shared one is waiting to be told."""

from __future__ import annotations

import csv
import io

from .selectors import ClassView

COLUMNS = [
    "Name",
    "Email",
    "Match year",
    "Specialties",
    "Advocates",
    "Focus",
    "Letters agreed",
    "Letters needed",
    "Next letter due",
    "Last activity",
    "Flags",
]


def class_rows(view: ClassView) -> list[list]:
    rows = []
    for row in view.rows:
        student, standing = row.student, row.standing
        flags = [reason.words for reason in row.reasons]
        flags += [
            f"{item.reason.words} (handled by "
            f"{item.closure.advisor.get_full_name() if item.closure.advisor else 'an advisor'}: "
            f"{item.closure.note})"
            for item in row.handled
        ]
        rows.append(
            [
                student.get_full_name(),
                student.email,
                student.match_year or "",
                ", ".join(student.target_specialties or ()),
                standing.advocates if standing else "",
                ", ".join(standing.focus) if standing else "",
                standing.letters_agreed if standing else "",
                standing.letters_needed if standing else "",
                standing.next_letter_due.isoformat()
                if standing and standing.next_letter_due
                else "",
                row.last_activity.isoformat() if row.last_activity else "",
                "; ".join(flags),
            ]
        )
    return rows


def _safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def as_csv(view: ClassView) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in class_rows(view):
        writer.writerow([_safe(value) for value in row])
    return out.getvalue()


def as_xlsx(view: ClassView) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"Match {view.year}")
    sheet.append(COLUMNS)
    for row in class_rows(view):
        sheet.append([_safe(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
