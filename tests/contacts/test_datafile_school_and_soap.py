"""Issue 18 in advocate/v1: the optional `student.school` (its contacts are "home"), the
outcome `soap_matched`, and SOAP's Eastern times in `cycle_dates`; older files import as
before."""

import pytest

from contacts import datafile
from tests.contacts.test_datafile import NEW_EMAIL, sample_document

pytestmark = pytest.mark.django_db


def test_the_school_and_a_soap_placement_round_trip():
    document = sample_document()
    document["student"]["school"] = {"name": "Lakeshore University Hospital", "state": "IL"}
    document["student"]["match_outcome"] = "soap_matched"
    document["student"]["cycle_dates"] = {"soap_end": "20:30", "match_day": "2028-03-17"}
    student = datafile.import_document(document, email=NEW_EMAIL).student
    assert (student.school_name, student.school_state) == ("Lakeshore University Hospital", "IL")
    assert student.match_outcome == "soap_matched"
    exported = datafile.export_document(student)["student"]
    assert exported["school"] == {
        "name": "Lakeshore University Hospital",
        "city": "",
        "state": "IL",
        "setting": "",
    }
    assert exported["match_outcome"] == "soap_matched"
    assert exported["cycle_dates"] == {"match_day": "2028-03-17", "soap_end": "20:30"}


def test_an_older_file_without_a_school_imports_unchanged():
    student = datafile.import_document(sample_document(), email=NEW_EMAIL).student
    assert student.school_name == ""


@pytest.mark.parametrize("bad", ["9pm", "25:00", "2028-03-16"])
def test_a_soap_time_must_be_a_time_of_day(bad):
    document = sample_document()
    document["student"]["cycle_dates"] = {"soap_end": bad}
    with pytest.raises(datafile.DataFileError) as error:
        datafile.validate(document)
    assert "student.cycle_dates.soap_end" in str(error.value)
