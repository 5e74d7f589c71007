"""Writes an import plan: one transaction, bulk writes (a constant number of queries per batch
of rows, never one per row), and one `records_changed` at the end."""

import dataclasses

from django.db import transaction

from crm.events import records_changed
from crm.phrases import plural

from .. import services
from ..fields import APPENDED, FILLED_IF_BLANK, IMPORTED_TEXT
from ..models import Contact, Institution, Interaction
from ..vocabulary import Direction
from .plan import CREATE, Choices, ImportPlan, PlannedRow, institution_key

BATCH_SIZE = 1_000
IMPORTED_SUMMARY = "Last contact, imported from your {source}"
# A new contact's text, as the row has it (contacts.fields IMPORTED_TEXT).
_TEXT = [field.row_attribute for field in IMPORTED_TEXT if field.model is Contact]
SOURCE_WORDS = {"csv": "spreadsheet", "linkedin": "LinkedIn connections", "vcard": "contacts"}


@dataclasses.dataclass(frozen=True)
class ImportResult:
    created: int
    merged: int
    skipped: int
    interactions: int
    # Rows with errors left out because the student chose to import the good rows only.
    left_out: int = 0

    def summary(self) -> str:
        parts = [f"Added {plural(self.created, 'contact')}"]
        if self.merged:
            parts.append(f"updated {self.merged}")
        if self.skipped:
            parts.append(f"skipped {self.skipped}")
        if self.interactions:
            parts.append(f"logged {plural(self.interactions, 'last contact')}")
        if self.left_out:
            parts.append(f"left out {plural(self.left_out, 'row')} with errors")
        return ", ".join(parts)


def apply_plan(
    *, owner, plan: ImportPlan, choices: Choices | None = None, skip_errors: bool = False
) -> ImportResult:
    """All of the plan or none of it. The caller has checked `plan.ok`, or the student chose
    to import the good rows and leave out the ones in error (`skip_errors`)."""
    if not plan.ok and not skip_errors:
        raise ValueError("An import with errors cannot be applied.")
    choices = choices or Choices()
    chosen = [planned for planned in plan.rows if planned.line not in choices.skip]
    creates = [planned for planned in chosen if planned.action == CREATE]
    merges = [planned for planned in chosen if planned.action != CREATE and planned.adds]
    with transaction.atomic():
        institutions = _institutions(owner, creates + merges)
        new_contacts = Contact.objects.bulk_create(
            [
                Contact(
                    owner=owner,
                    **{name: getattr(planned.row, name) for name in _TEXT},
                    role=choices.roles.get(planned.line, planned.row.role),
                    institution=institutions.get(institution_key(planned.row.institution)),
                )
                for planned in creates
            ],
            batch_size=BATCH_SIZE,
        )
        _merge(owner, merges, institutions)
        contact_ids = [contact.pk for contact in new_contacts] + [
            planned.contact.id for planned in merges
        ]
        logged = create_last_contact_interactions(
            owner=owner,
            source=SOURCE_WORDS.get(plan.format, "file"),
            items=[
                (contact_id, planned)
                for contact_id, planned in zip(contact_ids, creates + merges, strict=True)
                if planned.new_interaction
            ],
        )
        if creates or merges:
            records_changed(owner_id=owner.pk)
    return ImportResult(
        created=len(creates),
        merged=len(merges),
        skipped=len(plan.rows) - len(chosen),
        interactions=logged,
        left_out=plan.error_rows,
    )


def _institutions(owner, planned_rows: list[PlannedRow]) -> dict[str, Institution]:
    """The student's institutions by key, creating the ones the rows name that are new (two
    queries whatever the number)."""
    wanted: dict[str, PlannedRow] = {}
    for planned in planned_rows:
        if planned.row.institution and (
            planned.contact is None or not planned.contact.institution_id
        ):
            wanted.setdefault(institution_key(planned.row.institution), planned)
    if not wanted:
        return {}
    existing = {
        institution_key(institution.name): institution
        for institution in Institution.objects.filter(owner=owner)
    }
    missing = [key for key in wanted if key not in existing]
    created = Institution.objects.bulk_create(
        [
            Institution(
                owner=owner,
                name=wanted[key].row.institution,
                city=wanted[key].row.city,
                state=wanted[key].row.state,
            )
            for key in missing
        ],
        batch_size=BATCH_SIZE,
    )
    existing.update(zip(missing, created, strict=True))
    return existing


def _merge(owner, merges: list[PlannedRow], institutions: dict[str, Institution]) -> None:
    """Fill in what the student's contact lacks; never overwrite what they wrote."""
    if not merges:
        return
    contacts = Contact.objects.in_bulk([planned.contact.id for planned in merges])
    changed = []
    for planned in merges:
        contact, row = contacts[planned.contact.id], planned.row
        for field in FILLED_IF_BLANK:
            if getattr(row, field.name) and not getattr(contact, field.name):
                setattr(contact, field.name, getattr(row, field.name))
        if row.institution and contact.institution_id is None:
            contact.institution = institutions.get(institution_key(row.institution))
        for field in APPENDED:
            added, kept = getattr(row, field.name), getattr(contact, field.name)
            if added and added not in kept:
                setattr(contact, field.name, f"{kept}\n\n{added}".strip())
        changed.append(contact)
    Contact.objects.bulk_update(
        changed,
        [*(field.name for field in (*FILLED_IF_BLANK, *APPENDED)), "institution", "updated_at"],
        batch_size=BATCH_SIZE,
    )


def create_last_contact_interactions(*, owner, source: str, items) -> int:
    """Each row's "last contact" date as an interaction (kind email unless the file says
    otherwise), in bulk. The one place an import creates interactions: anything derived from
    a contact's interactions (e.g. a denormalised last-contact date) is recomputed here."""
    interactions = Interaction.objects.bulk_create(
        [
            Interaction(
                owner=owner,
                contact_id=contact_id,
                date=planned.row.last_contact,
                kind=planned.row.last_contact_kind,
                direction=Direction.OUTBOUND,
                context="",
                summary=IMPORTED_SUMMARY.format(source=source),
            )
            for contact_id, planned in items
        ],
        batch_size=BATCH_SIZE,
    )
    # The contact list sorts on the stored last contact: one UPDATE for everyone touched.
    services.contacts_refresh_last_contact(
        owner_id=owner.pk, contact_ids=[contact_id for contact_id, _planned in items]
    )
    return len(interactions)
