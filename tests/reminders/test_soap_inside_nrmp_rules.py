"""Issue 18: Match Week inside NRMP's SOAP rule. For the demo and three students written for
this (no advocates; a competitive specialty, a DO student whose remediation supervisor vouches;
a partial match), every day from the Friday before Match Week to the Monday after: no text on
This week, the SOAP email, the Match Week page or the advisor's card tells anyone to contact a
program that has not contacted the student, until SOAP ends; the rule is stated on each; and
after "Program X contacted me", X's line appears with who could speak to X."""

from __future__ import annotations

import datetime
import json
import pathlib
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from advisors.models import AdvisorAccess
from contacts import datafile
from contacts.models import MatchStory, Program
from reminders.email.soap import render_soap_alert
from reminders.engine.match_week import RULE
from reminders.match_week.selectors import match_week_view
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HERE = pathlib.Path(__file__).parent
DEMO = HERE.parents[1] / "contacts" / "demo" / "demo-student.json"
STUDENTS = {
    "demo": DEMO,
    "no_advocates": HERE / "students" / "no_advocates.json",
    "orthopaedics": HERE / "students" / "orthopaedics.json",
    "partial": HERE / "students" / "partial.json",
}
FRIDAY_BEFORE, MONDAY, THURSDAY, MATCH_DAY = (
    D(2027, 3, 12),
    D(2027, 3, 15),
    D(2027, 3, 18),
    D(2027, 3, 19),
)
DAYS = [FRIDAY_BEFORE + datetime.timedelta(days=n) for n in range(11)]  # to the Monday after
# Words the old plan used to send people at programs during SOAP (after SOAP, calling an
# unfilled program is allowed: "to reach" may be said then).
UNLAWFUL = ("Ask ", "to reach", "first calls", "sweet spot", "dean's office", "not called yet")
ALWAYS_WRONG = ("first calls", "sweet spot", "dean's office", "not called yet")


def load(name: str, outcome: str | None = None):
    document = json.loads(STUDENTS[name].read_text())
    if outcome is not None:
        document["student"]["match_outcome"] = outcome
    student = datafile.import_document(document).student
    advisor = UserFactory(role="advisor", email=f"advisor-{name}@example.edu")
    AdvisorAccess.objects.create(student=student, advisor=advisor, share_notes=True)
    return student, advisor


def without_forms(html: str) -> str:
    """The page's words, without its forms (the "contacted me" and story pickers list every
    program and person to choose from; choosing is not contacting)."""
    return re.sub(r"<form.*?</form>", "", html, flags=re.S)


def section(html: str, marker: str) -> str:
    start = html.find(marker)
    if start < 0:
        return ""
    return html[start : html.index("</section>", start)]


def surfaces(student, advisor, day: datetime.date) -> dict[str, str]:
    """What the student and the advisor read that day about Match Week and SOAP."""
    with time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 16, tzinfo=datetime.UTC)
    ):
        client, advisor_client = Client(), Client()
        client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
        advisor_client.force_login(advisor, backend="django.contrib.auth.backends.ModelBackend")
        home = client.get(reverse("home")).content.decode()
        page = client.get(reverse("reminders:match_week")).content.decode()
        adv = advisor_client.get(reverse("advisor_student", args=[student.pk])).content.decode()
        view = match_week_view(student, day)
        email = ""
        if view.plan is not None and MONDAY <= day <= THURSDAY:
            rendered = render_soap_alert(student, view)
            email = rendered.text + rendered.html
    return {
        "this week": section(home, 'class="card match-week-card'),
        "page": without_forms(page),
        "advisor": section(adv, 'id="soap"'),
        "email": email,
    }


def program_names(student) -> list[str]:
    return list(Program.objects.filter(owner=student).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("name", "outcome"),
    [("demo", "unmatched"), ("no_advocates", None), ("orthopaedics", None), ("partial", None)],
)
def test_no_surface_sends_anyone_to_a_program_before_it_makes_contact(name, outcome):
    student, advisor = load(name, outcome)
    programs = program_names(student)
    for day in DAYS:
        shown = surfaces(student, advisor, day)
        in_soap = MONDAY <= day <= THURSDAY
        for where, text in shown.items():
            plain = text.replace("&#x27;", "'")
            for words in UNLAWFUL if day < MATCH_DAY else ALWAYS_WRONG:
                assert words not in plain, (name, day, where, words)
            if in_soap:
                for program in programs:
                    assert program not in plain, (name, day, where, program)
            if day >= MONDAY and (where != "email" or in_soap):
                assert RULE in re.sub(r"\s+", " ", plain), (name, day, where)


def test_program_x_contacted_me_brings_xs_line_with_who_could_speak_to_it():
    student, advisor = load("demo", "unmatched")
    prairie = Program.objects.get(owner=student, name="Prairie State Internal Medicine")
    MatchStory.objects.create(owner=student, year=2027).contacted_programs.add(prairie)
    line = "Prairie State Internal Medicine contacted you, so it is now within the rules for"
    for day in (D(2027, 3, 16), D(2027, 3, 17)):
        shown = surfaces(student, advisor, day)
        for where in ("this week", "page", "advisor", "email"):
            plain = shown[where].replace("&#x27;", "'")
            assert line in plain and "Dr. Samuel Osei" in plain, (day, where)
            # The others still have not made contact: still not named.
            assert "St. Brendan Internal Medicine" not in plain, (day, where)


def test_the_orthopaedic_student_is_told_kindly_and_given_the_route_his_records_support():
    student, advisor = load("orthopaedics")
    view = match_week_view(student, D(2027, 3, 15))
    plan = view.plan
    assert "Orthopaedic Surgery has almost no SOAP positions" in plan.rare_line
    assert "a preliminary surgery or transitional year" in plan.rare_line
    assert "General Surgery" in plan.rare_line  # the pivot his records support
    names = [helper.name for helper in plan.helpers]
    # The one-week PD (depth below the floor, not would-vouch) is not named; the faculty
    # member who oversaw his remediation and wrote for him is, though quiet for two years.
    assert names == ["Dr. Hana Brandt"]
    friday = match_week_view(student, MATCH_DAY).plan
    calls = {h.name: [c.program.name for c in h.calls] for h in friday.helpers}
    assert calls == {"Dr. Hana Brandt": ["Columbia Transitional Year"]}
    assert "Orthopaedic" not in " ".join(sum(calls.values(), []))


def test_the_partial_match_speaks_of_the_advanced_position_after_the_preliminary_year():
    student, advisor = load("partial")
    plan = match_week_view(student, D(2027, 3, 16)).plan
    assert "available to start on July 1, 2027" not in plan.note
    assert "available to start the advanced position after it, in July 2028" in plan.note
    # The home PD first, never aimed at the home program.
    friday = match_week_view(student, MATCH_DAY).plan
    assert friday.helpers[0].name == "Dr. Paul Adeyemi"
    called = [c.program.name for h in friday.helpers for c in h.calls]
    assert "Bay State Neurology" not in called and "Harbor Neurology" in called


def test_asks_are_never_repeated_on_consecutive_days():
    student, advisor = load("demo", "unmatched")
    reasons = []
    for day in DAYS[3:]:
        view = match_week_view(student, day)
        reasons.append(view.plan.step.moves[0] if view.plan.step else "")
    assert all("Ask" not in reason for reason in reasons)
