"""The advisor sees the target programs nobody in the student's network can vouch for."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.advisors.advisor_world import build_network, share
from tests.factories import ProgramFactory, TieFactory

TODAY = datetime.date(2027, 8, 2)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.datetime(2027, 8, 2, 15, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_the_advisor_sees_the_target_programs_nobody_can_vouch_for(
    advisor_client, student, advisor, django_assert_num_queries
):
    advocate, *_ = build_network(student, TODAY, size=6)
    covered = ProgramFactory(owner=student, name="Covered Internal Medicine")
    TieFactory(owner=student, contact=advocate, program=covered, kind="trained_at")
    ProgramFactory(owner=student, name="Lonely Internal Medicine")
    ProgramFactory(owner=student, name="Not On The List Medicine", target=False)
    share(student, advisor, share_notes=True)

    # The map's 15 queries, and the ties to the student's programs (scored from the map's own
    # evaluation: no contact read twice).
    with django_assert_num_queries(21):
        response = advisor_client.get(reverse("advisor_student", args=[student.pk]))

    review = response.context["review"]
    assert [item.program.name for item in review.unvouched_programs] == ["Lonely Internal Medicine"]
    page = response.content.decode()
    assert "Programs nobody can vouch for" in page
    assert "Lonely Internal Medicine" in page and "Not On The List Medicine" not in page


def test_the_student_sees_the_same_on_their_own_map_with_a_link(student_client, student):
    program = ProgramFactory(owner=student, name="Lonely Internal Medicine")

    page = student_client.get(reverse("my_map")).content.decode()

    assert f'href="{program.get_absolute_url()}"' in page
