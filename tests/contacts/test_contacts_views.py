"""The student's contact pages: list, picker, contact page, create/edit, archive and delete,
and editing or deleting an interaction."""

import datetime

import pytest
from django.urls import reverse

from contacts import selectors
from contacts.models import Contact, Institution, Interaction
from contacts.templatetags.contact_tags import history_summary, since
from tests.factories import (
    ContactFactory,
    InstitutionFactory,
    InteractionFactory,
    LetterRequestFactory,
    RotationFactory,
    TeamMemberFactory,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
LIST_URL = reverse("contacts:list")


def _names(response) -> list[str]:
    return [contact.name for contact in response.context["page"].object_list]


# --- Access -----------------------------------------------------------------------------------

OWNED_CONTACT_PAGES = ["contacts:detail", "contacts:edit", "contacts:delete"]


@pytest.mark.parametrize(
    "url",
    [
        reverse("contacts:list"),
        reverse("contacts:create"),
        reverse("contacts:picker"),
        reverse("contacts:detail", args=[1]),
        reverse("contacts:edit", args=[1]),
        reverse("contacts:delete", args=[1]),
        reverse("contacts:interaction_edit", args=[1]),
        reverse("contacts:interaction_delete", args=[1]),
    ],
)
def test_contact_pages_ask_anonymous_visitors_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", OWNED_CONTACT_PAGES)
def test_contact_pages_open_for_the_owner(student_client, student, name):
    contact = ContactFactory(owner=student)
    assert student_client.get(reverse(name, args=[contact.pk])).status_code == 200


@pytest.mark.parametrize("name", OWNED_CONTACT_PAGES)
def test_another_students_contact_is_not_found(student_client, other_student, name):
    theirs = ContactFactory(owner=other_student)
    assert student_client.get(reverse(name, args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("name", ["contacts:edit", "contacts:delete"])
def test_another_students_contact_cannot_be_changed(student_client, other_student, name):
    theirs = ContactFactory(owner=other_student, name="Dr. Theirs")
    data = {"name": "Renamed", "role": "peer"}
    assert student_client.post(reverse(name, args=[theirs.pk]), data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Dr. Theirs"


def test_another_students_contact_cannot_be_archived(student_client, other_student):
    theirs = ContactFactory(owner=other_student)
    response = student_client.post(reverse("contacts:archive", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.archived is False


@pytest.mark.parametrize("name", ["contacts:interaction_edit", "contacts:interaction_delete"])
def test_interaction_pages_open_for_the_owner(student_client, student, name):
    interaction = InteractionFactory(owner=student)
    assert student_client.get(reverse(name, args=[interaction.pk])).status_code == 200


@pytest.mark.parametrize("name", ["contacts:interaction_edit", "contacts:interaction_delete"])
def test_another_students_interaction_is_not_found(student_client, other_student, name):
    theirs = InteractionFactory(owner=other_student)
    assert student_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert student_client.post(reverse(name, args=[theirs.pk])).status_code == 404
    assert Interaction.objects.filter(pk=theirs.pk).exists()


# --- The list ---------------------------------------------------------------------------------


def test_list_shows_only_the_students_own_contacts(student_client, student, other_student):
    ContactFactory(owner=student, name="Dr. Mine")
    ContactFactory(owner=other_student, name="Dr. Theirs")
    response = student_client.get(LIST_URL)
    assert response.status_code == 200
    assert _names(response) == ["Dr. Mine"]


def test_list_rows_show_role_institution_and_last_contact(student_client, student):
    today = student.local_today()
    contact = ContactFactory(
        owner=student,
        name="Dr. Maya Patel",
        role="program_director",
        institution=InstitutionFactory(owner=student, name="Lakeshore"),
    )
    InteractionFactory(owner=student, contact=contact, date=today - datetime.timedelta(days=95))
    ContactFactory(owner=student, name="Dr. Never Met")
    content = student_client.get(LIST_URL).content.decode()
    assert "Program director" in content
    assert "Lakeshore" in content
    assert "Last contact: 3 months ago" in content
    assert "Last contact: never" in content


@pytest.mark.parametrize(
    "query",
    ["pat", "cardio", "lakeshore", "mentor"],
    ids=["name", "specialty", "institution", "tag"],
)
def test_list_search_matches_name_specialty_institution_and_tags(student_client, student, query):
    ContactFactory(
        owner=student,
        name="Dr. Maya Patel",
        specialty="Cardiology",
        institution=InstitutionFactory(owner=student, name="Lakeshore General"),
        tags=["mentor"],
    )
    ContactFactory(
        owner=student,
        name="Dr. Other",
        specialty="Surgery",
        institution=InstitutionFactory(owner=student, name="Elsewhere"),
    )
    assert _names(student_client.get(LIST_URL, {"q": query})) == ["Dr. Maya Patel"]


def test_list_filters_by_role_specialty_and_institution(student_client, student):
    lakeshore = InstitutionFactory(owner=student, name="Lakeshore")
    ContactFactory(
        owner=student, name="A", role="fellow", specialty="Surgery", institution=lakeshore
    )
    ContactFactory(owner=student, name="B", role="fellow", specialty="Pediatrics")
    ContactFactory(owner=student, name="C", role="peer", specialty="Surgery")
    assert _names(student_client.get(LIST_URL, {"role": "fellow"})) == ["A", "B"]
    assert _names(student_client.get(LIST_URL, {"specialty": "Surgery"})) == ["A", "C"]
    assert _names(student_client.get(LIST_URL, {"institution": lakeshore.pk})) == ["A"]


def test_list_ignores_a_filter_value_it_does_not_know(student_client, student, other_student):
    ContactFactory(owner=student, name="Mine")
    theirs = InstitutionFactory(owner=other_student)
    response = student_client.get(LIST_URL, {"role": "pope", "institution": theirs.pk})
    assert response.status_code == 200
    assert _names(response) == ["Mine"]


def test_list_sorts_by_last_contact_or_name(student_client, student):
    recent = ContactFactory(owner=student, name="Recent")
    old = ContactFactory(owner=student, name="Old")
    ContactFactory(owner=student, name="Never")
    InteractionFactory(owner=student, contact=recent, date=datetime.date(2027, 7, 1))
    InteractionFactory(owner=student, contact=old, date=datetime.date(2026, 1, 1))
    assert _names(student_client.get(LIST_URL)) == ["Recent", "Old", "Never"]
    assert _names(student_client.get(LIST_URL, {"sort": "longest"})) == ["Never", "Old", "Recent"]
    assert _names(student_client.get(LIST_URL, {"sort": "name"})) == ["Never", "Old", "Recent"]


def test_archived_contacts_are_hidden_unless_asked_for(student_client, student):
    ContactFactory(owner=student, name="Active")
    ContactFactory(owner=student, name="Archived", archived=True)
    assert _names(student_client.get(LIST_URL)) == ["Active"]
    response = student_client.get(LIST_URL, {"archived": "on", "sort": "name"})
    assert _names(response) == ["Active", "Archived"]
    assert "badge-archived" in response.content.decode()


def test_list_paginates_25_to_a_page(student_client, student):
    for number in range(30):
        ContactFactory(owner=student, name=f"Contact {number:02}")
    first = student_client.get(LIST_URL, {"sort": "name"})
    assert len(first.context["page"].object_list) == 25
    assert "page=2" in first.content.decode()
    second = student_client.get(LIST_URL, {"sort": "name", "page": 2})
    assert _names(second) == [f"Contact {number:02}" for number in range(25, 30)]
    assert "sort=name" in second.content.decode()  # the links keep the filters


def test_list_answers_htmx_with_the_results_fragment(student_client, student):
    ContactFactory(owner=student, name="Dr. Maya Patel")
    response = student_client.get(LIST_URL, {"q": "maya"}, **HTMX)
    content = response.content.decode()
    assert "<html" not in content
    assert "Dr. Maya Patel" in content
    assert 'class="filters"' not in content
    assert "HX-Request" in response["Vary"]


def test_list_answers_an_htmx_history_restore_with_the_whole_page(student_client, student):
    response = student_client.get(LIST_URL, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in response.content.decode()


def test_list_welcomes_a_student_with_no_contacts(student_client):
    assert "No contacts yet." in student_client.get(LIST_URL).content.decode()


def test_list_says_when_filters_match_no_one(student_client, student):
    ContactFactory(owner=student, name="Dr. Maya Patel")
    content = student_client.get(LIST_URL, {"q": "zzz"}).content.decode()
    assert "No one matches these filters." in content


@pytest.mark.parametrize("rows", [3, 30])
def test_list_runs_a_fixed_number_of_queries(
    student_client, student, rows, django_assert_num_queries
):
    for number in range(rows):
        contact = ContactFactory(owner=student, specialty=f"Specialty {number}")
        InteractionFactory(owner=student, contact=contact)
    # 1 session, 2 user, 3 specialties for the filter, 4 count, 5 the page's contacts with
    # institution and last contact; their tiers: 6 interactions, 7 team places with rotation,
    # 8 letters; 9 institutions for the filter.
    with django_assert_num_queries(9):
        response = student_client.get(LIST_URL)
    assert len(response.context["page"].object_list) == min(rows, 25)


@pytest.mark.parametrize("rows", [3, 30])
def test_list_filtered_by_tier_runs_a_fixed_number_of_queries(
    student_client, student, rows, django_assert_num_queries
):
    for number in range(rows):
        contact = ContactFactory(owner=student, specialty=f"Specialty {number}")
        InteractionFactory(owner=student, contact=contact)
    # 1 session, 2 user, 3 specialties for the filter; the whole network scored for the tier:
    # 4 student, 5 contacts, 6 interactions, 7 team places, 8 rotations, 9 letters; 10 count,
    # 11 the page's contacts (each has the tier filtered on: no query for the badges),
    # 12 institutions for the filter.
    with django_assert_num_queries(12):
        response = student_client.get(LIST_URL, {"tier": "acquaintance"})
    assert len(response.context["page"].object_list) == min(rows, 25)


# --- The picker -------------------------------------------------------------------------------


def test_picker_finds_contacts_by_partial_name(student_client, student):
    ContactFactory(owner=student, name="Dr. Maya Patel")
    ContactFactory(owner=student, name="Dr. Sam Okafor")
    response = student_client.get(reverse("contacts:picker"), {"contact_search": "pat"}, **HTMX)
    content = response.content.decode()
    assert "Dr. Maya Patel" in content
    assert "Okafor" not in content
    assert "Add “pat” as a new contact" in content


def test_picker_never_shows_another_students_contacts(student_client, other_student):
    ContactFactory(owner=other_student, name="Dr. Maya Patel")
    response = student_client.get(reverse("contacts:picker"), {"contact_search": "Patel"})
    assert "Dr. Maya Patel" not in response.content.decode().replace("Add “", "")
    assert list(response.context["results"]) == []


def test_picker_answers_an_empty_search_with_nothing(student_client):
    response = student_client.get(reverse("contacts:picker"), {"contact_search": "  "})
    assert response.status_code == 200
    assert response.content == b""


def test_picker_fills_in_a_chosen_contact(student_client, student):
    contact = ContactFactory(owner=student, name="Dr. Maya Patel")
    response = student_client.get(reverse("contacts:picker"), {"contact": contact.pk})
    content = response.content.decode()
    assert f'<input type="hidden" name="contact" value="{contact.pk}">' in content
    assert "Dr. Maya Patel" in content


def test_picker_refuses_to_choose_another_students_contact(student_client, other_student):
    theirs = ContactFactory(owner=other_student)
    response = student_client.get(reverse("contacts:picker"), {"contact": theirs.pk})
    assert response.status_code == 404


def test_picker_prepares_a_new_contact_with_an_optional_role(student_client):
    response = student_client.get(reverse("contacts:picker"), {"new": "Dr. New Person"})
    content = response.content.decode()
    assert '<input type="hidden" name="new_contact_name" value="Dr. New Person">' in content
    assert 'name="new_contact_role"' in content


def test_picker_without_a_search_gives_back_the_empty_search_box(student_client):
    content = student_client.get(reverse("contacts:picker")).content.decode()
    assert 'name="contact_search"' in content


# --- The contact page -------------------------------------------------------------------------


def test_contact_page_shows_the_facts_with_links(student_client, student):
    contact = ContactFactory(
        owner=student,
        name="Dr. Maya Patel",
        email="maya@example.org",
        phone="+1 312 555 0100",
        how_met="Attending on my medicine clerkship",
        would_vouch=True,
        tags=["mentor", "research"],
        notes="Likes short updates.",
        institution=InstitutionFactory(owner=student, name="Lakeshore", city="Chicago"),
    )
    content = student_client.get(contact.get_absolute_url()).content.decode()
    assert 'href="mailto:maya@example.org"' in content
    assert 'href="tel:+13125550100"' in content
    assert "Lakeshore, Chicago, IL" in content
    assert "Attending on my medicine clerkship" in content
    assert "Yes: they offered" in content
    assert ">mentor<" in content
    assert "Likes short updates." in content
    assert f"{reverse('home')}?contact={contact.pk}" in content  # log an interaction with them


def test_contact_page_shows_the_timeline_newest_first(student_client, student):
    contact = ContactFactory(owner=student)
    InteractionFactory(
        owner=student, contact=contact, date=datetime.date(2027, 1, 5), summary="First"
    )
    InteractionFactory(
        owner=student, contact=contact, date=datetime.date(2027, 6, 5), summary="Later"
    )
    response = student_client.get(contact.get_absolute_url())
    assert [i.summary for i in response.context["history"].interactions] == ["Later", "First"]
    content = response.content.decode()
    assert content.index("Later") < content.index("First")


def test_contact_page_shows_rotations_shared_and_letters(student_client, student):
    contact = ContactFactory(owner=student)
    rotation = RotationFactory(owner=student, name="Medicine sub-I")
    TeamMemberFactory(rotation=rotation, contact=contact, weeks_together=3)
    LetterRequestFactory(owner=student, writer=contact, status="agreed")
    content = student_client.get(contact.get_absolute_url()).content.decode()
    assert "Medicine sub-I" in content
    assert "3 weeks on the same team" in content
    assert "Residency application" in content
    assert "Agreed" in content


def test_contact_page_has_an_empty_slot_for_scores(student_client, student):
    contact = ContactFactory(owner=student)
    response = student_client.get(contact.get_absolute_url())
    assert "contacts/_contact_scores.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("rows", [3, 30])
def test_contact_page_runs_a_fixed_number_of_queries(
    student_client, student, rows, django_assert_num_queries
):
    contact = ContactFactory(owner=student)
    for _ in range(rows):
        InteractionFactory(owner=student, contact=contact)
        TeamMemberFactory(rotation=RotationFactory(owner=student), contact=contact)
        LetterRequestFactory(owner=student, writer=contact)
    # 1 session, 2 user, 3 contact with institution, 4 interactions (as rows; only the page
    # on show becomes instances), 5 team places with rotation and institution, 6 letters,
    # 7 the contact's ties, 8 the programs at their own institution.
    with django_assert_num_queries(8):
        response = student_client.get(contact.get_absolute_url())
    assert len(response.context["history"].interactions) == min(rows, 20)
    assert response.context["history"].interaction_count == rows


def test_a_long_history_shows_twenty_at_a_time_newest_first(student_client, student):
    contact = ContactFactory(owner=student)
    first_day = datetime.date(2027, 1, 1)
    for day in range(45):
        InteractionFactory(
            owner=student, contact=contact, date=first_day + datetime.timedelta(days=day)
        )

    newest = student_client.get(contact.get_absolute_url())
    oldest = student_client.get(contact.get_absolute_url(), {"page": "3"})
    garbage = student_client.get(contact.get_absolute_url(), {"page": "x\x00"})

    assert [i.date.day for i in newest.context["history"].interactions][:2] == [14, 13]
    assert "1–20 of 45" in newest.content.decode()
    assert "Older →" in newest.content.decode()
    assert len(oldest.context["history"].interactions) == 5
    assert oldest.context["history"].interactions[-1].date == first_day
    assert garbage.status_code == 200
    # The scores still read every interaction, not only the page on show.
    assert newest.context["standing"] == oldest.context["standing"]


# --- Create and edit --------------------------------------------------------------------------


def test_create_form_suggests_the_students_institutions(student_client, student, other_student):
    InstitutionFactory(owner=student, name="Lakeshore")
    InstitutionFactory(owner=other_student, name="Not Mine")
    content = student_client.get(reverse("contacts:create")).content.decode()
    assert '<option value="Lakeshore">' in content
    assert "Not Mine" not in content
    assert "Never include patient information." in content


def test_creating_a_contact_finds_or_creates_the_institution(student_client, student):
    lakeshore = InstitutionFactory(owner=student, name="Lakeshore", city="")
    response = student_client.post(
        reverse("contacts:create"),
        {
            "name": " Dr. Maya Patel ",
            "role": "program_director",
            "specialty": "Internal Medicine",
            "institution_name": "lakeshore",
            "institution_city": "Chicago",
            "tags": "mentor, research, mentor",
            "notes": "Met at grand rounds",
        },
    )
    contact = Contact.objects.get(owner=student)
    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    assert contact.name == "Dr. Maya Patel"
    assert contact.institution == lakeshore
    assert contact.tags == ["mentor", "research"]
    lakeshore.refresh_from_db()
    assert lakeshore.city == "Chicago"  # a blank filled in


def test_creating_a_contact_at_a_new_institution_adds_it(student_client, student):
    student_client.post(
        reverse("contacts:create"),
        {"name": "Dr. New", "role": "faculty", "institution_name": "Northside", "tags": ""},
    )
    assert Institution.objects.get(owner=student).name == "Northside"


def test_contact_form_errors_keep_what_was_typed(student_client, student):
    response = student_client.post(
        reverse("contacts:create"),
        {"name": "", "role": "faculty", "email": "not-an-email", "how_met": "Clerkship"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "email"}
    content = response.content.decode()
    assert 'value="Clerkship"' in content
    assert 'id="id_email_error"' in content
    assert Contact.objects.count() == 0


def test_editing_a_contact_saves_it(student_client, student):
    contact = ContactFactory(owner=student, name="Dr. Old", tags=["a"])
    response = student_client.get(reverse("contacts:edit", args=[contact.pk]))
    assert 'value="a"' in response.content.decode()
    response = student_client.post(
        reverse("contacts:edit", args=[contact.pk]),
        {"name": "Dr. New", "role": "fellow", "institution_name": "", "tags": "b, c"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.role, contact.tags) == ("Dr. New", "fellow", ["b", "c"])
    assert contact.institution is None


# --- Archive and delete -----------------------------------------------------------------------


def test_archiving_hides_a_contact_from_the_default_list(student_client, student):
    contact = ContactFactory(owner=student, name="Dr. Quiet")
    response = student_client.post(reverse("contacts:archive", args=[contact.pk]))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.archived is True
    assert "Dr. Quiet" not in _names(student_client.get(LIST_URL))


def test_unarchiving_brings_a_contact_back(student_client, student):
    contact = ContactFactory(owner=student, archived=True)
    student_client.post(reverse("contacts:archive", args=[contact.pk]), {"archived": "0"})
    contact.refresh_from_db()
    assert contact.archived is False


def test_archive_accepts_only_post(student_client, student):
    contact = ContactFactory(owner=student)
    assert student_client.get(reverse("contacts:archive", args=[contact.pk])).status_code == 405


def test_deleting_a_contact_without_history_is_a_simple_confirm(student_client, student):
    contact = ContactFactory(owner=student)
    content = student_client.get(reverse("contacts:delete", args=[contact.pk])).content.decode()
    assert "Archive instead" not in content
    response = student_client.post(reverse("contacts:delete", args=[contact.pk]))
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_deleting_a_contact_with_history_asks_and_offers_archiving(student_client, student):
    contact = ContactFactory(owner=student)
    InteractionFactory(owner=student, contact=contact)
    content = student_client.get(reverse("contacts:delete", args=[contact.pk])).content.decode()
    assert "1 interaction" in content
    assert "Archive instead" in content
    assert f'action="{reverse("contacts:archive", args=[contact.pk])}"' in content
    assert Contact.objects.filter(pk=contact.pk).exists()  # asking deletes nothing


def test_deleting_a_contact_with_history_anyway_deletes_the_history(student_client, student):
    contact = ContactFactory(owner=student)
    InteractionFactory(owner=student, contact=contact)
    student_client.post(reverse("contacts:delete", args=[contact.pk]))
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Interaction.objects.count() == 0


# --- Interactions -----------------------------------------------------------------------------


def test_editing_an_interaction_saves_it_and_returns_to_the_contact(student_client, student):
    interaction = InteractionFactory(owner=student, kind="meeting")
    response = student_client.post(
        reverse("contacts:interaction_edit", args=[interaction.pk]),
        {
            "contact": interaction.contact.pk,
            "date": "2027-07-12",
            "kind": "feedback",
            "direction": "inbound",
            "context": "teaching",
            "summary": "Asked for feedback",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == interaction.contact.get_absolute_url()
    interaction.refresh_from_db()
    assert (interaction.kind, interaction.direction) == ("feedback", "inbound")
    assert interaction.date == datetime.date(2027, 7, 12)


def test_an_interaction_cannot_be_moved_to_another_students_contact(
    student_client, student, other_student
):
    interaction = InteractionFactory(owner=student)
    theirs = ContactFactory(owner=other_student)
    response = student_client.post(
        reverse("contacts:interaction_edit", args=[interaction.pk]),
        {"contact": theirs.pk, "date": "2027-07-12", "kind": "email", "direction": "outbound"},
    )
    assert response.status_code == 200
    assert "contact" in response.context["form"].errors
    interaction.refresh_from_db()
    assert interaction.contact.owner == student


def test_deleting_an_interaction_asks_then_deletes(student_client, student):
    interaction = InteractionFactory(owner=student, summary="Hallway chat")
    url = reverse("contacts:interaction_delete", args=[interaction.pk])
    assert "Hallway chat" in student_client.get(url).content.decode()
    response = student_client.post(url)
    assert response["Location"] == interaction.contact.get_absolute_url()
    assert not Interaction.objects.filter(pk=interaction.pk).exists()


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (None, "never"),
        (0, "today"),
        (1, "yesterday"),
        (5, "5 days ago"),
        (20, "2 weeks ago"),
        (95, "3 months ago"),
        (400, "1 year ago"),
        (-3, "upcoming"),
    ],
)
def test_last_contact_reads_in_plain_words(days, words):
    today = datetime.date(2027, 7, 10)
    day = None if days is None else today - datetime.timedelta(days=days)
    assert since(day, today) == words


def test_history_reads_in_plain_words_naming_only_what_there_is(student):
    contact = ContactFactory(owner=student)
    InteractionFactory.create_batch(2, owner=student, contact=contact)
    LetterRequestFactory(owner=student, writer=contact)
    assert history_summary(selectors.contact_history(contact)) == "2 interactions and 1 letter"
