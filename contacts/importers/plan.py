"""The import plan: which rows create a contact, which match one the student has (same email,
or same name and institution), what a merge would add, and the rows in error. Reads the
student's contacts in one query and the interactions on the file's dates in one more."""

import dataclasses
import datetime
import re
from collections.abc import Mapping

from ..fields import APPENDED, FILLED_IF_BLANK, IMPORTED_TEXT
from ..models import Contact, Interaction
from ..vocabulary import Role
from .rows import ImportRow, ParsedFile, RowError

CREATE, MERGE, SKIP = "create", "merge", "skip"


def name_key(name: str) -> str:
    """ "Dr.  Lena Okafor, MD" and "lena okafor" match."""
    words = re.sub(r"[.,]", " ", name.casefold()).split()
    while words and words[0] in ("dr", "prof", "professor", "mr", "ms", "mrs", "mx"):
        words = words[1:]
    while words and words[-1] in ("md", "do", "phd", "mph", "facp", "rn", "np", "pa"):
        words = words[:-1]
    return " ".join(words)


def institution_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclasses.dataclass(frozen=True)
class ExistingContact:
    id: int
    institution_id: int | None
    institution: str
    # The contact's text that a row can bring (contacts.fields IMPORTED_TEXT), by field name:
    # matched on (name, email), filled in or added to by a merge.
    text: Mapping[str, str] = dataclasses.field(hash=False)

    @property
    def name(self) -> str:
        return self.text["name"]

    @property
    def email(self) -> str:
        return self.text["email"]


@dataclasses.dataclass
class PlannedRow:
    row: ImportRow
    action: str  # CREATE or MERGE (a match)
    contact: ExistingContact | None = None
    matched_by: str = ""
    adds: tuple[str, ...] = ()  # what a merge would fill in, in words
    new_interaction: bool = False

    @property
    def line(self) -> int:
        return self.row.line


@dataclasses.dataclass
class ImportPlan:
    format: str
    creates: list[PlannedRow]
    matches: list[PlannedRow]
    errors: list[RowError]
    # Left out by the reader, not by a mistake in the file (ParsedFile.skipped).
    skipped: list[RowError] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def skipped_by_reason(self) -> list[tuple[str, list[int]]]:
        """The rows the reader left out, grouped: (reason, line numbers)."""
        by_reason: dict[str, list[int]] = {}
        for skipped in self.skipped:
            by_reason.setdefault(skipped.message, []).append(skipped.line)
        return list(by_reason.items())

    @property
    def error_rows(self) -> int:
        """How many rows have errors (a row may have several)."""
        return len({error.line for error in self.errors})

    @property
    def rows(self) -> list[PlannedRow]:
        return sorted(self.creates + self.matches, key=lambda planned: planned.line)

    def summary(self) -> str:
        text = (
            f"{len(self.creates)} to create, {len(self.matches)} matching contacts you have, "
            f"{len(self.errors)} with errors"
        )
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        return text


_TEXT = [field.name for field in IMPORTED_TEXT if field.model is Contact]


def _existing(owner) -> list[ExistingContact]:
    rows = Contact.objects.filter(owner=owner).values_list(
        "id", "institution_id", "institution__name", *_TEXT
    )
    return [
        ExistingContact(
            contact_id, institution_id, institution or "", dict(zip(_TEXT, text, strict=True))
        )
        for contact_id, institution_id, institution, *text in rows
    ]


def plan_import(owner, parsed: ParsedFile, today: datetime.date) -> ImportPlan:
    errors = list(parsed.errors)
    by_email: dict[str, ExistingContact] = {}
    by_name: dict[tuple[str, str], ExistingContact] = {}
    # By name alone, where one side has no institution: a contact the student saved without
    # one, or a row without one that names exactly one contact.
    by_bare_name: dict[str, list[ExistingContact]] = {}
    for contact in _existing(owner):
        if contact.email:
            by_email.setdefault(contact.email.casefold(), contact)
        by_name.setdefault((name_key(contact.name), institution_key(contact.institution)), contact)
        by_bare_name.setdefault(name_key(contact.name), []).append(contact)

    seen_email: dict[str, int] = {}
    seen_name: dict[tuple[str, str], int] = {}
    creates, matches = [], []
    for row in parsed.rows:
        key = (name_key(row.name), institution_key(row.institution))
        if row.email and row.email in seen_email:
            errors.append(RowError(row.line, f"repeats line {seen_email[row.email]} (same email)."))
            continue
        if key in seen_name:
            errors.append(
                RowError(row.line, f"repeats line {seen_name[key]} (same name and institution).")
            )
            continue
        if row.last_contact and row.last_contact > today:
            errors.append(
                RowError(
                    row.line,
                    f"{row.last_contact.isoformat()} is after today; a last contact has happened.",
                    "last contact",
                )
            )
            continue
        if row.email:
            seen_email[row.email] = row.line
        seen_name[key] = row.line
        contact = by_email.get(row.email) if row.email else None
        matched_by = "email" if contact else ""
        if contact is None and (contact := by_name.get(key)):
            matched_by = "name and institution" if row.institution else "name"
        if contact is None:
            namesakes = by_bare_name.get(key[0], [])
            without_institution = [found for found in namesakes if not found.institution]
            if without_institution:
                contact, matched_by = without_institution[0], "name"
            elif not row.institution and len(namesakes) == 1:
                contact, matched_by = namesakes[0], "name"
        if contact is None:
            creates.append(
                PlannedRow(row=row, action=CREATE, new_interaction=bool(row.last_contact))
            )
        else:
            matches.append(
                PlannedRow(row=row, action=MERGE, contact=contact, matched_by=matched_by)
            )
    errors.sort(key=lambda error: error.line)
    _describe_merges(owner, matches)
    return ImportPlan(parsed.format, creates, matches, errors, list(parsed.skipped))


def _describe_merges(owner, matches: list[PlannedRow]) -> None:
    dates = {planned.row.last_contact for planned in matches if planned.row.last_contact}
    logged = set()
    if dates:
        logged = set(
            Interaction.objects.filter(owner=owner, date__in=dates).values_list(
                "contact_id", "date", "kind"
            )
        )
    for planned in matches:
        row, contact = planned.row, planned.contact
        adds = [
            field.label
            for field in FILLED_IF_BLANK
            if getattr(row, field.name) and not contact.text[field.name]
        ]
        if row.institution and not contact.institution_id:
            adds.append("institution")
        adds += [
            field.label
            for field in APPENDED
            if getattr(row, field.name) and getattr(row, field.name) not in contact.text[field.name]
        ]
        if row.last_contact and (contact.id, row.last_contact, row.last_contact_kind) not in logged:
            planned.new_interaction = True
            adds.append(f"last contact {row.last_contact.isoformat()}")
        planned.adds = tuple(adds)


@dataclasses.dataclass
class Choices:
    """What the student chose in the preview: per line, skip or not, and a role."""

    skip: set[int] = dataclasses.field(default_factory=set)
    roles: dict[int, str] = dataclasses.field(default_factory=dict)


def choices_from_post(plan: ImportPlan, data: Mapping[str, str]) -> tuple[Choices, list[str]]:
    """Read `choice-<line>` (create|merge|skip) and `role-<line>` (a role slug) for the plan's
    rows; anything else in the post is ignored. Returns the choices and what was wrong."""
    choices, problems = Choices(), []
    for planned in plan.rows:
        choice = data.get(f"choice-{planned.line}", planned.action)
        if choice == SKIP:
            choices.skip.add(planned.line)
        elif choice != planned.action:
            problems.append(f"Line {planned.line}: choose {planned.action} or skip.")
        if planned.action == CREATE and (role := data.get(f"role-{planned.line}")):
            if role not in Role.values:
                problems.append(f"Line {planned.line}: “{role}” is not a role.")
            else:
                choices.roles[planned.line] = role
    return choices, problems
