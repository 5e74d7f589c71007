"""One table per record's fields: where each Contact field goes outside the model.

A row says, for one model field, how it is named in words, its key in the `advocate/v1` data
file, its column in the CSV export (which is also the spreadsheet import's column), the other
column names the spreadsheet import accepts, and what an import does with it when the row
matches a contact the student already has. The length is never retyped: it is the model
field's `max_length`.

These read the table (so adding a field means the model, a migration, this table and tests):
    contacts.datafile            the data file's contact keys, their checks, export and import
    contacts.exports             contacts.csv's columns
    contacts.importers.*         the spreadsheet's columns, length checks, matching and merging
    contacts.forms.ContactForm   the model fields the form edits

The order of CONTACT_FIELDS is the data file's key order. contacts.csv is the import
template's columns first (so it imports again as it is), then every other column in table
order, with the institution's columns where the contact's institution is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import models

from .models import Contact, Institution


class Merge(enum.Enum):
    """What importing a row that matches one of the student's contacts does to a field."""

    NEVER = "never"  # kept as the student has it (the row's value is for a new contact only)
    FILL_IF_BLANK = "fill if blank"  # the row's value, only where the contact has none
    APPEND = "append"  # the row's text added below the contact's, unless already there


class Imported(enum.Enum):
    """Whether the spreadsheet import reads a column."""

    NO = "no"  # in the CSV export only; the import skips it
    TEMPLATE = "template"  # a column of the downloadable template
    OPTIONAL = "optional"  # read when present, but not in the template


@dataclass(frozen=True)
class RecordField:
    model: type[models.Model]
    name: str  # the model field
    label: str  # in words, as the import preview says what a merge adds
    datafile_key: str | None  # the key in the data file; None: not in the file
    csv_column: str | None  # the column in contacts.csv and the spreadsheet import
    imported: Imported = Imported.NO
    aliases: tuple[str, ...] = ()  # other column names the spreadsheet import accepts
    merge: Merge = Merge.NEVER
    in_form: bool = False  # edited as itself in the contact form
    # Added to the data file after v1 was first written down: optional on import (the model's
    # default when absent), always exported.
    optional_in_file: bool = False

    @property
    def model_field(self) -> models.Field:
        return self.model._meta.get_field(self.name)

    @property
    def max_length(self) -> int | None:
        return self.model_field.max_length

    @property
    def is_text(self) -> bool:
        """Free text (a CharField or TextField without choices), taken from a file as it is."""
        field = self.model_field
        return isinstance(field, models.CharField | models.TextField) and not field.choices

    @property
    def row_attribute(self) -> str:
        """The importers' ImportRow attribute: a contact field's own name; the institution's
        fields are flattened into the row under their column names (institution, city, state)."""
        return self.name if self.model is Contact else str(self.csv_column)


# The contact's institution, nested in the data file (contacts.datafile.INSTITUTION_FIELDS
# checks it) and flattened into columns in contacts.csv and the spreadsheet import.
INSTITUTION_FIELDS: tuple[RecordField, ...] = (
    RecordField(
        Institution, "name", "institution", "name", "institution", Imported.TEMPLATE,
        aliases=("hospital", "organization", "organisation", "company"),
    ),
    RecordField(Institution, "city", "city", "city", "city", Imported.TEMPLATE),
    RecordField(Institution, "state", "state", "state", "state", Imported.TEMPLATE),
    RecordField(Institution, "setting", "setting", "setting", "setting"),
)  # fmt: skip

CONTACT_FIELDS: tuple[RecordField, ...] = (
    RecordField(
        Contact, "name", "name", "name", "name", Imported.TEMPLATE,
        aliases=("full name", "contact"), in_form=True,
    ),
    RecordField(
        Contact, "email", "email", "email", "email", Imported.TEMPLATE,
        aliases=("e mail", "email address"), merge=Merge.FILL_IF_BLANK, in_form=True,
    ),
    RecordField(
        Contact, "phone", "phone", "phone", "phone", Imported.OPTIONAL,
        aliases=("phone number",), merge=Merge.FILL_IF_BLANK, in_form=True,
    ),
    # A new contact's role only: a matched contact keeps the role the student gave.
    RecordField(
        Contact, "role", "role", "role", "role", Imported.TEMPLATE,
        aliases=("title",), in_form=True,
    ),
    RecordField(
        Contact, "specialty", "specialty", "specialty", "specialty", Imported.TEMPLATE,
        merge=Merge.FILL_IF_BLANK, in_form=True,
    ),
    # Its columns are INSTITUTION_FIELDS'; the form types it by name (InstitutionByNameMixin).
    RecordField(
        Contact, "institution", "institution", "institution", None, merge=Merge.FILL_IF_BLANK
    ),
    RecordField(
        Contact, "how_met", "how you met", "how_met", "how met", Imported.TEMPLATE,
        aliases=("how we met", "met"), merge=Merge.FILL_IF_BLANK, in_form=True,
    ),
    RecordField(Contact, "would_vouch", "would vouch", "would_vouch", "would vouch", in_form=True),
    RecordField(Contact, "tags", "tags", "tags", "tags", in_form=True),
    # Not in the data file (its interactions are); an imported date is logged as an interaction
    # (contacts.importers.apply), and contacts.csv shows the latest interaction's date.
    RecordField(
        Contact, "last_contact_on", "last contact", None, "last contact", Imported.TEMPLATE,
        aliases=("last contacted", "last contact date"),
    ),
    RecordField(
        Contact, "notes", "notes", "notes", "notes", Imported.TEMPLATE,
        aliases=("note",), merge=Merge.APPEND, in_form=True,
    ),
    # Archived from the contact's page, not the form.
    RecordField(Contact, "archived", "archived", "archived", "archived", optional_in_file=True),
)  # fmt: skip


def columns() -> tuple[RecordField, ...]:
    """Every column of contacts.csv and the spreadsheet import, in table order: the contact's
    own, with the institution's in the institution's place."""
    return tuple(
        column
        for field in CONTACT_FIELDS
        for column in (INSTITUTION_FIELDS if field.name == "institution" else (field,))
    )


def _export_order() -> tuple[RecordField, ...]:
    template = [column for column in columns() if column.imported is Imported.TEMPLATE]
    return (*template, *(column for column in columns() if column not in template))


CSV_COLUMNS: tuple[RecordField, ...] = _export_order()
# The spreadsheet's columns, and the ImportRow text attributes each is read into.
TEMPLATE_COLUMNS: tuple[str, ...] = tuple(
    str(column.csv_column) for column in CSV_COLUMNS if column.imported is Imported.TEMPLATE
)
IMPORTED_TEXT: tuple[RecordField, ...] = tuple(
    column for column in columns() if column.imported is not Imported.NO and column.is_text
)
# A matched contact: the text the import fills where blank (then the institution), and the text
# it appends to (contacts.importers.plan and apply).
FILLED_IF_BLANK: tuple[RecordField, ...] = tuple(
    field for field in CONTACT_FIELDS if field.merge is Merge.FILL_IF_BLANK and field.is_text
)
APPENDED: tuple[RecordField, ...] = tuple(
    field for field in CONTACT_FIELDS if field.merge is Merge.APPEND
)
FORM_FIELDS: list[str] = [field.name for field in CONTACT_FIELDS if field.in_form]
