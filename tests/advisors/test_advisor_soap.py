"""The advisor sees a student's Match outcome and, while SOAP runs, their SOAP plan: who calls,
which programs, today's step; the note to programs only when the student shares notes."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from contacts import services as records
from contacts.models import MatchStory
from tests.advisors.advisor_world import build_network, share
from tests.factories import ContactFactory, InteractionFactory, ProgramFactory, TieFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
# Tuesday of Match Week 2027 (Match Day is Friday 19 March), morning in Chicago.
TUESDAY = datetime.datetime(2027, 3, 16, 14, 0, tzinfo=UTC)
AUGUST = datetime.datetime(2027, 8, 2, 15, 0, tzinfo=UTC)


def in_soap(student, *, prefix="", outcome="unmatched"):
    """A student who did not match, with a program director tied to one of their programs."""
    student.match_year = 2027
    student.match_outcome = outcome
    student.save()
    helper = ContactFactory(owner=student, name=f"Dr. {prefix}Shah", role="program_director")
    for days_ago in (90, 40, 10):
        InteractionFactory(
            owner=student,
            contact=helper,
            date=datetime.date(2027, 3, 10) - datetime.timedelta(days=days_ago),
        )
    program = ProgramFactory(owner=student, name=f"{prefix}Lakeshore Internal Medicine")
    TieFactory(
        owner=student, contact=helper, program=program, kind="trained_at", note="residency, 2015"
    )
    MatchStory.objects.create(owner=student, year=2027, note=f"{prefix}My own note to programs")
    return student


@pytest.fixture(autouse=True)
def clock():
    """Tuesday of Match Week, from before the clients sign in (their sessions start then)."""
    with time_machine.travel(TUESDAY, tick=False):
        yield


def soap_card(text: str) -> str:
    start = text.index('id="soap"')
    return text[start : text.index("</section>", start)]


def page(advisor_client, student):
    return advisor_client.get(reverse("advisor_student", args=[student.pk]))


def in_august(client, advisor):
    """After the Match, signed in again there (a session from March would have expired)."""
    travel = time_machine.travel(AUGUST, tick=False)
    travel.start()
    client.force_login(advisor, backend="django.contrib.auth.backends.ModelBackend")
    return travel


def test_the_advisor_sees_the_outcome_and_the_soap_plan(advisor_client, advisor, student):
    in_soap(student)
    share(student, advisor)

    response = page(advisor_client, student)

    assert response.context["soap"].in_soap
    text = response.content.decode()
    assert "Did not match" in text and "SOAP this week" in text
    card = soap_card(text)
    # Issue 18: the rule, today's allowed moves, and whether a program has made contact; no
    # program named for anyone to reach before it contacts the student.
    assert "neither you nor anyone on your behalf may contact a program" in card
    assert "Today, Tuesday: Programs review applications" in card
    assert "Dr. Shah (program director" in card
    assert "No program has contacted them yet" in card
    assert "Lakeshore Internal Medicine" not in card
    # Not shared: the note to programs, and the tie's own note, stay the student's.
    assert "My own note to programs" not in text and "Their note to programs" not in text
    assert "residency, 2015" not in text


def test_the_note_to_programs_shows_only_when_notes_are_shared(advisor_client, advisor, student):
    in_soap(student)
    share(student, advisor, share_notes=True)
    # The note is for a program that contacted the student (NRMP's rule): none yet, no note.
    assert "Their note to programs" not in soap_card(page(advisor_client, student).content.decode())
    # As the student marks it (the service stamps their records: the plan is worked out again).
    records.soap_contact_mark(
        owner=student, year=2027, program=student.programs.get(name="Lakeshore Internal Medicine")
    )

    card = soap_card(page(advisor_client, student).content.decode())

    assert "Their note to programs" in card and "My own note to programs" in card
    assert "Lakeshore Internal Medicine contacted you, so it is now within the rules" in card
    assert "Dr. Shah" in card and "residency, 2015" in card


def test_a_preliminary_year_only_says_so(advisor_client, advisor, student):
    in_soap(student, outcome="partial")
    share(student, advisor)

    text = page(advisor_client, student).content.decode()

    assert "Matched to a preliminary year only" in text
    assert "matched to a preliminary year only and is looking for the advanced position" in text


def test_a_student_who_does_not_share_is_a_404(advisor_client, other_student):
    in_soap(other_student)

    assert page(advisor_client, other_student).status_code == 404


def test_the_plan_never_shows_another_students_people(
    advisor_client, advisor, student, other_student
):
    in_soap(student)
    in_soap(other_student, prefix="Other ")
    share(student, advisor, share_notes=True)
    share(other_student, advisor, share_notes=True)

    text = page(advisor_client, student).content.decode()

    assert "Dr. Shah" in text
    assert "Other Shah" not in text and "Other Lakeshore" not in text
    assert "Other My own note" not in text


def test_after_match_week_the_outcome_shows_without_a_plan(advisor_client, advisor, student):
    in_soap(student)
    share(student, advisor)

    travel = in_august(advisor_client, advisor)
    try:
        text = page(advisor_client, student).content.decode()
    finally:
        travel.stop()

    assert "Did not match" in text and "SOAP this week" not in text


def test_a_matched_student_costs_no_more_queries(
    advisor_client, advisor, student, django_assert_num_queries
):
    travel = in_august(advisor_client, advisor)
    try:
        build_network(student, datetime.date(2027, 8, 2), size=3)
        student.match_outcome = "matched"
        student.save()
        share(student, advisor, share_notes=False)

        # As test_a_student_without_shared_notes_costs_one_query_less: no Match Week read.
        with django_assert_num_queries(19):
            response = page(advisor_client, student)
    finally:
        travel.stop()

    assert response.context["soap"] is None
    assert "Matched" in response.content.decode()


def test_the_list_of_students_shows_the_outcome(
    advisor_client, advisor, student, other_student, django_assert_num_queries
):
    in_soap(student)
    share(student, advisor)
    share(other_student, advisor)

    # 1 session, 2 the advisor, 3 the students with every figure: the outcome is on their row.
    with django_assert_num_queries(3):
        text = advisor_client.get(reverse("advisor_home")).content.decode()

    assert text.count("Did not match") == 1
