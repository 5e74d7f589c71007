"""Sharing by the student's choice: who has access, revoking (effective at once), private
notes shared only when chosen, and recommendations the student marks done."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from advisors.models import AdvisorAccess, Recommendation
from advisors.selectors import recommendations_for_student, student_for_advisor
from tests.advisors.advisor_world import build_network, share
from tests.factories import (
    AdvisorFactory,
    InvitationFactory,
    LetterRequestFactory,
    RecommendationFactory,
    UserFactory,
)

TODAY = datetime.date(2027, 8, 2)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.datetime(2027, 8, 2, 15, 0, tzinfo=datetime.UTC), tick=False):
        yield


def map_url(student):
    return reverse("advisor_student", args=[student.pk])


# --- Who has access ------------------------------------------------------------------------------


def test_settings_show_who_can_see_the_map_and_pending_invitations(student_client, student):
    access = share(student, AdvisorFactory(name="Dr. Wei Chen"), share_notes=True)
    InvitationFactory(student=student, email="pending@example.edu")
    InvitationFactory(
        student=student, email="withdrawn@example.edu", cancelled_at="2027-08-01T00:00Z"
    )
    share(UserFactory(), AdvisorFactory(name="Dr. Not Mine"))

    response = student_client.get(reverse("settings_section", args=["sharing"]))

    content = response.content.decode()
    assert 'id="sharing"' in content
    assert "Dr. Wei Chen" in content and "private notes shared" in content
    assert reverse("sharing_revoke", args=[access.pk]) in content
    assert "pending@example.edu" in content
    assert "withdrawn@example.edu" not in content
    assert "Dr. Not Mine" not in content


def test_an_expired_invitation_is_no_longer_listed_as_waiting(student_client, student):
    InvitationFactory(student=student, email="old@example.edu", created_at="2027-07-01T00:00Z")

    response = student_client.get(reverse("settings_section", args=["sharing"]))

    assert "old@example.edu" not in response.content.decode()


# --- Revoking -----------------------------------------------------------------------------------


def test_revoking_takes_effect_on_the_advisors_very_next_request(
    student_client, advisor_client, student, advisor
):
    access = share(student, advisor)
    assert advisor_client.get(map_url(student)).status_code == 200

    response = student_client.post(reverse("sharing_revoke", args=[access.pk]))

    assert response.status_code == 302
    assert advisor_client.get(map_url(student)).status_code == 404
    assert (
        advisor_client.post(
            reverse("advisor_recommend", args=[student.pk]), {"text": "Still here?"}
        ).status_code
        == 404
    )
    assert not Recommendation.objects.exists()
    home = advisor_client.get(reverse("advisor_home"))
    assert student.email not in home.content.decode()


def test_revoking_keeps_the_record_of_when_access_ended(student_client, student, advisor):
    access = share(student, advisor)

    student_client.post(reverse("sharing_revoke", args=[access.pk]))

    access.refresh_from_db()
    assert access.revoked_at is not None
    with pytest.raises(Exception, match="No such student"):
        student_for_advisor(advisor, student.pk)


def test_a_student_cannot_revoke_someone_elses_access(student_client, other_student, advisor):
    access = share(other_student, advisor)

    response = student_client.post(reverse("sharing_revoke", args=[access.pk]))

    assert response.status_code == 404
    assert AdvisorAccess.objects.get(pk=access.pk).revoked_at is None


def test_inviting_again_after_revoking_restores_access(student, advisor, client):
    from advisors import services

    access = share(student, advisor)
    services.access_revoke(access=access)
    invitation = services.invitation_create(student=student, email=advisor.email, share_notes=True)

    services.invitation_accept(invitation=invitation, advisor=advisor)

    access.refresh_from_db()
    assert access.revoked_at is None and access.share_notes is True
    assert AdvisorAccess.objects.count() == 1


def test_an_advisor_who_already_has_access_is_not_invited_again(student_client, student, advisor):
    share(student, advisor)

    response = student_client.post(reverse("sharing_invite"), {"email": advisor.email})

    assert response.status_code == 400
    assert "already see your map" in response.context["invite_form"].errors["email"][0]


# --- Private notes -------------------------------------------------------------------------------


def _network_with_notes(student):
    contacts = build_network(student, TODAY, size=3)
    LetterRequestFactory(owner=student, writer=contacts[0], notes="Letter note: ask in person")
    return contacts


def test_private_notes_are_hidden_unless_shared(advisor_client, student, advisor):
    _network_with_notes(student)
    share(student, advisor, share_notes=False)

    content = advisor_client.get(map_url(student)).content.decode()

    assert "Private note about person" not in content
    assert "Letter note" not in content
    assert "private notes not shared" in content


def test_private_notes_are_shown_when_shared(advisor_client, student, advisor):
    _network_with_notes(student)
    share(student, advisor, share_notes=True)

    content = advisor_client.get(map_url(student)).content.decode()

    assert "Private note about person 0" in content
    assert "Letter note: ask in person" in content


def test_the_student_changes_their_mind_about_notes_at_once(
    student_client, advisor_client, student, advisor
):
    _network_with_notes(student)
    access = share(student, advisor, share_notes=False)

    student_client.post(reverse("sharing_notes", args=[access.pk]), {"share_notes": "on"})
    assert "Private note about person 0" in advisor_client.get(map_url(student)).content.decode()

    student_client.post(reverse("sharing_notes", args=[access.pk]), {})
    assert (
        "Private note about person 0" not in advisor_client.get(map_url(student)).content.decode()
    )


def test_notes_shared_with_one_advisor_are_not_shown_to_another(client, student):
    _network_with_notes(student)
    trusted, other = AdvisorFactory(), AdvisorFactory()
    share(student, trusted, share_notes=True)
    share(student, other, share_notes=False)
    client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")

    assert "Private note about" not in client.get(map_url(student)).content.decode()


# --- Recommendations -------------------------------------------------------------------------


def test_an_advisor_writes_a_recommendation_the_student_sees(
    advisor_client, student_client, student, advisor
):
    share(student, advisor)

    response = advisor_client.post(
        reverse("advisor_recommend", args=[student.pk]),
        {"text": "Ask Dr. Chen for a mid-rotation feedback meeting"},
    )

    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert (recommendation.student, recommendation.advisor) == (student, advisor)
    assert recommendations_for_student(student) == [recommendation]
    my_map = student_client.get(reverse("my_map")).content.decode()
    assert "Ask Dr. Chen for a mid-rotation feedback meeting" in my_map


def test_an_empty_recommendation_is_refused(advisor_client, student, advisor):
    share(student, advisor)

    response = advisor_client.post(reverse("advisor_recommend", args=[student.pk]), {"text": " "})

    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert not Recommendation.objects.exists()


def test_the_student_marks_a_recommendation_done_with_htmx_and_the_advisor_sees_when(
    student_client, advisor_client, student, advisor
):
    share(student, advisor)
    recommendation = RecommendationFactory(student=student, advisor=advisor)

    response = student_client.post(
        reverse("recommendation_done", args=[recommendation.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Done Aug 2" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.done_at is not None
    advisor_page = advisor_client.get(map_url(student)).content.decode()
    assert "done Mon Aug 2, 2027" in advisor_page


def test_marking_done_without_javascript_goes_back_where_it_came_from(student_client, student):
    recommendation = RecommendationFactory(student=student)

    response = student_client.post(
        reverse("recommendation_done", args=[recommendation.pk]), {"next": reverse("my_map")}
    )

    assert response["Location"] == reverse("my_map")


def test_marking_done_never_redirects_off_site(student_client, student):
    recommendation = RecommendationFactory(student=student)

    response = student_client.post(
        reverse("recommendation_done", args=[recommendation.pk]), {"next": "https://evil.example"}
    )

    assert response["Location"] == reverse("home")


def test_a_student_cannot_mark_someone_elses_recommendation(student_client, other_student):
    recommendation = RecommendationFactory(student=other_student)

    response = student_client.post(reverse("recommendation_done", args=[recommendation.pk]))

    assert response.status_code == 404
    recommendation.refresh_from_db()
    assert recommendation.done_at is None


def test_the_fragment_shows_open_recommendations_first_and_recently_done_ones(student):
    old_done = RecommendationFactory(
        student=student, text="Old", done_at="2027-07-01T00:00Z", created_at="2027-06-01T00:00Z"
    )
    recent_done = RecommendationFactory(
        student=student, text="Recent", done_at="2027-07-30T00:00Z", created_at="2027-07-01T00:00Z"
    )
    still_open = RecommendationFactory(student=student, text="Open")

    assert recommendations_for_student(student) == [still_open, recent_done]
    assert old_done not in recommendations_for_student(student)


def test_an_advisor_withdraws_only_their_own_recommendations(advisor_client, student, advisor):
    share(student, advisor)
    colleague = AdvisorFactory()
    share(student, colleague)
    mine = RecommendationFactory(student=student, advisor=advisor)
    theirs = RecommendationFactory(student=student, advisor=colleague)

    delete = "advisor_recommendation_delete"
    assert advisor_client.post(reverse(delete, args=[student.pk, theirs.pk])).status_code == 404
    assert advisor_client.post(reverse(delete, args=[student.pk, mine.pk])).status_code == 302
    assert list(Recommendation.objects.all()) == [theirs]
