"""In Chromium: upload a LinkedIn export, change a guessed role, skip one, confirm, see the
contacts. Screenshots at phone and desktop width go to var/screens/import-calendar/."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from tests.factories import PASSWORD, ContactFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).parent / "fixtures" / "imports"
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "import-calendar"


def log_in(page, live_server, student):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()


def choose_file(page, name: str) -> None:
    page.get_by_label("Your file", exact=True).set_input_files(str(FIXTURES / name))


def test_a_student_imports_linkedin_connections_from_a_phone(live_server, phone_page):
    SCREENS.mkdir(parents=True, exist_ok=True)
    student = UserFactory(email="ada@example.edu", name="Ada Student")
    ContactFactory(owner=student, name="Marcus Bell", email="", institution=None, phone="")
    page = phone_page
    log_in(page, live_server, student)

    # Settings is a short menu; each section is its own page.
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("link", name="Calendar feed").tap()
    page.get_by_text("Google Calendar", exact=True).tap()
    page.locator("#calendar-feed").screenshot(path=SCREENS / "settings-calendar-phone.png")
    page.get_by_role("navigation", name="Settings").get_by_role(
        "link", name="Import and export"
    ).tap()
    page.get_by_role("button", name="Import contacts").tap()
    expect(page.get_by_role("heading", name="Import contacts", level=1)).to_be_visible()
    choose_file(page, "linkedin_connections.csv")
    page.screenshot(path=SCREENS / "import-start-phone.png", full_page=True)
    page.get_by_role("button", name="Check the file").tap()

    expect(page.get_by_role("heading", name="Check your import")).to_be_visible()
    expect(page.get_by_text("5 new, 1 already in your contacts")).to_be_visible()
    # Omar's position ("Data Scientist") says nothing: guessed peer; he is really a mentor.
    omar = page.locator("li", has=page.get_by_role("group", name="Omar Haddad"))
    expect(omar.get_by_label("Role guessed")).to_have_value("peer")
    omar.get_by_label("Role guessed").select_option("research_pi")
    priya = page.locator("li", has=page.get_by_role("group", name="Priya Raman"))
    priya.get_by_text("Skip").tap()
    marcus = page.locator("li", has=page.get_by_role("group", name="Marcus Bell"))
    expect(marcus).to_contain_text("Merging adds: how you met, institution, notes")
    page.screenshot(path=SCREENS / "import-preview-phone.png", full_page=True)
    # The primary action stays in reach above the tab bar, even at the top of the rows.
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.get_by_role("button", name="Import")).to_be_in_viewport()
    page.screenshot(path=SCREENS / "import-preview-phone-viewport.png")
    page.get_by_role("button", name="Import").tap()

    expect(page.get_by_text("Added 4 contacts, updated 1, skipped 1.")).to_be_visible()
    expect(page.get_by_role("link", name="Omar Haddad")).to_be_visible()
    expect(page.get_by_role("link", name="Lena Okafor")).to_be_visible()
    expect(page.get_by_role("link", name="Priya Raman")).to_have_count(0)
    page.screenshot(path=SCREENS / "import-done-phone.png", full_page=True)
    expect(page.get_by_role("link", name="Import from a file")).to_be_visible()
    assert Contact.objects.get(owner=student, name="Omar Haddad").role == "research_pi"
    marcus_record = Contact.objects.get(owner=student, name="Marcus Bell")
    assert marcus_record.institution.name == "Lakeside University Hospital"
    assert Contact.objects.filter(owner=student).count() == 5


def test_the_import_pages_and_settings_at_desktop_width(live_server, browser):
    SCREENS.mkdir(parents=True, exist_ok=True)
    student = UserFactory(email="grace@example.edu", name="Grace Student")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, student)
        page.goto(f"{live_server.url}/contacts/import/")
        choose_file(page, "bad_rows.csv")
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", name="These 4 rows have errors")).to_be_visible()
        expect(page.get_by_role("button", name="Import", exact=True)).to_have_count(0)
        page.screenshot(path=SCREENS / "import-errors-desktop.png", full_page=True)
        page.goto(f"{live_server.url}/contacts/import/")
        choose_file(page, "phone_contacts.vcf")
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_text("3 new, 0 already in your contacts")).to_be_visible()
        page.screenshot(path=SCREENS / "import-preview-desktop.png", full_page=True)
        page.goto(f"{live_server.url}/settings/calendar-feed/")
        page.get_by_text("Apple Calendar (iPhone, iPad, Mac)").click()
        expect(page.get_by_label("Your private calendar link")).to_have_value(
            f"{live_server.url}/calendar/{student.calendar_token}.ics"
        )
        page.locator("#calendar-feed").screenshot(path=SCREENS / "settings-calendar-desktop.png")
        page.goto(f"{live_server.url}/settings/data/")
        page.locator("#import-contacts").screenshot(path=SCREENS / "settings-import-desktop.png")
    finally:
        context.close()
