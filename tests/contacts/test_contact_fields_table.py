"""contacts/fields.py, the one table of a contact's fields: it covers the model, its lengths
are the model's, and the contracts it drives (data-file keys, CSV columns, spreadsheet columns)
are exactly the published ones."""

from contacts import datafile, exports, fields
from contacts.forms import ContactForm
from contacts.importers import rows, spreadsheet
from contacts.models import Contact, Institution

# Kept by the app itself, never typed in a form or carried by a file.
NOT_IN_TABLE = {"id", "owner", "created_at", "updated_at"}


def test_the_table_covers_every_contact_field_once():
    model_fields = {field.name for field in Contact._meta.concrete_fields} - NOT_IN_TABLE
    named = [field.name for field in fields.CONTACT_FIELDS]
    assert sorted(named) == sorted(model_fields)
    assert [field.name for field in fields.INSTITUTION_FIELDS] == ["name", "city", "state",
                                                                   "setting"]  # fmt: skip


def test_lengths_are_the_models():
    for field in (*fields.CONTACT_FIELDS, *fields.INSTITUTION_FIELDS):
        assert field.max_length == field.model._meta.get_field(field.name).max_length
    assert {
        "name": Contact._meta.get_field("name").max_length,
        "email": Contact._meta.get_field("email").max_length,
        "phone": Contact._meta.get_field("phone").max_length,
        "specialty": Contact._meta.get_field("specialty").max_length,
        "institution": Institution._meta.get_field("name").max_length,
        "city": Institution._meta.get_field("city").max_length,
        "state": Institution._meta.get_field("state").max_length,
        "how_met": Contact._meta.get_field("how_met").max_length,
    } == rows.FIELD_LIMITS


def test_the_data_file_keys_and_their_order_stay_the_published_ones():
    assert list(datafile.CONTACT_FIELDS) == [
        "key", "name", "email", "phone", "role", "specialty", "institution", "how_met",
        "would_vouch", "tags", "notes", "archived", "ties",
    ]  # fmt: skip
    optional = [name for name, spec in datafile.CONTACT_FIELDS.items() if not spec.required]
    assert optional == ["archived", "ties"]
    assert list(datafile.INSTITUTION_FIELDS) == ["name", "city", "state", "setting"]


def test_the_csv_columns_and_the_spreadsheet_columns_stay_the_published_ones():
    assert exports.CONTACT_COLUMNS == [
        "name", "email", "role", "specialty", "institution", "city", "state", "how met",
        "last contact", "notes", "phone", "setting", "would vouch", "tags", "archived",
    ]  # fmt: skip
    assert tuple(exports.CONTACT_COLUMNS[:10]) == spreadsheet.TEMPLATE_COLUMNS
    assert spreadsheet.ACCEPTED_COLUMNS == (
        "name, email, role, specialty, institution, city, state, how met, last contact, notes "
        "(and optionally phone, last contact kind)"
    )
    assert {"setting", "would vouch", "tags", "archived"} == spreadsheet.EXPORT_ONLY_COLUMNS
    assert spreadsheet.COLUMNS == {
        "name": "name", "full name": "name", "contact": "name",
        "email": "email", "e mail": "email", "email address": "email",
        "phone": "phone", "phone number": "phone",
        "role": "role", "title": "role",
        "specialty": "specialty",
        "institution": "institution", "hospital": "institution", "organization": "institution",
        "organisation": "institution", "company": "institution",
        "city": "city", "state": "state",
        "how met": "how met", "how we met": "how met", "met": "how met",
        "last contact": "last contact", "last contacted": "last contact",
        "last contact date": "last contact", "last contact kind": "last contact kind",
        "notes": "notes", "note": "notes",
    }  # fmt: skip


def test_every_imported_text_field_is_a_row_attribute():
    row = rows.ImportRow(line=1, name="x")
    for field in fields.IMPORTED_TEXT:
        assert hasattr(row, field.row_attribute), field.row_attribute


def test_merge_policies():
    assert [field.name for field in fields.FILLED_IF_BLANK] == [
        "email", "phone", "specialty", "how_met"
    ]  # fmt: skip
    assert [field.name for field in fields.APPENDED] == ["notes"]


def test_the_contact_form_edits_the_tables_form_fields():
    assert ContactForm._meta.fields == fields.FORM_FIELDS
    assert set(fields.FORM_FIELDS) == {
        "name", "email", "phone", "role", "specialty", "how_met", "would_vouch", "tags", "notes"
    }  # fmt: skip
