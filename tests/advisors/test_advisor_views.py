"""The advisor's pages: every student who shares, the ones needing attention first, and one
student's map with its gaps, letters, follow-ups and history; in a constant number of
queries however many students or contacts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisors.models import AdvisorAccess
from crm.dates import week_start
from reminders.models import AdvocateSnapshot
from tests.advisors.advisor_world import build_network, overdue_follow_up, share, snapshots
from tests.factories import (
    PASSWORD,
    AdvisorFactory,
    ContactFactory,
    InteractionFactory,
    LetterRequestFactory,
    UserFactory,
)

TODAY = datetime.date(2027, 8, 2)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.datetime(2027, 8, 2, 15, 0, tzinfo=datetime.UTC), tick=False):
        yield


def a_student(advisor, name, *, advocates=4, active_days_ago=2, **extra):
    """A student sharing with `advisor`, with a weekly count and something logged lately."""
    student = UserFactory(name=name, **extra)
    share(student, advisor)
    AdvocateSnapshot.objects.create(owner=student, week=week_start(TODAY), advocates=advocates)
    with time_machine.travel(TODAY - active_days_ago * DAY, tick=False):
        InteractionFactory(owner=student, date=TODAY - active_days_ago * DAY)
    return student


# --- The list of students -----------------------------------------------------------------------


def test_the_list_shows_every_student_who_shares_and_only_them(advisor_client, advisor):
    mine = a_student(advisor, "Mina Shared")
    revoked = a_student(advisor, "Rex Revoked")
    AdvisorAccess.objects.filter(student=revoked).update(revoked_at="2027-08-01T00:00Z")
    a_student(AdvisorFactory(), "Olga Elsewhere")

    response = advisor_client.get(reverse("advisor_home"))

    assert [s.student for s in response.context["summaries"]] == [mine]
    content = response.content.decode()
    assert "Mina Shared" in content
    assert "Rex Revoked" not in content and "Olga Elsewhere" not in content


def test_students_needing_attention_come_first_with_the_reasons(advisor_client, advisor):
    steady = a_student(advisor, "Aaron Steady")
    few = a_student(advisor, "Bea Few", advocates=2)
    follow_up = a_student(advisor, "Cal Overdue")
    overdue_follow_up(follow_up, ContactFactory(owner=follow_up), TODAY, days=3)
    letter_soon = a_student(advisor, "Dee Letter")
    LetterRequestFactory(owner=letter_soon, status="agreed", due=TODAY + 10 * DAY)
    LetterRequestFactory(owner=letter_soon, status="submitted", due=TODAY + 3 * DAY)  # fine
    letter_late = a_student(advisor, "Eve Late")
    LetterRequestFactory(owner=letter_late, status="asked", due=TODAY - 1 * DAY)
    quiet = a_student(advisor, "Fay Quiet", active_days_ago=45)
    several = a_student(advisor, "Gus Several", advocates=1, active_days_ago=31)

    summaries = advisor_client.get(reverse("advisor_home")).context["summaries"]

    reasons = {summary.student: summary.reasons for summary in summaries}
    assert reasons == {
        steady: [],
        few: ["2 advocates (goal 3+)"],
        follow_up: ["1 overdue follow-up"],
        letter_soon: ["1 letter due within 2 weeks"],
        letter_late: ["1 letter past due"],
        quiet: ["No activity in 6 weeks"],
        several: ["1 advocate (goal 3+)", "No activity in 4 weeks"],
    }
    order = [summary.student for summary in summaries]
    assert order[0] == several  # two reasons
    assert order[-1] == steady
    assert summaries[0].needs_attention and not summaries[-1].needs_attention


def test_a_student_who_has_logged_nothing_needs_a_look(advisor_client, advisor):
    newcomer = UserFactory(name="Nell New")
    share(newcomer, advisor)

    (summary,) = advisor_client.get(reverse("advisor_home")).context["summaries"]

    assert summary.student == newcomer
    assert summary.advocates is None
    assert summary.reasons == ["Nothing logged yet"]


def test_search_by_name_or_email(advisor_client, advisor):
    a_student(advisor, "Priya Raman", email="priya@example.edu")
    a_student(advisor, "Lena Okafor", email="lokafor@example.edu")

    by_name = advisor_client.get(reverse("advisor_home"), {"q": "priya"}).context["summaries"]
    by_email = advisor_client.get(reverse("advisor_home"), {"q": "lokafor@"}).context["summaries"]
    nobody = advisor_client.get(reverse("advisor_home"), {"q": "zzz"})

    assert [s.student.name for s in by_name] == ["Priya Raman"]
    assert [s.student.name for s in by_email] == ["Lena Okafor"]
    assert "No student matches" in nobody.content.decode()


def test_an_advisor_with_no_students_is_told_how_students_share(advisor_client):
    response = advisor_client.get(reverse("advisor_home"))

    assert "No students yet" in response.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_takes_the_same_queries_for_2_or_20_students(
    advisor_client, advisor, django_assert_num_queries, count
):
    for number in range(count):
        student = a_student(advisor, f"Student {number}", advocates=number % 5)
        LetterRequestFactory(owner=student, status="asked", due=TODAY + 5 * DAY)
        overdue_follow_up(student, ContactFactory(owner=student), TODAY)

    # 1 session, 2 the advisor, 3 the students with every figure (one query of subqueries).
    with django_assert_num_queries(3):
        response = advisor_client.get(reverse("advisor_home"))

    assert len(response.context["summaries"]) == count


# --- Roles ------------------------------------------------------------------------------------


def test_a_student_is_told_the_advisor_pages_are_for_advisors(student_client, student):
    response = student_client.get(reverse("advisor_home"))

    assert response.status_code == 403
    assert "This page is for advisors" in response.content.decode()


def test_an_advisor_is_refused_a_students_workspace_kindly(advisor_client):
    response = advisor_client.get(reverse("contacts:list"))

    assert response.status_code == 403
    assert reverse("advisor_home") in response.content.decode()


def test_an_advisor_logging_in_lands_on_their_students(client, advisor):
    response = client.post(
        reverse("login"), {"username": advisor.email, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("advisor_home")
    assert response.status_code == 200


def test_the_advisor_nav_shows_their_pages_not_the_students(advisor_client, advisor):
    content = advisor_client.get(reverse("advisor_home")).content.decode()

    assert ">My students<" in content
    assert ">Contacts<" not in content and ">My map<" not in content


# --- One student's map and what sits beside it -----------------------------------------------


@pytest.fixture
def reviewed(student, advisor):
    student.target_specialties = ["Internal Medicine", "Cardiology"]
    student.target_cities = ["Chicago, IL", "Boston, MA"]
    student.save()
    contacts = build_network(student, TODAY, size=6)
    LetterRequestFactory(owner=student, writer=contacts[1], status="asked", due=TODAY - 2 * DAY)
    LetterRequestFactory(owner=student, writer=contacts[2], status="considering", due=None)
    overdue_follow_up(student, contacts[1], TODAY, days=9)
    snapshots(student, TODAY, [0, 1, 2, 2])
    share(student, advisor)
    return contacts


def test_the_map_page_shows_gaps_letters_follow_ups_and_history(advisor_client, student, reviewed):
    response = advisor_client.get(reverse("advisor_student", args=[student.pk]))

    review = response.context["review"]
    assert {gap.kind: gap.subject for gap in review.gaps} == {
        "specialty": "Cardiology",
        "city": "Boston, MA",
        "setting": "community",
    }
    assert [group.status for group in review.letter_groups] == ["considering", "asked", "agreed"]
    assert review.letters_at_risk == 3  # two agreed, due in 10 days; one asked, 2 days late
    assert [nudge.contact for nudge in review.overdue_follow_ups] == [reviewed[1]]
    assert [point.count for point in review.history.points] == [0, 1, 2, 2]
    content = response.content.decode()
    for section in (
        'id="gaps"',
        'id="letters"',
        'id="follow-ups"',
        'id="history"',
        'id="recommendations"',
    ):
        assert section in content
    assert "Past due" in content and "Due in 10 days" in content
    assert "No one in Cardiology knows you yet" in content


def test_an_empty_network_is_explained(advisor_client, student, advisor):
    share(student, advisor)

    response = advisor_client.get(reverse("advisor_student", args=[student.pk]))

    assert response.status_code == 200
    assert "The map fills in as the student logs" in response.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_the_map_takes_the_same_queries_for_3_or_30_contacts(
    advisor_client, student, advisor, django_assert_num_queries, size
):
    contacts = build_network(student, TODAY, size=size)
    for contact in contacts[:3]:
        LetterRequestFactory(owner=student, writer=contact, due=TODAY + 20 * DAY)
    overdue_follow_up(student, contacts[0], TODAY)
    snapshots(student, TODAY, [1, 2])
    share(student, advisor, share_notes=True)

    # 1 session, 2 the advisor, 3 the live access, 4-13 the engine's ten reads (student,
    # contacts, interactions, rotations, team members, letters, programs, ties, Match
    # stories, red flags), 14 the shared notes, 15 letters with writers, 16 overdue follow-ups,
    # 17 weekly snapshots, 18 recommendations, 19 the student's programs (none here, so no ties
    # to read), 20 the red flags the student shared.
    with django_assert_num_queries(20):
        response = advisor_client.get(reverse("advisor_student", args=[student.pk]))

    assert len(response.context["review"].people) == size


def test_a_student_without_shared_notes_costs_one_query_less(
    advisor_client, student, advisor, django_assert_num_queries
):
    build_network(student, TODAY, size=3)
    share(student, advisor, share_notes=False)

    with django_assert_num_queries(19):
        advisor_client.get(reverse("advisor_student", args=[student.pk]))


def test_the_map_page_stays_quick_with_many_contacts(advisor_client, student, advisor):
    build_network(student, TODAY, size=60)
    share(student, advisor)

    with CaptureQueriesContext(connection) as queries:
        response = advisor_client.get(reverse("advisor_student", args=[student.pk]))

    assert response.status_code == 200
    assert len(queries) <= 19  # with the engine's red flags (issue 19)
