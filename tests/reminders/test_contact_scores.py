"""The engine's scores on the student's pages: depth, influence and tier with their parts on a
contact's page, and each row's tier (and a tier filter) on the contact list."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from contacts.models import Contact
from contacts.selectors import contact_history
from reminders.evaluation.standing import contact_standing, engine_for_student, tiers_of
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    LetterRequestFactory,
    RotationFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
LIST_URL = reverse("contacts:list")
# Wednesday 1 July 2026, in Chicago.
NOW = datetime.datetime(2026, 7, 1, 18, 0, tzinfo=datetime.UTC)
TODAY = D(2026, 7, 1)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def network(student):
    """An advocate (Dr. Rao), someone developing (Dr. Kim), an acquaintance (Dr. Lee) and a
    dormant contact (Dr. Old)."""
    rao = ContactFactory(owner=student, name="Dr. Rao", role="clerkship_director")
    rotation = RotationFactory(owner=student, start=D(2026, 6, 1), end=D(2026, 6, 28))
    TeamMemberFactory(rotation=rotation, contact=rao, weeks_together=4)
    InteractionFactory(owner=student, contact=rao, date=D(2026, 6, 10), kind="meeting")
    InteractionFactory(
        owner=student, contact=rao, date=D(2026, 6, 14), kind="feedback", context="clinical"
    )
    InteractionFactory(
        owner=student, contact=rao, date=D(2026, 6, 20), kind="email", context="research"
    )
    LetterRequestFactory(owner=student, writer=rao, status="agreed", due=D(2026, 9, 1))
    kim = ContactFactory(owner=student, name="Dr. Kim", role="senior_resident")
    InteractionFactory(owner=student, contact=kim, date=D(2026, 6, 2), kind="meeting")
    InteractionFactory(owner=student, contact=kim, date=D(2026, 6, 9), kind="call")
    InteractionFactory(owner=student, contact=kim, date=D(2026, 6, 16), kind="meeting")
    lee = ContactFactory(owner=student, name="Dr. Lee")
    InteractionFactory(owner=student, contact=lee, date=D(2026, 6, 25), kind="email")
    old = ContactFactory(owner=student, name="Dr. Old")
    InteractionFactory(owner=student, contact=old, date=D(2025, 1, 5), kind="meeting")
    return {"rao": rao, "kim": kim, "lee": lee, "old": old}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- The contact page --------------------------------------------------------------------------


def test_contact_page_shows_tier_depth_and_influence_with_their_parts(student_client, network):
    content = text(student_client.get(network["rao"].get_absolute_url()))
    assert "How well Dr. Rao knows your work" in content
    assert 'class="badge badge-advocate tier-badge">Advocate</span>' in content
    # Why, in words.
    assert (
        "4 weeks together on Medicine sub-I · 1 feedback session, 1 meeting this year · "
        "clinical and research work together · a feedback conversation you followed up on · "
        "writing for you."
    ) in content
    assert 'Depth <span class="score-value">70</span>' in content
    for label, points, detail in [
        ("Weeks worked together", "20 of 40", "4 weeks of 8 together (Medicine sub-I)"),
        ("Conversations in the last year", "18 of 25", "1 feedback session, 1 meeting, 1 email"),
        ("More than one setting", "7 of 10", "Seen you in clinical and research work"),
        ("The feedback loop", "15 of 15", "Asked for feedback and circled back"),
        ("A letter", "10 of 10", "Agreed to write for you"),
    ]:
        assert re.search(
            rf"{label}</span> <span class=\"part-points\">{points}</span> "
            rf"<span class=\"part-detail\">{re.escape(detail)}",
            content,
        ), label
    assert 'Influence <span class="score-value">75</span>' in content
    assert "A clerkship director who has written for you: their word counts in full." in content
    assert "<strong>Next:</strong> Keep the conversations going." in content


def test_contact_page_says_when_quiet_time_has_discounted_depth(student_client, network):
    content = text(student_client.get(network["old"].get_absolute_url()))
    assert 'badge-dormant tier-badge">Dormant</span>' in content
    assert "Quiet for over a year: depth counts a quarter." in content
    assert "No contact in over a year." in content


def test_contact_page_for_someone_never_met_explains_the_empty_parts(student_client, student):
    contact = ContactFactory(owner=student, name="Dr. New")
    content = text(student_client.get(contact.get_absolute_url()))
    assert "Nothing recorded together yet." in content
    assert "Not on a rotation together yet" in content
    assert 'class="part-empty"' in content


def test_contact_page_scores_match_the_whole_students_evaluation(student, network):
    evaluation = engine_for_student(student, TODAY)
    for contact in Contact.objects.select_related("institution").filter(owner=student):
        history = contact_history(contact)
        standing = contact_standing(
            contact,
            TODAY,
            interactions=history.interactions,
            team_places=history.team_places,
            letters=history.letters,
        )
        assert standing.score == evaluation.scores[contact.pk], contact.name


@pytest.mark.parametrize("rows", [3, 30])
def test_contact_page_queries_stay_constant_however_many_records(
    student_client, student, rows, django_assert_num_queries
):
    contact = ContactFactory(owner=student)
    for number in range(rows):
        InteractionFactory(owner=student, contact=contact, date=D(2026, 6, 1 + number % 28))
        TeamMemberFactory(rotation=RotationFactory(owner=student), contact=contact)
        LetterRequestFactory(owner=student, writer=contact)
    # 1 session, 2 user, 3 contact with institution, 4 interactions (as rows, for the scores;
    # only the page on show becomes instances), 5 team places with rotation and institution,
    # 6 letters, 7 their ties, 8 the programs at their institution; the scores come from
    # these, no query.
    with django_assert_num_queries(8):
        response = student_client.get(contact.get_absolute_url())
    assert response.context["standing"].score.contact.id == contact.pk


# --- The contact list --------------------------------------------------------------------------


def test_each_row_of_the_contact_list_shows_its_tier(student_client, network):
    content = text(student_client.get(LIST_URL, {"sort": "name"}))
    for name, tier in [
        ("Dr. Kim", "Developing"),
        ("Dr. Lee", "Acquaintance"),
        ("Dr. Old", "Dormant"),
        ("Dr. Rao", "Advocate"),
    ]:
        assert re.search(
            rf">{name}</a> <span class=\"badge badge-{tier.lower()}\">{tier}</span>", content
        ), name


def test_row_tiers_match_the_whole_students_evaluation(student, network):
    evaluation = engine_for_student(student, TODAY)
    contacts = list(Contact.objects.select_related("institution").filter(owner=student))
    assert tiers_of(contacts, TODAY) == {pk: s.tier for pk, s in evaluation.scores.items()}


@pytest.mark.parametrize(
    ("tier", "names"),
    [
        ("advocate", ["Dr. Rao"]),
        ("developing", ["Dr. Kim"]),
        ("acquaintance", ["Dr. Lee"]),
        ("dormant", ["Dr. Old"]),
        ("", ["Dr. Kim", "Dr. Lee", "Dr. Old", "Dr. Rao"]),
    ],
)
def test_the_contact_list_filters_by_tier(student_client, network, tier, names):
    response = student_client.get(LIST_URL, {"tier": tier, "sort": "name"})
    assert [contact.name for contact in response.context["page"].object_list] == names


def test_the_tier_filter_combines_with_the_others_and_ignores_a_bad_value(
    student_client, student, network
):
    ContactFactory(owner=student, name="Dr. Quiet", role="senior_resident")
    response = student_client.get(LIST_URL, {"tier": "acquaintance", "role": "faculty"})
    assert [contact.name for contact in response.context["page"].object_list] == ["Dr. Lee"]
    response = student_client.get(LIST_URL, {"tier": "famous", "sort": "name"})
    assert len(response.context["page"].object_list) == 5


def test_the_tier_filter_with_htmx_answers_with_the_results(student_client, network):
    response = student_client.get(LIST_URL, {"tier": "advocate"}, HTTP_HX_REQUEST="true")
    content = text(response)
    assert "<html" not in content and "Dr. Rao" in content and "Dr. Kim" not in content
    assert "1 person" in content


def test_no_one_in_a_tier_is_a_filtered_empty_state(student_client, student):
    ContactFactory(owner=student, name="Dr. New")
    content = text(student_client.get(LIST_URL, {"tier": "advocate"}))
    assert "No one matches these filters." in content


def test_the_tier_filter_never_reaches_another_students_contacts(
    student_client, other_student, network
):
    ContactFactory(owner=other_student, name="Dr. Elsewhere")
    response = student_client.get(LIST_URL, {"tier": "acquaintance"})
    assert [contact.name for contact in response.context["page"].object_list] == ["Dr. Lee"]
