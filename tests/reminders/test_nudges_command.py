"""`nudges --student EMAIL --date YYYY-MM-DD --json`: the engine's answer, read-only."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders.models import AdvocateSnapshot, Nudge
from reminders.nudges import services
from tests.reminders.test_refresh import make_student

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("nudges", *args, stdout=out)
    return out.getvalue()


def test_prints_one_json_object_per_line_with_exactly_four_keys():
    make_student(email="ada@example.edu")
    output = run("--student", "ada@example.edu", "--date", "2026-07-11", "--json")
    lines = output.splitlines()
    # Five, and the month's letters plan (issue 19).
    assert len(lines) == 6 and output.endswith("\n")
    objects = [json.loads(line) for line in lines]
    assert all(set(obj) == {"kind", "contact", "due", "reason"} for obj in objects)
    by_kind = {obj["kind"]: obj for obj in objects}
    assert by_kind["thank_you"]["contact"].startswith("Dr. Rao")
    assert by_kind["thank_you"]["due"] == "2026-07-12"
    assert by_kind["invest"]["contact"] is None
    assert [obj["due"] for obj in objects] == sorted(obj["due"] for obj in objects)
    assert all(datetime.date.fromisoformat(obj["due"]) for obj in objects)


def test_writes_nothing():
    make_student(email="ada@example.edu")
    with CaptureQueriesContext(connection) as context:
        run("--student", "ada@example.edu", "--date", "2026-07-11", "--json")
    statements = [query["sql"].split()[0].upper() for query in context.captured_queries]
    assert set(statements) == {"SELECT"}
    assert not Nudge.objects.exists() and not AdvocateSnapshot.objects.exists()


def test_answers_as_if_nothing_had_been_snoozed_or_dismissed():
    student = make_student(email="ada@example.edu")
    services.refresh_student(student, today=datetime.date(2026, 7, 11))
    for nudge in Nudge.objects.all():
        services.nudge_dismiss(nudge=nudge)
    output = run("--student", "ada@example.edu", "--date", "2026-07-11", "--json")
    assert len(output.splitlines()) == 6


def test_answers_for_any_date():
    make_student(email="ada@example.edu")
    lines = run("--student", "ada@example.edu", "--date", "2026-07-21", "--json").splitlines()
    assert "letter_ask" in {json.loads(line)["kind"] for line in lines}


def test_without_json_prints_readable_lines():
    make_student(email="ada@example.edu")
    output = run("--student", "ada@example.edu", "--date", "2026-07-11")
    assert "2026-07-12  thank_you \u00b7 Dr. Rao" in output


def test_unknown_student_or_bad_date_is_an_error():
    make_student(email="ada@example.edu")
    with pytest.raises(CommandError, match="No student"):
        run("--student", "nobody@example.edu", "--date", "2026-07-11", "--json")
    with pytest.raises(CommandError, match="not a date"):
        run("--student", "ada@example.edu", "--date", "July 11", "--json")
