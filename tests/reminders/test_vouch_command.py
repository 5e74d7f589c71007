"""`vouch --student EMAIL [--program NAME] --json`: who could vouch for the student at a program,
strongest first, one JSON object a line; on the demo student's own file."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts import datafile
from contacts.management.commands.seed_demo import DEMO_FILE

pytestmark = pytest.mark.django_db
DEMO = "demo@advocate.test"
ON = "2026-11-02"  # interview season of the demo student's Match year


@pytest.fixture(autouse=True)
def demo():
    document = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return datafile.import_document(document, email=DEMO).student


def run(*args):
    out = io.StringIO()
    call_command("vouch", "--student", DEMO, "--date", ON, *args, stdout=out)
    return out.getvalue()


def lines(*args):
    return [json.loads(line) for line in run(*args, "--json").splitlines()]


def test_one_json_object_a_line_with_exactly_four_keys_by_the_ladder():
    objects = lines("--program", "cascade internal medicine")  # any case

    assert objects and all(set(obj) == {"program", "contact", "score", "reason"} for obj in objects)
    assert {obj["program"] for obj in objects} == {"Cascade Internal Medicine"}
    scores = [obj["score"] for obj in objects]
    assert all(isinstance(s, float) for s in scores)
    # Issue 18: the articles' ladder, not the score alone: the letter writers first, by how
    # well they know the work; then the others, Cascade's own PD (a week together) among them.
    names = [obj["contact"] for obj in objects]
    assert names[:3] == ["Dr. Rafael Mendes", "Dr. Daniel Cho", "Dr. Priya Raman"]
    assert "Dr. Eleanor Whitfield" in names[3:]
    assert objects[0]["reason"].startswith("wrote or offered to speak for you; ")
    raman = next(obj for obj in objects if obj["contact"] == "Dr. Priya Raman")
    assert "trained in this program (residency there)" in raman["reason"]
    assert "has written for you" in raman["reason"]


def test_nothing_for_a_program_where_no_contact_has_a_tie():
    assert run("--program", "Lake Michigan Regional Internal Medicine", "--json") == ""


def test_without_a_program_every_program_with_a_tie_targets_first():
    programs = list(dict.fromkeys(obj["program"] for obj in lines()))

    assert programs == [
        "Cascade Internal Medicine",
        "Lakeshore Internal Medicine",
        "Prairie State Internal Medicine",
        "St. Brendan Internal Medicine",
        "Great Lakes Regional Internal Medicine",  # not on the list: last
        "Riverside Community Internal Medicine",
    ]


def test_an_unknown_program_names_the_students_programs():
    with pytest.raises(CommandError, match="no program called 'Mayo'; their programs: Cascade"):
        run("--program", "Mayo")


def test_a_nul_in_the_program_name_is_a_message_not_a_traceback():
    with pytest.raises(CommandError, match="cannot contain a NUL"):
        run("--program", "Cascade\x00")


def test_an_unknown_student_is_an_error():
    with pytest.raises(CommandError, match="No student with email nobody@example.edu"):
        call_command("vouch", "--student", "nobody@example.edu", stdout=io.StringIO())


def test_it_writes_nothing():
    with CaptureQueriesContext(connection) as queries:
        run("--json")
    assert not [
        q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_the_words_without_json_say_who_is_not_yet_a_voice():
    text = run("--program", "Prairie State Internal Medicine")
    assert text.startswith("Prairie State Internal Medicine\n")
    assert "Dr. Samuel Osei" in text and "(not yet a voice there)" in text


def test_the_demo_has_one_target_program_nobody_can_vouch_for(demo):
    import datetime

    from reminders.engine.vouch import nobody_can_vouch
    from reminders.evaluation.vouching import vouching_for

    gaps = nobody_can_vouch(vouching_for(demo, datetime.date.fromisoformat(ON)))
    assert [gap.program.name for gap in gaps] == ["Lake Michigan Regional Internal Medicine"]
