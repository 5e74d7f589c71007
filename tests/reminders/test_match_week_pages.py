"""The Match Week page (/match-week/) on each day of it, and This week beside it: the story
before the week, the three outcome buttons, the SOAP plan with the student's own note, and
where they matched. Match Week 2027: Monday 15 March to Match Day, Friday 19 March; the
story window opens Friday 12 March."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import MatchStory, Program
from reminders.evaluation import baseline
from reminders.models import Nudge
from tests.factories import ContactFactory, InteractionFactory, ProgramFactory, TieFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PAGE = "/match-week/"


def at(day: datetime.date) -> datetime.datetime:
    """Mid-morning in Chicago on `day`."""
    return datetime.datetime(day.year, day.month, day.day, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fresh_process():
    baseline.forget()
    yield
    baseline.forget()


@pytest.fixture
def world(student):
    """Ada, Match 2027 in Internal Medicine: a program director and a faculty member who know
    her work, each tied to a program in range, and a resident tied to nothing."""
    student.match_year = 2027
    student.target_specialties = ["Internal Medicine"]
    student.save()
    shah = ContactFactory(owner=student, name="Dr. Priya Shah", role="program_director")
    kim = ContactFactory(owner=student, name="Dr. Sam Kim", role="faculty")
    ortiz = ContactFactory(owner=student, name="Dr. Lee Ortiz", role="chief_resident")
    for contact in (shah, kim, ortiz):
        InteractionFactory(owner=student, contact=contact, date=D(2027, 2, 20), kind="meeting")
        InteractionFactory(owner=student, contact=contact, date=D(2026, 11, 3), kind="feedback")
        InteractionFactory(owner=student, contact=contact, date=D(2026, 8, 1), kind="meeting")
    lakeshore = ProgramFactory(owner=student, name="Lakeshore Internal Medicine")
    cascade = ProgramFactory(owner=student, name="Cascade Internal Medicine")
    TieFactory(owner=student, contact=shah, program=lakeshore, kind="trained_at")
    TieFactory(owner=student, contact=kim, program=cascade, kind="works_at")
    return {
        "student": student,
        "shah": shah,
        "kim": kim,
        "ortiz": ortiz,
        "lakeshore": lakeshore,
        "cascade": cascade,
    }


@pytest.fixture
def on(student_client, student):
    """Travel to a day (the client signs in again there: the session is dated)."""
    travels = []

    def go(day: datetime.date):
        traveller = time_machine.travel(at(day), tick=False)
        traveller.start()
        travels.append(traveller)
        student_client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
        return student_client

    yield go
    for traveller in reversed(travels):
        traveller.stop()


def _story(client, **fields):
    data = {"specialties": "Internal Medicine", "pitch": "", "scores": "", "red_flag": "", **fields}
    return client.post(reverse("reminders:match_week_story"), data)


def _outcome(client, outcome, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("reminders:match_week_outcome"), {"outcome": outcome})


# --- The story --------------------------------------------------------------------------------


def test_the_friday_before_asks_to_lock_down_the_story_with_the_strongest_ticked(world, on):
    client = on(D(2027, 3, 12))
    response = client.get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lock down your story" in page
    ticked = response.context["story_form"].initial["callers"]
    assert world["shah"].pk in ticked and len(ticked) <= 3
    assert response.context["story_form"].initial["specialties"] == ["Internal Medicine"]
    assert "Record your Match outcome" not in page


def test_saving_the_story_keeps_it_and_says_so_calmly(world, on):
    client = on(D(2027, 3, 13))
    response = _story(
        client,
        callers=[world["shah"].pk, world["kim"].pk],
        specialties="Internal Medicine, Preliminary Medicine",
        pitch="A steady sub-I with ICU nights behind me",
        scores="Step 2 CK 238, first attempts",
    )
    assert response.status_code == 302
    story = MatchStory.objects.get(owner=world["student"], year=2027)
    assert set(story.callers.all()) == {world["shah"], world["kim"]}
    assert story.specialties == ["Internal Medicine", "Preliminary Medicine"]
    assert story.saved_on == D(2027, 3, 13)
    page = client.get(response.url).content.decode()
    assert "Your story is ready. If Monday brings good news, you will not need it." in page


def test_saving_the_story_with_htmx_swaps_the_section_with_the_confirmation(world, on):
    client = on(D(2027, 3, 13))
    response = client.post(
        reverse("reminders:match_week_story"),
        {"callers": [world["shah"].pk], "specialties": "Internal Medicine"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="story"' in page
    assert "Your story is ready." in page and "<html" not in page


def test_four_callers_is_a_field_error_and_nothing_is_written(world, on, student):
    fourth = ContactFactory(owner=student, name="Dr. Four")
    client = on(D(2027, 3, 13))
    people = [world["shah"].pk, world["kim"].pk, world["ortiz"].pk, fourth.pk]
    response = _story(client, callers=people, pitch="A steady sub-I")
    assert response.status_code == 400
    assert response.context["story_form"].errors["callers"] == [
        "Choose up to three people: two or three is the plan."
    ]
    assert not MatchStory.objects.filter(owner=student).exists()


def test_four_specialties_is_a_field_error_and_nothing_is_written(world, on, student):
    client = on(D(2027, 3, 13))
    response = _story(client, callers=[world["shah"].pk], specialties="IM, FM, Peds, Psych")
    assert response.status_code == 400
    assert "1 to 3 realistic specialties" in response.context["story_form"].errors["specialties"][0]
    assert not MatchStory.objects.filter(owner=student).exists()


def test_another_students_contact_is_refused_and_nothing_is_written(
    world, on, student, other_student
):
    theirs = ContactFactory(owner=other_student, name="Dr. Not Yours")
    client = on(D(2027, 3, 13))
    response = _story(client, callers=[world["shah"].pk, theirs.pk])
    assert response.status_code == 400
    assert "callers" in response.context["story_form"].errors
    assert not MatchStory.objects.filter(owner=student).exists()
    assert not theirs.match_stories.exists()


def test_an_archived_contact_is_not_offered(world, on):
    world["ortiz"].archived = True
    world["ortiz"].save()
    client = on(D(2027, 3, 13))
    page = client.get(PAGE).content.decode()
    assert "Dr. Lee Ortiz" not in page


def test_the_actions_are_post_only_and_for_a_signed_in_student(world, on, client):
    student_client = on(D(2027, 3, 13))
    assert student_client.get(reverse("reminders:match_week_story")).status_code == 405
    assert student_client.get(reverse("reminders:match_week_outcome")).status_code == 405
    student_client.logout()
    response = student_client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_without_a_match_year_the_page_points_to_settings(student_client, student):
    student.match_year = None
    student.save()
    page = student_client.get(PAGE).content.decode()
    assert "Set your Match year" in page


def test_any_other_time_the_story_can_be_written_ahead(world, on):
    page = on(D(2026, 10, 5)).get(PAGE).content.decode()
    assert "Your Match Week story" in page and "Mar 12" in page
    assert "Record your Match outcome" not in page


# --- The outcome -------------------------------------------------------------------------------


def test_match_week_without_an_outcome_offers_the_three_buttons(world, on):
    page = on(D(2027, 3, 15)).get(PAGE).content.decode()
    assert "When the email comes, record it here" in page
    for label in ("Matched", "Did not match", "Matched to a preliminary year only"):
        assert f">{label}</button>" in page


def test_recording_did_not_match_twice_is_one_outcome_and_one_soap_nudge(
    world, on, student, django_capture_on_commit_callbacks
):
    client = on(D(2027, 3, 15))
    first = _outcome(client, "unmatched", django_capture_on_commit_callbacks)
    second = _outcome(client, "unmatched", django_capture_on_commit_callbacks)
    assert first.status_code == second.status_code == 302
    assert first.url == PAGE
    student.refresh_from_db()
    assert student.match_outcome == "unmatched"
    assert Nudge.objects.filter(owner=student, kind="soap_plan", state="open").count() == 1
    page = client.get(PAGE).content.decode()
    assert "Monday: Tell your people; apply" in page


def test_an_unknown_outcome_changes_nothing(world, on, student):
    response = on(D(2027, 3, 15)).post(
        reverse("reminders:match_week_outcome"), {"outcome": "maybe"}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.match_outcome == ""


# --- SOAP --------------------------------------------------------------------------------------


def _in_soap(student, outcome="unmatched"):
    student.match_outcome = outcome
    student.save()


def test_the_soap_plan_puts_the_rule_and_today_first_then_who_speaks_then_the_week(
    world, on, student
):
    """Issue 18: the old page said "Who calls, and where" with programs to reach during SOAP;
    now the rule comes first, then today's allowed moves, then who would speak for the student,
    and no program is named for anyone to reach until it has contacted the student."""
    _in_soap(student)
    response = on(D(2027, 3, 16)).get(PAGE)
    page = response.content.decode()
    order = [
        "NRMP's rule:",
        "Tuesday: Programs review applications",
        "Programs that contacted you",
        "Who would speak for you",
        "Dr. Priya Shah",
        "The week",
        'aria-current="date"',
        "SOAP's times",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert page.count('aria-current="date"') == 1
    outside_the_form = re.sub(r"<form[^>]*soap-contact-form.*?</form>", "", page, flags=re.S)
    assert "Lakeshore Internal Medicine" not in outside_the_form
    assert 'id="note"' not in page  # a note only for a program that contacted the student
    assert "Record your Match outcome" not in page


def test_program_x_contacted_me_names_who_could_speak_to_x(world, on, student):
    _in_soap(student)
    client = on(D(2027, 3, 16))
    response = client.post(
        reverse("reminders:match_week_contacted"), {"program": world["lakeshore"].pk}
    )
    assert response.status_code == 302 and response.url.endswith("#contacted")
    page = client.get(PAGE).content.decode()
    assert "Lakeshore Internal Medicine contacted you, so it is now within the rules" in page
    assert "Dr. Priya Shah" in page and 'id="note"' in page
    assert "Thank you for considering my application" in page  # the filled-in note


def test_a_partial_match_gets_the_plan_too(world, on, student):
    _in_soap(student, "partial")
    page = on(D(2027, 3, 15)).get(PAGE).content.decode()
    assert "you have a preliminary year and seek the advanced position for July 2028" in page


def test_after_soap_a_helper_without_programs_is_told_so_honestly(world, on, student):
    MatchStory.objects.create(owner=student, year=2027, saved_on=D(2027, 3, 13)).callers.set(
        [world["ortiz"], world["shah"]]
    )
    _in_soap(student)
    page = on(D(2027, 3, 19)).get(PAGE).content.decode()
    assert "Who calls which program" in page
    assert "Lakeshore Internal Medicine" in page


def test_the_note_is_saved_then_reset_to_the_filled_in_one(world, on, student):
    _in_soap(student)
    client = on(D(2027, 3, 19))  # after SOAP: the note to unfilled programs
    url = reverse("reminders:match_week_note")
    response = client.post(url, {"note": "Dear Dr. Rao,\r\n\r\nA short note of my own."})
    assert response.status_code == 302 and response.url.endswith("#note")
    story = MatchStory.objects.get(owner=student, year=2027)
    assert story.note == "Dear Dr. Rao,\n\nA short note of my own."
    page = client.get(PAGE).content.decode()
    assert "A short note of my own." in page
    assert ">Back to the filled-in note</button>" in page

    client.post(url, {"note": "Dear Dr. Rao, edited", "reset": "1"})
    story.refresh_from_db()
    assert story.note == ""
    page = client.get(PAGE).content.decode()
    assert "Thank you for considering my application" in page
    assert 'name="reset"' not in page  # nothing to go back to


def test_the_filled_in_note_sent_back_unchanged_stays_the_template(world, on, student):
    _in_soap(student)
    client = on(D(2027, 3, 16))
    note = client.get(PAGE).context["plan"].note
    client.post(reverse("reminders:match_week_note"), {"note": note.replace("\n", "\r\n")})
    assert MatchStory.objects.get(owner=student, year=2027).note == ""


def test_the_note_with_htmx_swaps_its_section(world, on, student):
    _in_soap(student)
    response = on(D(2027, 3, 16)).post(
        reverse("reminders:match_week_note"), {"note": "Mine."}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'id="note"' in page and "Your note is saved." in page and "<html" not in page


# --- Matched, and where ------------------------------------------------------------------------


def test_matched_is_one_calm_line_until_match_day(world, on, student):
    student.match_outcome = "matched"
    student.save()
    page = on(D(2027, 3, 17)).get(PAGE).content.decode()
    assert "You matched. Friday you learn where." in page
    assert "Where did you match?" not in page
    assert "Your note to a program" not in page


def test_after_match_day_a_new_program_is_recorded_as_where_you_matched(world, on, student):
    student.match_outcome = "matched"
    student.save()
    client = on(D(2027, 3, 20))
    assert "Where did you match?" in client.get(PAGE).content.decode()
    response = client.post(
        reverse("reminders:match_week_matched"), {"new_program_name": "Riverside Medicine"}
    )
    assert response.status_code == 302
    story = MatchStory.objects.get(owner=student, year=2027)
    assert story.matched_program == Program.objects.get(owner=student, name="Riverside Medicine")
    assert "You matched at Riverside Medicine." in client.get(PAGE).content.decode()


def test_where_you_matched_can_be_one_of_your_programs(world, on, student):
    student.match_outcome = "matched"
    student.save()
    client = on(D(2027, 3, 19))
    client.post(reverse("reminders:match_week_matched"), {"program": world["cascade"].pk})
    story = MatchStory.objects.get(owner=student, year=2027)
    assert story.matched_program == world["cascade"]


def test_where_you_matched_refuses_another_students_program_and_an_empty_form(
    world, on, student, other_student
):
    student.match_outcome = "matched"
    student.save()
    theirs = ProgramFactory(owner=other_student, name="Not Yours Medicine")
    client = on(D(2027, 3, 20))
    refused = client.post(reverse("reminders:match_week_matched"), {"program": theirs.pk})
    empty = client.post(reverse("reminders:match_week_matched"), {})
    assert refused.status_code == empty.status_code == 400
    assert "program" in refused.context["where_form"].errors
    assert "program" in empty.context["where_form"].errors
    assert not MatchStory.objects.filter(owner=student, matched_program__isnull=False).exists()


# --- This week --------------------------------------------------------------------------------


def test_this_week_in_the_story_window_links_to_the_story(world, on):
    page = on(D(2027, 3, 12)).get(reverse("home")).content.decode()
    assert "Lock down your story" in page
    assert f'href="{PAGE}#story"' in page


def test_this_week_says_the_story_is_ready_once_saved(world, on):
    client = on(D(2027, 3, 13))
    _story(client, callers=[world["shah"].pk])
    page = client.get(reverse("home")).content.decode()
    assert "Your story is ready" in page


def test_this_week_on_monday_offers_the_outcome_buttons_inline(world, on):
    page = on(D(2027, 3, 15)).get(reverse("home")).content.decode()
    assert reverse("reminders:match_week_outcome") in page
    assert ">Did not match</button>" in page


def test_this_week_in_soap_is_the_plan_with_everything_else_folded(
    world, on, student, django_capture_on_commit_callbacks
):
    client = on(D(2027, 3, 16))
    _outcome(client, "unmatched", django_capture_on_commit_callbacks)
    page = client.get(reverse("home")).content.decode()
    plan = page.index("Tuesday: Programs review applications")
    folded = page.index("Everything else can wait until next week")
    progress = page.index("progress-card")
    assert plan < folded < progress
    assert "NRMP's rule:" in page[plan:folded]
    assert "Dr. Priya Shah" in page[plan:folded]
    # Issue 18: no program to reach during SOAP (the old card listed them).
    assert "Lakeshore Internal Medicine" not in page[plan:folded]
    assert f'href="{PAGE}#contacted"' in page
    # The day's step is said once, as the card: not again among the folded items.
    assert page.count("Programs review applications") == 1


def test_this_week_when_matched_is_one_calm_line(world, on, student):
    student.match_outcome = "matched"
    student.save()
    page = on(D(2027, 3, 16)).get(reverse("home")).content.decode()
    assert "You matched. Friday you learn where." in page
    assert "Everything else can wait" not in page


def test_this_week_in_an_ordinary_week_has_no_match_week_card(world, on):
    response = on(D(2027, 2, 10)).get(reverse("home"))
    assert response.context["match_week"] is None
    assert "Lock down your story" not in response.content.decode()


@pytest.mark.parametrize("extra", [0, 27])
def test_this_week_before_an_outcome_reads_the_story_only_not_the_network(
    world, on, student, extra, django_assert_num_queries
):
    for number in range(extra):
        contact = ContactFactory(owner=student, name=f"Dr. Extra {number}")
        InteractionFactory(owner=student, contact=contact, date=D(2027, 2, 20))
    client = on(D(2027, 3, 12))  # the Friday before: the story card
    client.get(reverse("home"))  # the day's first view stores the day's nudges
    # Only the Match Week card's read of the story (none saved yet, so no callers to read)
    # on top of an ordinary week's home page, whatever the size of the network: the network
    # is scored for the card only in SOAP.
    ordinary = on(D(2027, 2, 10))
    ordinary.get(reverse("home"))
    with CaptureQueriesContext(connection) as week_before:
        ordinary.get(reverse("home"))
    friday = on(D(2027, 3, 12))
    with django_assert_num_queries(len(week_before) + 1):
        response = friday.get(reverse("home"))
    assert response.context["match_week"].card == "story"


# --- Whom you would call: the search picker (issue 23) ----------------------------------------

CALLERS = reverse("reminders:match_week_callers")


def _extras(student, count: int, prefix: str = "Dr. Extra") -> list:
    people = []
    for number in range(count):
        contact = ContactFactory(owner=student, name=f"{prefix} {number:02d}")
        InteractionFactory(owner=student, contact=contact, date=D(2027, 2, 20))
        people.append(contact)
    return people


def _checkboxes(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'type="checkbox" name="callers" value="(\d+)"', page)]


def test_the_story_shows_the_suggested_people_ticked_and_finds_everyone_else_by_typing(
    world, on, student
):
    _extras(student, 30)
    response = on(D(2027, 3, 12)).get(PAGE)
    page = response.content.decode()
    suggested = response.context["story_form"].initial["callers"]
    assert world["shah"].pk in suggested
    # Only the people in view are checkboxes (Advocate's suggestion, ticked); the 30 others
    # are a search away, not 30 more inputs.
    assert set(_checkboxes(page)) == set(suggested)
    for pk in suggested:
        assert re.search(rf'name="callers" value="{pk}" id="id_callers_{pk}" checked>', page)
    assert "Dr. Extra" not in page
    assert f'hx-get="{CALLERS}"' in page and 'role="combobox"' in page
    assert "Program director at" not in page and "(program director" in page


def test_the_picker_finds_only_the_students_own_people_not_archived_nor_already_listed(
    world, on, student, other_student
):
    mine = _extras(student, 3)
    mine[2].archived = True
    mine[2].save()
    ContactFactory(owner=other_student, name="Dr. Extra 99")
    client = on(D(2027, 3, 12))
    response = client.get(CALLERS, {"contact_search": "Extra", "callers_shown": [mine[0].pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dr. Extra 01" in page
    assert "Dr. Extra 00" not in page  # already in the list
    assert "Dr. Extra 02" not in page  # archived
    assert "Dr. Extra 99" not in page  # another student's
    assert "as a new contact" not in page  # the story calls people the student knows
    # Tapped: htmx adds the row to the list; without JS the button saves the story with them.
    assert f'name="caller_pick" value="{mine[1].pk}"' in page
    assert f'hx-get="{CALLERS}?contact={mine[1].pk}" hx-target="#callers-chosen"' in page
    assert 'hx-swap="beforeend"' in page
    # A NUL or nothing at all is no search (an empty list, never an error).
    assert client.get(CALLERS, {"contact_search": "a\x00b"}).content == b""
    assert client.get(CALLERS).content == b""


def test_a_match_tapped_comes_back_as_a_ticked_row_and_nobody_elses_ever(
    world, on, student, other_student
):
    theirs = ContactFactory(owner=other_student, name="Dr. Not Yours")
    world["ortiz"].archived = True
    world["ortiz"].save()
    client = on(D(2027, 3, 12))
    row = client.get(CALLERS, {"contact": world["kim"].pk}).content.decode()
    assert row.startswith("<li>") and "Dr. Sam Kim" in row
    assert f'value="{world["kim"].pk}" id="id_callers_{world["kim"].pk}" checked>' in row
    assert f'name="callers_shown" value="{world["kim"].pk}"' in row
    for refused in (theirs.pk, world["ortiz"].pk, "x", "9" * 40, ""):
        assert client.get(CALLERS, {"contact": refused}).status_code == 404, refused


def test_without_js_unticking_a_suggested_person_and_saving_keeps_the_others(world, on, student):
    client = on(D(2027, 3, 12))
    suggested = client.get(PAGE).context["story_form"].initial["callers"]
    assert len(suggested) >= 2
    kept = suggested[:-1]
    response = _story(client, callers=kept, callers_shown=suggested)
    assert response.status_code == 302
    story = MatchStory.objects.get(owner=student, year=2027)
    assert sorted(c.pk for c in story.callers.all()) == sorted(kept)
    # The saved story is what the page ticks from now on (the one left out is a search away).
    page = client.get(PAGE).content.decode()
    assert sorted(_checkboxes(page)) == sorted(kept)
    assert all(f'id="id_callers_{pk}" checked>' in page for pk in kept)


def test_without_js_a_whole_name_typed_is_added_on_save(world, on, student):
    client = on(D(2027, 3, 12))
    response = _story(client, callers=[world["shah"].pk], contact_search=" dr. lee ortiz ")
    assert response.status_code == 302
    story = MatchStory.objects.get(owner=student, year=2027)
    assert set(story.callers.all()) == {world["shah"], world["ortiz"]}


def test_without_js_part_of_a_name_offers_the_matches_then_the_one_tapped_is_saved(
    world, on, student
):
    extra = _extras(student, 2)
    client = on(D(2027, 3, 12))
    shown = [world["shah"].pk, world["kim"].pk]
    response = _story(
        client, callers=[world["shah"].pk], callers_shown=shown, contact_search="Extra"
    )
    page = response.content.decode()
    assert response.status_code == 400
    form = response.context["story_form"]
    assert form.errors["contact_search"] == ["Is it one of these? Tap one to add them."]
    assert 'aria-invalid="true"' in page and 'value="Extra"' in page
    assert f'name="caller_pick" value="{extra[1].pk}"' in page
    # The list is as it was posted: Shah ticked, Kim not.
    assert [(row.pk, row.ticked) for row in form.caller_rows()] == [
        (world["shah"].pk, True),
        (world["kim"].pk, False),
    ]
    assert not MatchStory.objects.filter(owner=student).exists()

    response = _story(
        client,
        callers=[world["shah"].pk],
        callers_shown=shown,
        contact_search="Extra",
        caller_pick=extra[1].pk,
    )
    assert response.status_code == 302
    story = MatchStory.objects.get(owner=student, year=2027)
    assert set(story.callers.all()) == {world["shah"], extra[1]}


def test_a_name_matching_no_one_is_said_at_the_search_box(world, on, student):
    response = _story(on(D(2027, 3, 12)), callers=[world["shah"].pk], contact_search="Zed")
    assert response.status_code == 400
    assert response.context["story_form"].errors["contact_search"] == [
        "No one called \u201cZed\u201d among your contacts."
    ]


def test_a_fourth_person_picked_is_refused_at_the_field_and_the_list_kept(world, on, student):
    fourth = ContactFactory(owner=student, name="Dr. Four")
    three = [world["shah"].pk, world["kim"].pk, world["ortiz"].pk]
    response = _story(on(D(2027, 3, 12)), callers=three, callers_shown=three, caller_pick=fourth.pk)
    assert response.status_code == 400
    form = response.context["story_form"]
    assert form.errors["callers"] == ["Choose up to three people: two or three is the plan."]
    assert [row.pk for row in form.caller_rows() if row.ticked] == [*three, fourth.pk]
    assert not MatchStory.objects.filter(owner=student).exists()


@pytest.mark.parametrize(
    "forged",
    [{"callers": "x"}, {"callers": "9" * 40}, {"caller_pick": "-1"}, {"callers_shown": "a"}],
)
def test_forged_people_are_refused_without_an_error_page(world, on, student, forged):
    response = _story(on(D(2027, 3, 12)), **forged)
    assert response.status_code == 400
    assert not MatchStory.objects.filter(owner=student).exists()


def test_a_saved_caller_archived_since_stays_on_the_story_and_can_be_saved_again(
    world, on, student
):
    client = on(D(2027, 3, 12))
    _story(client, callers=[world["shah"].pk, world["ortiz"].pk])
    world["ortiz"].archived = True
    world["ortiz"].save()
    page = client.get(PAGE).content.decode()
    assert f'value="{world["ortiz"].pk}" id="id_callers_{world["ortiz"].pk}" checked>' in page
    response = _story(client, callers=[world["shah"].pk, world["ortiz"].pk])
    assert response.status_code == 302


# --- What the page costs (issue 23): what it shows, not the size of the network -------------


def _page_queries(client) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PAGE)
    assert response.status_code == 200
    return [query["sql"] for query in captured], response.content.decode()


@pytest.mark.parametrize("outcome", ["unmatched", ""])
def test_the_page_costs_the_same_at_5_and_at_60_contacts(world, on, student, outcome):
    """An unmatched student in SOAP (the plan), or before the outcome (the story): the first
    view after a change evaluates the network in a fixed number of queries; every view after
    it reads the kept answer and the story only, never the interactions."""
    from crm.events import records_changed

    _in_soap(student, outcome)
    counts = {}
    for size, more in ((5, 2), (60, 55)):  # the world's 3 people, and more
        _extras(student, more, prefix=f"Dr. Extra {size}")
        records_changed(owner_id=student.pk)  # what a save does: the plan is worked out again
        client = on(D(2027, 3, 16))
        first, _ = _page_queries(client)
        again, page = _page_queries(client)
        counts[size] = (len(first), len(again))
        assert not [sql for sql in again if "contacts_interaction" in sql], again
        assert len(_checkboxes(page)) <= 6
    assert student.contacts.count() == 60
    assert counts[5] == counts[60], counts
    assert counts[5][1] < counts[5][0]


def test_a_save_with_htmx_shows_the_plan_as_saved_not_as_kept_before(world, on, student):
    _in_soap(student)
    client = on(D(2027, 3, 19))
    assert "Mine, edited." not in client.get(PAGE).content.decode()  # the plan is kept
    response = client.post(
        reverse("reminders:match_week_note"), {"note": "Mine, edited."}, HTTP_HX_REQUEST="true"
    )
    assert "Mine, edited." in response.content.decode()


def test_a_story_saved_with_htmx_works_the_plan_out_once(world, on, student, monkeypatch):
    """The posted form needs only the story; the network is evaluated once, for the section
    drawn after the save (the records changed), not also before it."""
    from reminders.match_week import selectors

    calls = []
    real = selectors.work_out
    monkeypatch.setattr(selectors, "work_out", lambda *args: calls.append(args) or real(*args))
    response = on(D(2027, 3, 12)).post(
        reverse("reminders:match_week_story"),
        {"callers": [world["shah"].pk], "specialties": "Internal Medicine"},
        HTTP_HX_REQUEST="true",
    )
    assert "Your story is ready." in response.content.decode()
    assert len(calls) == 1
