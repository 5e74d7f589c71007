"""The advisor's class view (/advisor/cohort/), its exports and closing the loop (issue 25)."""

import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from advisors import cohort
from advisors.models import AdvisorAccess, FlagClosure, Recommendation
from reminders.models import StudentStanding
from reminders.nudges.services import refresh_student
from tests.factories import (
    AdvisorFactory,
    ContactFactory,
    InteractionFactory,
    LetterRequestFactory,
    UserFactory,
)

TODAY = datetime.date(2027, 10, 4)  # the class of 2028, applications out
NOW = datetime.datetime(2027, 10, 4, 15, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _student(advisor, n, *, advocates=1, **standing):
    student = UserFactory(
        email=f"s{n}@example.edu",
        name=f"Student {n:02d}",
        match_year=2028,
        target_specialties=["Internal Medicine"],
        records_changed_at=NOW - datetime.timedelta(days=2),
    )
    AdvisorAccess.objects.create(student=student, advisor=advisor)
    standing.setdefault("last_activity", TODAY - datetime.timedelta(days=2))
    StudentStanding.objects.create(
        owner=student,
        computed_on=TODAY,
        advocates=advocates,
        letters_needed=3,
        updated_at=timezone.now(),
        **standing,
    )
    return student


def _page(client, **params):
    return client.get(reverse("advisor_cohort"), params)


def test_the_refresh_writes_the_standing_row(student):
    writer = ContactFactory(owner=student, name="Dr. Writer")
    LetterRequestFactory(owner=student, writer=writer, status="agreed", due=TODAY)
    InteractionFactory(owner=student, contact=writer, date=TODAY - datetime.timedelta(days=3))
    refresh_student(student, today=TODAY)
    row = StudentStanding.objects.get(owner=student)
    assert row.computed_on == TODAY
    assert row.letters_agreed == 1 and row.letters_needed == 3
    assert row.next_letter_due == TODAY and row.next_letter_writer == "Dr. Writer"
    assert row.last_activity == TODAY - datetime.timedelta(days=3)
    refresh_student(student, today=TODAY)  # a second run updates the same row
    assert StudentStanding.objects.filter(owner=student).count() == 1


def test_each_reason_is_given_in_words(advisor, advisor_client):
    _student(advisor, 1, advocates=1)
    _student(advisor, 2, advocates=4, next_letter_due=TODAY + datetime.timedelta(days=5),
             next_letter_writer="Dr. Chen")  # fmt: skip
    _student(advisor, 3, advocates=4, unvouched_programs=["Lakeshore IM (Chicago, IL)"])
    quiet = _student(advisor, 4, advocates=5, last_activity=TODAY - datetime.timedelta(days=90))
    quiet.records_changed_at = NOW - datetime.timedelta(days=90)
    quiet.save()
    _student(advisor, 5, advocates=4)  # doing fine
    html = _page(advisor_client).content.decode()
    assert "1 advocate with applications out (goal 3+)" in html
    assert "Letter from Dr. Chen due in 5 days, not submitted" in html
    assert "Nobody can vouch at Lakeshore IM (Chicago, IL)" in html
    assert "No activity in 3 months" in html
    attention = html.split('id="attention-heading"')[1].split('id="programs-heading"')[0]
    assert "Student 05" not in attention
    assert "Lakeshore IM (Chicago, IL)</th><td>1: Student 03" in html


def test_few_advocates_counts_only_from_september_of_the_application_year():
    student = UserFactory.build(match_year=2028, records_changed_at=NOW)
    standing = StudentStanding(advocates=1, letters_needed=3)
    rules = cohort.Rules(goal_min=3, letter_risk_days=14, quiet_days=30)
    codes = [
        r.code for r in cohort.reasons_for(student, standing, datetime.date(2027, 8, 31), rules)
    ]
    assert cohort.FEW_ADVOCATES not in codes
    codes = [
        r.code for r in cohort.reasons_for(student, standing, datetime.date(2027, 9, 1), rules)
    ]
    assert cohort.FEW_ADVOCATES in codes


def test_filters_default_to_the_nearest_match_year_and_narrow_by_specialty(advisor, advisor_client):
    _student(advisor, 1)
    later = _student(advisor, 2)
    later.match_year = 2029
    later.save()
    surgeon = _student(advisor, 3)
    surgeon.target_specialties = ["Surgery"]
    surgeon.save()
    html = _page(advisor_client).content.decode()
    assert "Class of 2028" in html and "2 students sharing with you now" in html
    assert "Student 01" in html and "Student 02" not in html
    html = _page(advisor_client, year=2029).content.decode()
    assert "Class of 2029" in html and "1 student sharing with you now" in html
    html = _page(advisor_client, specialty="Surgery").content.decode()
    assert "1 student sharing with you now" in html
    assert "Student 03" in html and "Student 01" not in html


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert _page(client).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_3_and_30_students(advisor, advisor_client):
    # Session and user, the filters' choices, the students with their standing rows, the
    # closures, the weekly snapshots: the same for any class size.
    for n in range(3):
        _student(advisor, n)
    small = _count_queries(advisor_client)
    for n in range(3, 30):
        _student(advisor, n, unvouched_programs=[f"Program {n % 4}"])
    large = _count_queries(advisor_client)
    assert small == large <= 15


def test_closing_the_loop(advisor, advisor_client, client):
    student = _student(advisor, 1, advocates=1)
    colleague = AdvisorFactory(email="colleague@example.edu", name="Dr. Colleague")
    AdvisorAccess.objects.create(student=student, advisor=colleague)
    response = advisor_client.post(
        reverse("advisor_flag_close", args=[student.pk]),
        {"reason": cohort.FEW_ADVOCATES, "note": "met Tue, plan for a 4th letter"},
    )
    assert response.status_code == 302
    closure = FlagClosure.objects.get()
    assert closure.cause == "1"
    # The student sees the note as a recommendation.
    assert Recommendation.objects.get(student=student).text == "met Tue, plan for a 4th letter"
    # It leaves "needs attention"; another advisor of the student sees who handled it.
    client.force_login(colleague, backend="django.contrib.auth.backends.ModelBackend")
    html = _page(client).content.decode()
    attention = html.split('id="attention-heading"')[1].split('id="programs-heading"')[0]
    assert 'class="student-row needs-attention"' not in attention
    assert "handled by Dr. Advisor" in html and "met Tue, plan for a 4th letter" in html
    # Its cause changes (one advocate fewer): it needs attention again.
    StudentStanding.objects.filter(owner=student).update(advocates=0)
    html = _page(client).content.decode()
    assert "0 advocates with applications out" in html


def test_a_reason_that_no_longer_applies_cannot_be_closed(advisor, advisor_client):
    student = _student(advisor, 1, advocates=4)
    response = advisor_client.post(
        reverse("advisor_flag_close", args=[student.pk]),
        {"reason": cohort.FEW_ADVOCATES, "note": "done"},
    )
    assert response.status_code == 404
    assert not FlagClosure.objects.exists()


def test_revoking_removes_the_student_from_page_charts_and_exports(advisor, advisor_client):
    kept = _student(advisor, 1, advocates=4)
    gone = _student(advisor, 2, advocates=0)
    AdvisorAccess.objects.filter(student=gone).update(revoked_at=timezone.now())
    html = _page(advisor_client).content.decode()
    assert "1 student sharing with you now" in html and "Student 02" not in html
    assert "1 of 1 student counted have 3 or more advocates" in html
    csv_text = advisor_client.get(reverse("advisor_cohort_csv")).content.decode()
    assert kept.email in csv_text and gone.email not in csv_text


def test_the_exports_have_one_row_per_student_and_no_private_notes(advisor, advisor_client):
    student = _student(advisor, 1, advocates=2, focus=["Dr. Chen", "Dr. Park"], letters_agreed=1,
                       next_letter_due=datetime.date(2027, 11, 1))  # fmt: skip
    ContactFactory(owner=student, name="Dr. Chen", notes="PRIVATE-NOTE")
    csv_text = advisor_client.get(reverse("advisor_cohort_csv")).content.decode()
    header, row = csv_text.splitlines()[:2]
    assert header.startswith("Name,Email,Match year,Specialties,Advocates,Focus")
    assert row.startswith(
        'Student 01,s1@example.edu,2028,Internal Medicine,2,"Dr. Chen, Dr. Park",1,3,2027-11-01'
    )
    assert "PRIVATE-NOTE" not in csv_text
    response = advisor_client.get(reverse("advisor_cohort_xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Name" and rows[1][1] == "s1@example.edu" and len(rows) == 2


def test_the_student_is_told_what_the_class_view_shows(student_client):
    html = student_client.get(reverse("sharing")).content.decode()
    assert "class view" in html and "never shows your private notes" in html


def test_a_shared_red_flag_not_yet_told_to_writers_is_counted_while_the_engine_says_tell_them():
    # Match year 2029: applications open in June 2028, so the engine's "tell each writer and
    # your home PD" shows from early April 2028 (61 days before) for three weeks.
    from contacts.models import RedFlag

    student = UserFactory(match_year=2029)
    RedFlag.objects.create(owner=student, kind="exam", note="Step 1 second attempt", shared=True)
    RedFlag.objects.create(owner=student, kind="leave", note="A term off", shared=False)
    refresh_student(student, today=datetime.date(2028, 4, 5))
    assert StudentStanding.objects.get(owner=student).red_flags_untold == 1  # the shared one
    refresh_student(student, today=datetime.date(2028, 9, 4))  # its moment has passed
    assert StudentStanding.objects.get(owner=student).red_flags_untold == 0


def test_letters_needed_is_the_letters_plans_setting(settings):
    settings.ADVOCATE = {"letters_needed": {"residency": 4}}
    student = UserFactory(match_year=2028)
    refresh_student(student, today=TODAY)
    assert StudentStanding.objects.get(owner=student).letters_needed == 4


def test_in_soap_a_student_no_program_has_contacted_needs_attention(advisor, advisor_client):
    # Tuesday of Match Week 2028 (Match Day is Friday 17 March): two students did not match;
    # a program has contacted one of them, and they marked it on their plan.
    from contacts import services as records
    from contacts.models import Program

    waiting = _student(advisor, 1, advocates=4)
    called = _student(advisor, 2, advocates=4)
    for student in (waiting, called):
        student.match_outcome = "unmatched"
        student.save()
    program = Program.objects.create(owner=called, name="Lakeside Internal Medicine")
    records.soap_contact_mark(owner=called, year=2028, program=program)
    with time_machine.travel(datetime.datetime(2028, 3, 14, 15, 0, tzinfo=datetime.UTC)):
        advisor_client.force_login(advisor)  # months later: a fresh session
        html = _page(advisor_client).content.decode()
        attention = html.split('id="attention-heading"')[1].split('id="programs-heading"')[0]
        soap_rows = [
            row for row in attention.split('class="student-row')
            if "In SOAP, and no program has contacted them yet" in row
        ]  # fmt: skip
        assert len(soap_rows) == 1 and waiting.name in soap_rows[0]
    # The week after, the reason is gone: SOAP is over.
    with time_machine.travel(datetime.datetime(2028, 3, 21, 15, 0, tzinfo=datetime.UTC)):
        advisor_client.force_login(advisor)
        html = _page(advisor_client).content.decode()
        assert "Class of 2028" in html and "no program has contacted them" not in html
