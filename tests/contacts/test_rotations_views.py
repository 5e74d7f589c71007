import datetime

import pytest
from django.urls import reverse

from contacts.models import Contact, Rotation, TeamMember
from tests.factories import (
    ContactFactory,
    InstitutionFactory,
    RotationFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db

# Noon UTC on July 10, 2027 is July 10 in Chicago (the factories' time zone).
JULY_10 = datetime.datetime(2027, 7, 10, 12, tzinfo=datetime.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def july_10(time_machine):
    """Freeze the clock; list it before `student_client` so the login happens in frozen time."""
    time_machine.move_to(JULY_10, tick=False)


def rotation_data(**overrides):
    data = {
        "name": "Surgery clerkship",
        "specialty": "General Surgery",
        "kind": "core_clerkship",
        "institution_name": "Lakeshore Medical Center",
        "start": "2027-08-01",
        "end": "2027-08-28",
    }
    return {**data, **overrides}


# --- The list -----------------------------------------------------------------------------


def test_rotation_list_needs_a_login(client):
    response = client.get(reverse("contacts:rotation_list"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_rotation_list_invites_the_first_rotation_when_there_is_none(student_client):
    response = student_client.get(reverse("contacts:rotation_list"))
    assert response.status_code == 200
    assert "Add your current rotation — then add the people you work with" in response.text
    assert reverse("contacts:rotation_create") in response.text


def test_rotation_list_groups_rotations_into_now_coming_up_and_past(
    july_10, student_client, student
):
    RotationFactory(owner=student, name="Old clerkship", start="2027-01-04", end="2027-01-31")
    RotationFactory(owner=student, name="Medicine sub-I", start="2027-07-01", end="2027-07-28")
    RotationFactory(owner=student, name="Later away", start="2027-10-04", end="2027-10-31")
    RotationFactory(owner=student, name="Next away", start="2027-08-02", end="2027-08-29")

    response = student_client.get(reverse("contacts:rotation_list"))

    groups = [
        (group.label, [rotation.name for rotation in group.rotations])
        for group in response.context["groups"]
    ]
    assert groups == [
        ("Now", ["Medicine sub-I"]),
        ("Coming up", ["Next away", "Later away"]),
        ("Past", ["Old clerkship"]),
    ]


def test_rotation_list_shows_kind_institution_dates_and_team_size(student_client, student):
    rotation = RotationFactory(
        owner=student, institution=InstitutionFactory(owner=student, name="Mercy Hospital")
    )
    TeamMemberFactory.create_batch(3, rotation=rotation)

    text = student_client.get(reverse("contacts:rotation_list")).text

    assert "Medicine sub-I" in text
    assert "Sub-internship" in text
    assert "Mercy Hospital" in text
    assert "Jul 1, 2027" in text and "Jul 28, 2027" in text
    assert "3 on the team" in text


def test_rotation_list_shows_only_the_students_own_rotations(
    student_client, student, other_student
):
    RotationFactory(owner=other_student, name="Grace's elective")
    text = student_client.get(reverse("contacts:rotation_list")).text
    assert "elective" not in text


def test_rotation_list_shows_twenty_rotations_a_page(student_client, student):
    for day in range(1, 23):
        RotationFactory(owner=student, start=datetime.date(2026, 1, day), end="2026-02-28")

    first = student_client.get(reverse("contacts:rotation_list"))
    second = student_client.get(reverse("contacts:rotation_list"), {"page": 2})

    assert len(first.context["page_obj"].object_list) == 20
    assert len(second.context["page_obj"].object_list) == 2
    assert "Page 2 of 2" in second.text


@pytest.mark.parametrize("rotation_count", [2, 20])
def test_rotation_list_queries_stay_the_same_as_rotations_grow(
    student_client, student, django_assert_num_queries, rotation_count
):
    for rotation in RotationFactory.create_batch(rotation_count, owner=student):
        TeamMemberFactory(rotation=rotation)
    # 1 session, 2 user, 3 count for the paginator,
    # 4 the page of rotations with their institution and team size
    with django_assert_num_queries(4):
        response = student_client.get(reverse("contacts:rotation_list"))
    assert response.status_code == 200


# --- Create and edit ----------------------------------------------------------------------


def test_rotation_create_form_offers_the_students_institutions(
    student_client, student, other_student
):
    InstitutionFactory(owner=student, name="Mercy Hospital")
    InstitutionFactory(owner=other_student, name="Grace's Hospital")

    text = student_client.get(reverse("contacts:rotation_create")).text

    assert 'list="institution-names"' in text
    assert '<option value="Mercy Hospital">' in text
    assert "Grace" not in text


def test_rotation_create_saves_it_and_opens_its_page(student_client, student):
    response = student_client.post(reverse("contacts:rotation_create"), rotation_data())

    rotation = Rotation.objects.get(owner=student)
    assert response.status_code == 302
    assert response.url == rotation.get_absolute_url()
    assert rotation.name == "Surgery clerkship"
    assert rotation.kind == "core_clerkship"
    assert rotation.institution.name == "Lakeshore Medical Center"
    assert rotation.institution.owner == student
    assert (rotation.start, rotation.end) == (datetime.date(2027, 8, 1), datetime.date(2027, 8, 28))


def test_rotation_create_reuses_an_institution_typed_in_another_case(student_client, student):
    mercy = InstitutionFactory(owner=student, name="Mercy Hospital")
    student_client.post(
        reverse("contacts:rotation_create"), rotation_data(institution_name="mercy hospital")
    )
    assert Rotation.objects.get(owner=student).institution == mercy


def test_rotation_create_without_an_institution_is_fine(student_client, student):
    student_client.post(reverse("contacts:rotation_create"), rotation_data(institution_name=""))
    assert Rotation.objects.get(owner=student).institution is None


def test_a_rotation_ending_before_it_starts_is_an_error_on_end(student_client, student):
    data = rotation_data(start="2027-08-28", end="2027-08-01")

    response = student_client.post(reverse("contacts:rotation_create"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"end": ["A rotation must end on or after the day it starts."]}
    # What was typed is kept.
    assert 'value="Surgery clerkship"' in response.text
    assert 'value="2027-08-01"' in response.text
    assert not Rotation.objects.exists()


def test_rotation_edit_shows_the_saved_values(student_client, student):
    rotation = RotationFactory(
        owner=student, institution=InstitutionFactory(owner=student, name="Mercy Hospital")
    )
    text = student_client.get(reverse("contacts:rotation_edit", args=[rotation.pk])).text
    assert 'value="Mercy Hospital"' in text
    assert 'value="2027-07-01"' in text


def test_rotation_edit_saves_the_changes(student_client, student):
    rotation = RotationFactory(owner=student)

    response = student_client.post(
        reverse("contacts:rotation_edit", args=[rotation.pk]),
        rotation_data(name="Medicine sub-I (nights)", institution_name="Mercy Hospital"),
    )

    assert response.status_code == 302
    rotation.refresh_from_db()
    assert rotation.name == "Medicine sub-I (nights)"
    assert rotation.institution.name == "Mercy Hospital"


def test_rotation_edit_refuses_an_end_before_the_start(student_client, student):
    rotation = RotationFactory(owner=student)

    response = student_client.post(
        reverse("contacts:rotation_edit", args=[rotation.pk]),
        rotation_data(start="2027-07-28", end="2027-07-01"),
    )

    assert "end" in response.context["form"].errors
    rotation.refresh_from_db()
    assert rotation.end == datetime.date(2027, 7, 28)


# --- The rotation page and its team -------------------------------------------------------


def test_rotation_page_shows_its_facts_and_team(student_client, student):
    rotation = RotationFactory(owner=student)
    member = TeamMemberFactory(
        rotation=rotation, contact__name="Dr. Rivera", contact__role="clerkship_director"
    )

    response = student_client.get(rotation.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert "Sub-internship" in text and "Internal Medicine" in text
    assert "4 weeks" in text
    assert "Dr. Rivera" in text
    assert reverse("contacts:detail", args=[member.contact.pk]) in text
    assert "Clerkship director" in text
    assert "4 weeks together" in text


def test_rotation_page_says_the_rotation_is_happening_now(july_10, student_client, student):
    rotation = RotationFactory(owner=student, start="2027-07-01", end="2027-07-28")
    response = student_client.get(reverse("contacts:rotation_detail", args=[rotation.pk]))
    assert response.context["timing"] == "current"
    assert '<span class="badge">Now</span>' in response.text


def test_rotation_page_offers_only_the_students_contacts(student_client, student, other_student):
    ContactFactory(owner=student, name="Dr. Mine")
    ContactFactory(owner=other_student, name="Dr. Theirs")
    rotation = RotationFactory(owner=student)

    text = student_client.get(rotation.get_absolute_url()).text

    assert "Dr. Mine" in text
    assert "Dr. Theirs" not in text


@pytest.mark.parametrize("member_count", [2, 20])
def test_rotation_page_queries_stay_the_same_as_the_team_grows(
    student_client, student, django_assert_num_queries, member_count
):
    rotation = RotationFactory(owner=student)
    TeamMemberFactory.create_batch(member_count, rotation=rotation)
    # 1 session, 2 user, 3 rotation with its institution, 4 team members with their contacts,
    # 5 the student's contacts for the "Add to team" select
    with django_assert_num_queries(5):
        response = student_client.get(rotation.get_absolute_url())
    assert response.status_code == 200


def test_team_add_puts_an_existing_contact_on_the_team(student_client, student):
    rotation = RotationFactory(owner=student)
    contact = ContactFactory(owner=student)

    response = student_client.post(
        reverse("contacts:rotation_team_add", args=[rotation.pk]),
        {"contact": contact.pk, "weeks_together": 3},
    )

    assert response.status_code == 302
    assert response.url == rotation.get_absolute_url()
    member = TeamMember.objects.get(rotation=rotation)
    assert (member.contact, member.weeks_together) == (contact, 3)


def test_team_add_creates_a_contact_for_a_new_name(student_client, student):
    institution = InstitutionFactory(owner=student, name="Mercy Hospital")
    rotation = RotationFactory(owner=student, institution=institution, specialty="Surgery")

    student_client.post(
        reverse("contacts:rotation_team_add", args=[rotation.pk]),
        {"new_name": "  Dr. Okafor ", "weeks_together": 2},
    )

    contact = Contact.objects.get(owner=student, name="Dr. Okafor")
    assert contact.institution == institution
    assert contact.specialty == "Surgery"
    assert list(rotation.team.all()) == [contact]


def test_team_add_reuses_a_contact_whose_name_is_typed(student_client, student):
    rotation = RotationFactory(owner=student)
    contact = ContactFactory(owner=student, name="Dr. Okafor")

    student_client.post(
        reverse("contacts:rotation_team_add", args=[rotation.pk]),
        {"new_name": "dr. okafor", "weeks_together": 2},
    )

    assert Contact.objects.filter(owner=student).count() == 1
    assert list(rotation.team.all()) == [contact]


def test_team_add_says_when_someone_is_already_on_the_team(student_client, student):
    member = TeamMemberFactory(rotation__owner=student, contact__name="Dr. Rivera")

    response = student_client.post(
        reverse("contacts:rotation_team_add", args=[member.rotation.pk]),
        {"contact": member.contact.pk, "weeks_together": 1},
    )

    assert response.status_code == 200
    assert "Dr. Rivera is already on the team." in response.text
    assert TeamMember.objects.count() == 1


def test_team_add_with_htmx_says_already_on_the_team_in_the_fragment(student_client, student):
    member = TeamMemberFactory(rotation__owner=student, contact__name="Dr. Rivera")

    response = student_client.post(
        reverse("contacts:rotation_team_add", args=[member.rotation.pk]),
        {"new_name": "Dr. Rivera", "weeks_together": 1},
        **HTMX,
    )

    assert response.status_code == 200
    assert "Dr. Rivera is already on the team." in response.text
    assert "<html" not in response.text


def test_team_add_with_htmx_returns_just_the_team(student_client, student):
    rotation = RotationFactory(owner=student)
    contact = ContactFactory(owner=student, name="Dr. Okafor")

    response = student_client.post(
        reverse("contacts:rotation_team_add", args=[rotation.pk]),
        {"contact": contact.pk, "weeks_together": 4},
        **HTMX,
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "contacts/_team.html"
    assert 'id="team"' in response.text
    assert "<html" not in response.text
    assert "Dr. Okafor is on the team." in response.text


def test_team_add_needs_someone(student_client, student):
    rotation = RotationFactory(owner=student)

    response = student_client.post(
        reverse("contacts:rotation_team_add", args=[rotation.pk]), {"weeks_together": 2}
    )

    assert "Choose someone from your contacts, or type a new name." in response.text
    assert not TeamMember.objects.exists()


def test_team_add_weeks_default_to_the_rotation_length(student_client, student):
    rotation = RotationFactory(owner=student, start="2027-07-01", end="2027-07-28")
    form = student_client.get(rotation.get_absolute_url()).context["team_form"]
    assert form["weeks_together"].initial == 4


def test_team_add_refuses_more_weeks_than_the_rotation_lasts(student_client, student):
    rotation = RotationFactory(owner=student, start="2027-07-01", end="2027-07-28")

    response = student_client.post(
        reverse("contacts:rotation_team_add", args=[rotation.pk]),
        {"new_name": "Dr. Okafor", "weeks_together": 5},
    )

    assert "weeks_together" in response.context["team_form"].errors
    assert not Contact.objects.exists()


def test_team_add_cannot_use_another_students_contact(student_client, student, other_student):
    rotation = RotationFactory(owner=student)
    theirs = ContactFactory(owner=other_student)

    response = student_client.post(
        reverse("contacts:rotation_team_add", args=[rotation.pk]),
        {"contact": theirs.pk, "weeks_together": 2},
    )

    assert "contact" in response.context["team_form"].errors
    assert not TeamMember.objects.exists()


def test_team_add_only_accepts_posts(student_client, student):
    rotation = RotationFactory(owner=student)
    response = student_client.get(reverse("contacts:rotation_team_add", args=[rotation.pk]))
    assert response.status_code == 405


def test_team_remove_takes_someone_off_the_team_but_keeps_the_contact(student_client, student):
    member = TeamMemberFactory(rotation__owner=student)
    url = reverse("contacts:rotation_team_remove", args=[member.rotation.pk, member.pk])

    response = student_client.post(url)

    assert response.status_code == 302
    assert not TeamMember.objects.exists()
    assert Contact.objects.filter(pk=member.contact.pk).exists()


def test_team_remove_with_htmx_returns_just_the_team(student_client, student):
    member = TeamMemberFactory(rotation__owner=student, contact__name="Dr. Rivera")
    url = reverse("contacts:rotation_team_remove", args=[member.rotation.pk, member.pk])

    response = student_client.post(url, **HTMX)

    assert response.status_code == 200
    assert 'id="team"' in response.text
    assert "<html" not in response.text
    assert "Dr. Rivera" in response.text  # still offered in the select, no longer a member
    assert not TeamMember.objects.exists()


def test_team_remove_only_accepts_posts(student_client, student):
    member = TeamMemberFactory(rotation__owner=student)
    url = reverse("contacts:rotation_team_remove", args=[member.rotation.pk, member.pk])
    assert student_client.get(url).status_code == 405
    assert TeamMember.objects.exists()


def test_team_remove_finds_members_only_through_the_students_rotation(
    student_client, student, other_student
):
    mine = RotationFactory(owner=student)
    their_member = TeamMemberFactory(rotation__owner=other_student)
    url = reverse("contacts:rotation_team_remove", args=[mine.pk, their_member.pk])

    assert student_client.post(url).status_code == 404
    assert TeamMember.objects.filter(pk=their_member.pk).exists()


# --- Delete -------------------------------------------------------------------------------


def test_rotation_delete_asks_first(student_client, student):
    rotation = RotationFactory(owner=student)
    response = student_client.get(reverse("contacts:rotation_delete", args=[rotation.pk]))
    assert response.status_code == 200
    assert "The people stay in your contacts" in response.text
    assert Rotation.objects.exists()


def test_rotation_delete_removes_it_and_keeps_the_people(student_client, student):
    member = TeamMemberFactory(rotation__owner=student)

    response = student_client.post(reverse("contacts:rotation_delete", args=[member.rotation.pk]))

    assert response.status_code == 302
    assert response.url == reverse("contacts:rotation_list")
    assert not Rotation.objects.exists()
    assert Contact.objects.filter(pk=member.contact.pk).exists()


# --- Another student's records ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", "contacts:rotation_detail"),
        ("get", "contacts:rotation_edit"),
        ("post", "contacts:rotation_edit"),
        ("get", "contacts:rotation_delete"),
        ("post", "contacts:rotation_delete"),
        ("post", "contacts:rotation_team_add"),
    ],
)
def test_another_students_rotation_is_not_found(student_client, other_student, method, url_name):
    rotation = RotationFactory(owner=other_student)
    contact = ContactFactory(owner=other_student)

    response = getattr(student_client, method)(
        reverse(url_name, args=[rotation.pk]), rotation_data(contact=contact.pk, weeks_together=1)
    )

    assert response.status_code == 404
    assert Rotation.objects.filter(pk=rotation.pk, name="Medicine sub-I").exists()
    assert not TeamMember.objects.exists()


def test_another_students_team_member_is_not_found(student_client, other_student):
    member = TeamMemberFactory(rotation__owner=other_student)
    url = reverse("contacts:rotation_team_remove", args=[member.rotation.pk, member.pk])

    assert student_client.post(url).status_code == 404
    assert TeamMember.objects.filter(pk=member.pk).exists()
