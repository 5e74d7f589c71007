"""One date style on every page, from one filter (`|day`), in the student's own time zone."""

import datetime
import re
from pathlib import Path

import time_machine
from django.template import Context, Template
from django.utils import timezone

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_date_reads_the_same_way_everywhere():
    day = datetime.date(2026, 12, 1)
    assert _render("{{ d|day }}", d=day) == "Tue Dec 1, 2026"
    assert _render('{{ d|day:"short" }}', d=day) == "Dec 1"
    assert _render("{{ d|day }}", d=None) == ""


def test_a_moment_is_shown_on_the_day_it_was_for_the_student():
    # 03:00 UTC on Dec 2 is still Dec 1 in Chicago.
    moment = datetime.datetime(2026, 12, 2, 3, 0, tzinfo=datetime.UTC)
    with timezone.override("America/Chicago"):
        assert _render("{{ m|day }}", m=moment) == "Tue Dec 1, 2026"
    with timezone.override("Europe/Berlin"):
        assert _render("{{ m|day }}", m=moment) == "Wed Dec 2, 2026"


def test_no_template_formats_a_date_for_people_by_hand():
    # Machine dates (<time datetime="2026-12-01">) and the staff-only status page aside.
    pattern = re.compile(r"""\|date:(["'])(?!Y-m-d\1)""")
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.name != "ops_status.html" and pattern.search(path.read_text())
    ]
    assert offenders == []


@time_machine.travel(datetime.datetime(2026, 12, 2, 3, 0, tzinfo=datetime.UTC))
def test_recent_activity_dates_are_in_the_students_time_zone(student_client, student):
    from tests.factories import ContactFactory, InteractionFactory

    contact = ContactFactory(owner=student, name="Dr. Rao")
    InteractionFactory(owner=student, contact=contact, date=student.local_today())
    content = student_client.get("/").content.decode()
    assert "Tue Dec 1, 2026" in content  # Chicago's today, not UTC's Wednesday
