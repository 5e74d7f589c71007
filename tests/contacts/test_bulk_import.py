"""The data-file import writes in bulk: a fixed number of queries whatever the file's size, one
stamp of the student's records per import, the last contact kept, all or nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts import datafile
from contacts.models import Contact, Institution
from crm.models import User
from tests.bench.datafile_import import build_document
from tests.concurrency import on_postgresql
from tests.factories import InstitutionFactory

EMAIL = "bulk@example.edu"


def _import(contacts: int):
    with CaptureQueriesContext(connection) as queries:
        datafile.import_document(build_document(contacts, email=EMAIL), email=EMAIL)
    return queries


@on_postgresql  # SQLite caps the variables per statement, so its batches are smaller
def test_the_number_of_queries_does_not_grow_with_the_file(db):
    small = len(_import(50))
    User.objects.filter(email=EMAIL).delete()
    large = len(_import(1_500))

    assert large == small  # the same statements; only their batches grow
    assert Contact.objects.filter(owner__email=EMAIL).count() == 1_500


def test_an_import_stamps_the_student_once(db):
    queries = _import(300)

    stamps = [q["sql"] for q in queries if 'UPDATE "crm_user"' in q["sql"]]
    # One for the profile, one for the records stamp; none per record.
    assert len(stamps) == 2


def test_each_imported_contact_carries_its_last_contact(db):
    document = build_document(3, email=EMAIL)
    document["interactions"].append({**document["interactions"][0], "date": "2027-12-01"})

    datafile.import_document(document, email=EMAIL)

    last = dict(Contact.objects.values_list("name", "last_contact_on"))
    assert last["Dr. Contact 000000"] == datetime.date(2027, 12, 1)
    assert last["Dr. Contact 000001"] == datetime.date(2027, 2, 2)


def test_institutions_are_matched_in_any_case_and_fill_blanks_only(student):
    InstitutionFactory(owner=student, name="hospital 1", city="", state="WI")
    document = build_document(3, email=student.email)

    datafile.import_document(document, student=student)

    institution = Institution.objects.get(owner=student, name__iexact="hospital 1")
    assert (institution.name, institution.city, institution.state) == (
        "hospital 1",
        "Chicago",
        "WI",
    )
    assert Institution.objects.filter(owner=student).count() == 3


def test_a_bad_record_late_in_a_large_file_writes_nothing(db):
    document = build_document(2_500, email=EMAIL)
    document["interactions"][2_400]["kind"] = "telepathy"

    with pytest.raises(datafile.DataFileError, match=r"^interactions\[2400\]\.kind"):
        datafile.import_document(document, email=EMAIL)

    assert not Contact.objects.exists()
    assert not User.objects.filter(email=EMAIL).exists()
