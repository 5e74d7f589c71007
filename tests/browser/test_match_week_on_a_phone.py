"""In Chromium on a 390 px phone: the Monday of Match Week. From This week the student taps
"Did not match" and lands on the SOAP plan inside NRMP's rules (issue 18): the rule and
today's step first, the people who would speak for them (no program to reach), then "this
program contacted me", which brings that program's line and the note to copy. The live
server reads the real clock, so the student's own Match Day is set to four days from today
(which makes today the Monday)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.world import DESKTOP, SCREENS, axe_violations, report, screenshot, sign_in
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    ProgramFactory,
    TieFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


def _student_on_the_monday_of_match_week():
    student = UserFactory(email="ada@example.edu", name="Ada Lovelace")
    today = student.local_today()
    match_day = today + 4 * DAY
    student.match_year = match_day.year
    student.cycle_dates = {"match_day": match_day.isoformat()}
    student.target_specialties = ["Internal Medicine"]
    student.save()
    people = [
        ("Dr. Priya Shah", "program_director", "Lakeshore University Hospital"),
        ("Dr. Sam Kim", "faculty", "Cascade Medical Center"),
        ("Dr. Lee Ortiz", "chief_resident", "Northside Hospital"),
    ]
    contacts = []
    for name, role, place in people:
        contact = ContactFactory(owner=student, name=name, role=role, institution__name=place)
        for days_ago, kind in [(20, "meeting"), (110, "feedback"), (200, "meeting")]:
            InteractionFactory(
                owner=student, contact=contact, date=today - days_ago * DAY, kind=kind
            )
        contacts.append(contact)
    shah, kim, ortiz = contacts
    programs = {
        name: ProgramFactory(owner=student, name=name)
        for name in [
            "Lakeshore Internal Medicine",
            "Riverside Internal Medicine",
            "Cascade Internal Medicine",
        ]
    }
    TieFactory(owner=student, contact=shah, program=programs["Lakeshore Internal Medicine"])
    TieFactory(
        owner=student,
        contact=shah,
        program=programs["Riverside Internal Medicine"],
        kind="knows_someone",
    )
    TieFactory(
        owner=student, contact=kim, program=programs["Cascade Internal Medicine"], kind="works_at"
    )
    return student


def test_did_not_match_on_monday_lands_on_the_soap_plan(live_server, phone_page):
    student = _student_on_the_monday_of_match_week()
    page = phone_page
    sign_in(page.context, live_server, student)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="When the email comes, record it here")).to_be_visible()
    screenshot(page, "match-week-home-monday-phone")

    page.get_by_role("button", name="Did not match").tap()
    page.wait_for_url("**/match-week/")
    today = page.get_by_role("heading", name="Monday: Tell your people; apply")
    expect(today).to_be_visible()
    expect(today).to_be_in_viewport()  # today's step first, without scrolling
    expect(page.get_by_role("note").first).to_contain_text(
        "neither you nor anyone on your behalf may contact a program"
    )
    callers = page.get_by_role("list", name="Who would speak for you")
    expect(callers).to_contain_text("Dr. Priya Shah")
    expect(callers).to_contain_text("Dr. Sam Kim")
    expect(callers.get_by_role("link", name="Cascade Internal Medicine")).to_have_count(0)
    expect(page.locator('[aria-current="date"]')).to_contain_text("Monday")
    expect(page.get_by_label("The note, yours to edit")).to_have_count(0)

    # Cascade calls: mark it, and the plan names who could speak to Cascade.
    page.get_by_label("A program that contacted you").select_option(
        label="Cascade Internal Medicine"
    )
    page.get_by_role("button", name="This program contacted me").tap()
    page.wait_for_url("**/match-week/#contacted")
    line = page.get_by_text("Cascade Internal Medicine contacted you, so it is now within")
    expect(line).to_be_visible()
    expect(line).to_contain_text("Dr. Sam Kim")
    note = page.get_by_label("The note, yours to edit")
    expect(note).to_have_value(re.compile("Thank you for considering my application"))
    expect(page.get_by_role("button", name="Copy")).to_be_visible()  # JS is on: copy works
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not (violations := axe_violations(page)), report({"match-week": violations})
    page.screenshot(path=SCREENS / "match-week-soap-phone-first-screen.png")
    page.screenshot(path=SCREENS / "match-week-soap-phone.png", full_page=True)

    # The same plan on a desktop.
    desktop = page.context.browser.new_context(viewport=DESKTOP)
    sign_in(desktop, live_server, student)
    wide = desktop.new_page()
    wide.goto(live_server.url + "/match-week/")
    expect(wide.get_by_role("heading", name="Who would speak for you")).to_be_visible()
    wide.screenshot(path=SCREENS / "match-week-desktop.png", full_page=True)
    desktop.close()


def test_the_story_callers_are_the_search_picker_and_save_on_a_phone(live_server, phone_page):
    """Issue 23: whom the story would call is the search picker, not a checkbox per contact.
    Advocate's suggestion is ticked; someone else is found by typing (the student's own,
    not archived) and tapped into the list; the search empties for the next name; saving
    keeps exactly the ticked people."""
    from contacts.models import MatchStory

    student = _student_on_the_monday_of_match_week()
    today = student.local_today()
    maya = ContactFactory(owner=student, name="Dr. Maya Chen", role="resident")
    InteractionFactory(owner=student, contact=maya, date=today - 300 * DAY, kind="email")
    ContactFactory(owner=student, name="Dr. Maya Gone", role="faculty", archived=True)
    ContactFactory(name="Dr. Maya Stranger")  # another student's
    page = phone_page
    sign_in(page.context, live_server, student)
    page.goto(live_server.url + "/match-week/#story")

    people = page.get_by_role("list", name="The people in your story")
    ticked = people.get_by_role("checkbox", checked=True)
    expect(ticked).to_have_count(3)
    expect(people).not_to_contain_text("Dr. Maya Chen")
    people.get_by_label(re.compile("Dr. Lee Ortiz")).uncheck()

    search = page.get_by_role("combobox", name="Someone else?")
    search.fill("Maya")
    matches = page.get_by_role("listbox", name="Matching people")
    expect(matches.get_by_role("option")).to_have_count(1)
    expect(matches).to_contain_text("Dr. Maya Chen")
    matches.get_by_role("option", name=re.compile("Dr. Maya Chen")).tap()
    expect(people.get_by_role("checkbox", name=re.compile("Dr. Maya Chen"))).to_be_checked()
    expect(search).to_have_value("")
    expect(matches.get_by_role("option")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not (violations := axe_violations(page)), report({"match-week story": violations})
    page.locator("#story").screenshot(path=SCREENS / "match-week-story-phone.png")
    page.set_viewport_size(DESKTOP)
    page.locator("#story").screenshot(path=SCREENS / "match-week-story-desktop.png")

    page.get_by_role("button", name="Lock it down").tap()
    expect(page.get_by_role("status")).to_contain_text("Your story is ready.")
    story = MatchStory.objects.get(owner=student)
    assert sorted(c.name for c in story.callers.all()) == [
        "Dr. Maya Chen",
        "Dr. Priya Shah",
        "Dr. Sam Kim",
    ]
