"""Home and its quick-log: "I met / talked to / emailed X" in a few taps, htmx or not."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from contacts.models import Contact, Interaction
from tests.factories import ContactFactory, InteractionFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
QUICK_LOG_URL = reverse("contacts:interaction_create")


def _log(client, *, htmx=False, follow=False, **data):
    payload = {"kind": "meeting", "date": "2027-07-10", "direction": "outbound", **data}
    return client.post(QUICK_LOG_URL, payload, follow=follow, **(HTMX if htmx else {}))


def test_home_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_shows_the_quick_log_dated_today_in_the_students_time_zone(client, student):
    # 03:00 UTC on 11 July is still 10 July in Chicago.
    with time_machine.travel(datetime.datetime(2027, 7, 11, 3, 0, tzinfo=datetime.UTC)):
        client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["quick_log_form"]["date"].value() == datetime.date(2027, 7, 10)
    content = response.content.decode()
    assert 'value="2027-07-10"' in content
    assert 'id="quick-log"' in content
    assert "Never include patient information." in content


def test_home_shows_the_kinds_as_chips_most_frequent_first(student_client):
    content = student_client.get(reverse("home")).content.decode()
    kinds = ["meeting", "email", "call", "feedback", "worked_together", "thank_you"]
    positions = [content.index(f'value="{kind}"') for kind in kinds]
    assert positions == sorted(positions)
    assert 'class="chips"' in content


def test_home_tells_a_new_student_what_to_do_first(student_client):
    content = student_client.get(reverse("home")).content.decode()
    assert "Log the last person you worked with" in content
    assert "Add your current rotation" in content


def test_home_lists_recent_activity_newest_first(student_client, student):
    old = InteractionFactory(owner=student, date=datetime.date(2027, 6, 1), summary="Old chat")
    new = InteractionFactory(owner=student, date=datetime.date(2027, 7, 1), summary="New chat")
    response = student_client.get(reverse("home"))
    assert response.context["recent_interactions"] == [new, old]
    assert "Log the last person you worked with" not in response.content.decode()


def test_home_never_shows_another_students_activity(student_client, other_student):
    InteractionFactory(owner=other_student, summary="Someone else's meeting")
    assert "Someone else" not in student_client.get(reverse("home")).content.decode()


def test_home_preselects_the_contact_named_in_the_address(student_client, student):
    contact = ContactFactory(owner=student, name="Dr. Maya Patel")
    response = student_client.get(reverse("home"), {"contact": contact.pk})
    content = response.content.decode()
    assert f'<input type="hidden" name="contact" value="{contact.pk}">' in content
    assert "Dr. Maya Patel" in content


def test_home_ignores_another_students_contact_in_the_address(student_client, other_student):
    theirs = ContactFactory(owner=other_student, name="Dr. Not Yours")
    response = student_client.get(reverse("home"), {"contact": theirs.pk})
    assert response.status_code == 200
    assert "Dr. Not Yours" not in response.content.decode()


def test_quick_log_records_an_interaction_with_an_existing_contact(student_client, student):
    contact = ContactFactory(owner=student, name="Dr. Maya Patel")
    response = _log(student_client, contact=contact.pk, summary="Talked about my sub-I")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    interaction = Interaction.objects.get()
    assert (interaction.owner, interaction.contact) == (student, contact)
    assert interaction.kind == "meeting"
    assert interaction.date == datetime.date(2027, 7, 10)
    assert interaction.summary == "Talked about my sub-I"
    assert interaction.context == ""  # not given: unknown, not assumed clinical


def test_quick_log_success_message_names_the_contact(student_client, student):
    contact = ContactFactory(owner=student, name="Dr. Maya Patel")
    response = _log(student_client, contact=contact.pk, kind="email", follow=True)
    assert "Logged: Email with Dr. Maya Patel." in response.content.decode()


def test_quick_log_adds_a_new_contact_inline(student_client, student):
    _log(student_client, new_contact_name="Dr. Sam Okafor", new_contact_role="chief_resident")
    contact = Contact.objects.get(owner=student)
    assert contact.name == "Dr. Sam Okafor"
    assert contact.role == "chief_resident"
    assert contact.interactions.count() == 1


def test_quick_log_reuses_a_contact_whose_exact_name_is_typed_as_new(student_client, student):
    contact = ContactFactory(owner=student, name="Dr. Sam Okafor")
    _log(student_client, new_contact_name="dr. sam okafor")
    assert Contact.objects.owned_by(student).count() == 1
    assert contact.interactions.count() == 1


def test_quick_log_takes_a_fully_typed_name_without_a_tap(student_client, student):
    contact = ContactFactory(owner=student, name="Dr. Maya Patel")
    response = _log(student_client, contact_search="dr. maya patel")
    assert response.status_code == 302
    assert contact.interactions.count() == 1


def test_quick_log_offers_matches_when_a_typed_name_is_partial(student_client, student):
    ContactFactory(owner=student, name="Dr. Maya Patel")
    response = _log(student_client, contact_search="Pat", summary="Quick chat")
    assert response.status_code == 400
    assert Interaction.objects.count() == 0
    content = response.content.decode()
    assert "Is it one of these? Tap them, or add “Pat” as new." in content
    assert "Dr. Maya Patel" in content
    assert "Add “Pat” and log it" in content
    assert 'value="Quick chat"' in content


def test_quick_log_needs_someone(student_client):
    response = _log(student_client, summary="Who was this?")
    assert response.status_code == 400
    assert "Who was it? Start typing a name." in response.content.decode()
    assert Interaction.objects.count() == 0


def test_quick_log_errors_show_at_the_field_and_keep_what_was_typed(student_client, student):
    contact = ContactFactory(owner=student, name="Dr. Maya Patel")
    response = _log(
        student_client, contact=contact.pk, date="not a date", kind="email", summary="Kept"
    )
    assert response.status_code == 400
    form = response.context["quick_log_form"]
    assert list(form.errors) == ["date"]
    content = response.content.decode()
    assert 'id="id_date_error"' in content
    assert 'value="Kept"' in content
    assert re.search(r'value="email"[^>]*checked', content)
    assert f'name="contact" value="{contact.pk}"' in content  # still chosen
    assert Interaction.objects.count() == 0


def test_quick_log_refuses_another_students_contact(student_client, other_student):
    theirs = ContactFactory(owner=other_student)
    response = _log(student_client, contact=theirs.pk)
    assert response.status_code == 400
    assert "contact" in response.context["quick_log_form"].errors
    assert Interaction.objects.count() == 0


def test_quick_log_accepts_only_post(student_client):
    assert student_client.get(QUICK_LOG_URL).status_code == 405


def test_quick_log_over_htmx_answers_with_a_fresh_form_and_the_recent_activity(
    student_client, student
):
    contact = ContactFactory(owner=student, name="Dr. Maya Patel")
    response = _log(student_client, htmx=True, contact=contact.pk, summary="Grand rounds")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "contacts/_quick_log_saved.html"
    content = response.content.decode()
    assert "<html" not in content
    assert "Logged: Meeting with Dr. Maya Patel." in content
    assert 'id="recent-activity" aria-labelledby="recent-activity-heading" hx-swap-oob="true"' in (
        content
    )
    assert "Grand rounds" in content  # now in the recent activity
    assert response.context["quick_log_form"].is_bound is False


def test_quick_log_over_htmx_returns_the_form_fragment_with_errors(student_client):
    response = _log(student_client, htmx=True, new_contact_name="Dr. New", kind="nonsense")
    assert response.status_code == 200  # htmx swaps 2xx answers only
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="quick-log"' in content
    assert "hx-swap-oob" not in content
    assert 'name="new_contact_name" value="Dr. New"' in content  # the new person is kept
    assert Contact.objects.count() == 0


def test_quick_log_redirects_back_to_a_safe_next_page(student_client, student):
    contact = ContactFactory(owner=student)
    response = _log(student_client, contact=contact.pk, next=contact.get_absolute_url())
    assert response["Location"] == contact.get_absolute_url()
    response = _log(student_client, contact=contact.pk, next="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_quick_log_errors_without_js_keep_home_as_the_place_to_return_to(student_client):
    response = _log(student_client, date="not a date", new_contact_name="Dr. New")
    assert response.context["quick_log_next"] == reverse("home")


def test_logging_brings_an_archived_contact_back(student_client, student):
    contact = ContactFactory(owner=student, archived=True)
    _log(student_client, contact=contact.pk)
    contact.refresh_from_db()
    assert contact.archived is False


@pytest.mark.parametrize("rows", [3, 30])
def test_home_runs_a_fixed_number_of_queries(
    student_client, student, rows, django_assert_num_queries
):
    for _ in range(rows):
        InteractionFactory(owner=student)
    # 1 session, 2 user, 3 this week's nudges, 4 whether any were ever stored (none: it is this
    # student's first day, so the engine's first suggestion is worked out); the engine's view:
    # 5 contacts, 6 interactions, 7 team places, 8 rotations, 9 letters, 10 student, 11
    # programs, 12 ties, 13 Match stories, 14 red flags; 15 advisors' recommendations; 16 people
    # emailed who are not contacts yet (Log by BCC); 17 recent interactions with their contacts.
    with django_assert_num_queries(17):
        response = student_client.get(reverse("home"))
    assert len(response.context["recent_interactions"]) == min(rows, 10)
