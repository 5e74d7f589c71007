"""The phone walk of issue 24, in Chromium at 390×844 with touch: "I just talked to Dr. Chen"
from This week in at most 3 taps plus the letters typed, with the week updated in place (no
reload); a letter asked in three fields; the first rotation saved first time. Taps are
counted; screenshots go to test-artifacts/screens/ (the README's copies in docs/ were taken from
these and looked at)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, ContactFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screens"


class Taps:
    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.tap()


def _sign_in(page, live_server, student):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()


def test_talking_to_dr_chen_asking_a_letter_and_a_first_rotation_on_a_phone(
    live_server, phone_page, artifacts_dir
):
    student = UserFactory(email="new@example.edu", name="Noor Student", match_year=2028)
    ContactFactory(owner=student, name="Dr. Maya Chen", role="faculty")
    page = phone_page
    _sign_in(page, live_server, student)
    # A marker that a reload would wipe: the week must change in place.
    page.evaluate("window.__noReload = true")
    week = page.locator("#this-week")
    expect(week).not_to_contain_text("Dr. Maya Chen")

    tap = Taps()
    tap(page.get_by_label("Who?"))
    page.keyboard.type("Chen")
    tap(page.get_by_role("option", name="Dr. Maya Chen"))
    tap(page.get_by_role("button", name="Log it"))
    expect(page.locator("#quick-log")).to_contain_text("Logged: Meeting with Dr. Maya Chen.")
    # The thank-you this conversation calls for is on This week, without a reload.
    expect(week).to_contain_text("Dr. Maya Chen")
    assert page.evaluate("window.__noReload") is True
    assert tap.count <= 3, tap.count
    page.screenshot(path=artifacts_dir / "walk-home-after-log-phone.png", full_page=True)

    # A letter in three fields: the writer through the picker, the purpose, the due date.
    page.goto(f"{live_server.url}/letters/new/")
    form = page.locator("form.letter-ask")
    # Three fields: the search box, the purpose's chips, the due date.
    expect(form.locator("input[type=text], input[type=date], select, textarea")).to_have_count(2)
    expect(form.locator("fieldset")).to_have_count(1)
    page.get_by_label("Who will write it?").fill("Chen")
    page.get_by_role("option", name="Dr. Maya Chen").tap()
    page.locator("form.letter-ask .chips label", has_text="Fellowship").tap()
    page.get_by_label("Due").fill("2027-09-15")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "letter-ask-phone.png", full_page=False)
    page.get_by_role("button", name="Add to the board").tap()
    expect(page.get_by_role("heading", name="Letter from Dr. Maya Chen")).to_be_visible()
    expect(page.get_by_text("Letter from Dr. Maya Chen added to the board.")).to_be_visible()

    # The first rotation saves first time: the kind is already chosen.
    page.goto(f"{live_server.url}/rotations/new/")
    page.get_by_label("Rotation", exact=True).fill("Internal medicine clerkship")
    page.get_by_label("Starts").fill("2026-07-01")
    page.get_by_label("Ends").fill("2026-08-25")
    page.get_by_role("button", name="Add rotation").tap()
    expect(page.get_by_role("heading", name="Internal medicine clerkship")).to_be_visible()
    expect(page.locator(".errorlist, .field-error")).to_have_count(0)

    page.goto(live_server.url + "/")
    page.screenshot(path=SCREENS / "home-phone.png", full_page=False)
