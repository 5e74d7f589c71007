"""In Chromium on a 390 px phone: the Monday of Match Week. From This week the student taps
"Did not match" and lands on the SOAP plan: today's step first, the people who call with
their programs, then the note to copy. The live server reads the real clock, so the student's
own Match Day is set to four days from today (which makes today the Monday)."""

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
    today = page.get_by_role(
        "heading", name="Monday: Alert your advocates, decide your specialties"
    )
    expect(today).to_be_visible()
    expect(today).to_be_in_viewport()  # today's step first, without scrolling
    callers = page.get_by_role("list", name="Who calls, and where")
    expect(callers).to_contain_text("Dr. Priya Shah")
    expect(callers).to_contain_text("Dr. Sam Kim")
    expect(callers.get_by_role("link", name="Lakeshore Internal Medicine")).to_be_visible()
    expect(callers.get_by_role("link", name="Cascade Internal Medicine")).to_be_visible()
    expect(callers).to_contain_text("Trained in this program")
    expect(page.locator('[aria-current="date"]')).to_contain_text("Monday")
    note = page.get_by_label("The note, yours to edit")
    expect(note).to_have_value(re.compile("I applied to your program through SOAP"))
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
    expect(wide.get_by_role("heading", name="Who calls, and where")).to_be_visible()
    wide.screenshot(path=SCREENS / "match-week-desktop.png", full_page=True)
    desktop.close()
