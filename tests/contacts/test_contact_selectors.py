"""Reads in contacts/selectors.py for contacts and interactions."""

import datetime

from contacts import selectors
from tests.factories import (
    ContactFactory,
    InstitutionFactory,
    InteractionFactory,
    LetterRequestFactory,
    RotationFactory,
    TeamMemberFactory,
)


def _names(contacts) -> list[str]:
    return [contact.name for contact in contacts]


def test_contacts_with_last_contact_annotates_the_latest_interaction(student):
    met = ContactFactory(owner=student, name="Met")
    ContactFactory(owner=student, name="Never")
    InteractionFactory(owner=student, contact=met, date=datetime.date(2027, 1, 1))
    InteractionFactory(owner=student, contact=met, date=datetime.date(2027, 3, 1))
    last = {c.name: c.last_contact_on for c in selectors.contacts_with_last_contact(student)}
    assert last == {"Met": datetime.date(2027, 3, 1), "Never": None}


def test_contacts_with_last_contact_is_scoped_to_the_student(student, other_student):
    ContactFactory(owner=other_student)
    assert list(selectors.contacts_with_last_contact(student)) == []


def test_contact_search_matches_name_specialty_and_institution(student):
    ContactFactory(owner=student, name="Dr. Maya Patel", specialty="Cardiology")
    ContactFactory(
        owner=student,
        name="Dr. Sam Okafor",
        specialty="Surgery",
        institution=InstitutionFactory(owner=student, name="Northside"),
    )
    assert _names(selectors.contact_search(student, "pat")) == ["Dr. Maya Patel"]
    assert _names(selectors.contact_search(student, "CARDIO")) == ["Dr. Maya Patel"]
    assert _names(selectors.contact_search(student, "north")) == ["Dr. Sam Okafor"]


def test_contact_search_finds_nothing_for_an_empty_query(student):
    ContactFactory(owner=student)
    assert selectors.contact_search(student, "  ") == []


def test_contact_search_never_finds_another_students_contacts(student, other_student):
    ContactFactory(owner=other_student, name="Dr. Maya Patel")
    assert selectors.contact_search(student, "Patel") == []


def test_contact_search_puts_archived_contacts_last_and_limits_results(student):
    ContactFactory(owner=student, name="Dr. A Archived", archived=True)
    for letter in "BCD":
        ContactFactory(owner=student, name=f"Dr. {letter}")
    results = selectors.contact_search(student, "Dr.", limit=3)
    assert _names(results) == ["Dr. B", "Dr. C", "Dr. D"]


def test_recent_interactions_are_newest_first_and_limited(student, other_student):
    for day in range(1, 6):
        InteractionFactory(owner=student, date=datetime.date(2027, 7, day))
    InteractionFactory(owner=other_student, date=datetime.date(2027, 8, 1))
    recent = selectors.recent_interactions(student, limit=3)
    assert [i.date.day for i in recent] == [5, 4, 3]


def test_contacts_for_list_hides_archived_contacts_unless_included(student):
    ContactFactory(owner=student, name="Active")
    ContactFactory(owner=student, name="Gone", archived=True)
    assert _names(selectors.contacts_for_list(student)) == ["Active"]
    everyone = selectors.contacts_for_list(student, include_archived=True, sort="name")
    assert _names(everyone) == ["Active", "Gone"]


def test_contacts_for_list_searches_tags(student):
    ContactFactory(owner=student, name="Tagged", tags=["Research", "mentor"])
    ContactFactory(owner=student, name="Plain")
    assert _names(selectors.contacts_for_list(student, search="research")) == ["Tagged"]


def test_contacts_for_list_filters_combine(student):
    lakeshore = InstitutionFactory(owner=student)
    ContactFactory(owner=student, name="Match", role="fellow", institution=lakeshore)
    ContactFactory(owner=student, name="Wrong role", role="peer", institution=lakeshore)
    ContactFactory(owner=student, name="Elsewhere", role="fellow")
    contacts = selectors.contacts_for_list(student, role="fellow", institution=lakeshore)
    assert _names(contacts) == ["Match"]


def test_contacts_for_list_sorts_never_contacted_as_longest_ago(student):
    recent = ContactFactory(owner=student, name="Recent")
    ContactFactory(owner=student, name="Never")
    InteractionFactory(owner=student, contact=recent)
    assert _names(selectors.contacts_for_list(student, sort="recent")) == ["Recent", "Never"]
    assert _names(selectors.contacts_for_list(student, sort="longest")) == ["Never", "Recent"]


def test_contacts_for_list_falls_back_to_most_recent_for_an_unknown_sort(student):
    recent = ContactFactory(owner=student, name="B recent")
    ContactFactory(owner=student, name="A never")
    InteractionFactory(owner=student, contact=recent)
    assert _names(selectors.contacts_for_list(student, sort="bogus")) == ["B recent", "A never"]


def test_contact_specialties_are_distinct_sorted_and_the_students_own(student, other_student):
    ContactFactory(owner=student, specialty="Surgery")
    ContactFactory(owner=student, specialty="Cardiology")
    ContactFactory(owner=student, specialty="Surgery")
    ContactFactory(owner=student, specialty="")
    ContactFactory(owner=other_student, specialty="Dermatology")
    assert selectors.contact_specialties(student) == ["Cardiology", "Surgery"]


def test_contact_history_gathers_the_timeline_rotations_and_letters(student):
    contact = ContactFactory(owner=student)
    first = InteractionFactory(owner=student, contact=contact, date=datetime.date(2027, 1, 1))
    later = InteractionFactory(owner=student, contact=contact, date=datetime.date(2027, 5, 1))
    early_rotation = RotationFactory(
        owner=student, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 28)
    )
    late_rotation = RotationFactory(owner=student)
    TeamMemberFactory(rotation=early_rotation, contact=contact)
    TeamMemberFactory(rotation=late_rotation, contact=contact)
    letter = LetterRequestFactory(owner=student, writer=contact)
    history = selectors.contact_history(contact)
    assert history.interactions == [later, first]
    assert [place.rotation for place in history.team_places] == [late_rotation, early_rotation]
    assert history.letters == [letter]
    assert history.is_empty is False


def test_contact_history_of_someone_new_is_empty(student):
    assert selectors.contact_history(ContactFactory(owner=student)).is_empty is True
