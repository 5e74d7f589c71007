"""In Chromium at phone size: sign up, quick-log a new contact, see them on the contact list."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_student_signs_up_and_quick_logs_a_new_contact_from_a_phone(
    live_server, phone_page, artifacts_dir
):
    page = phone_page
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Your name").fill("Priya Raman")
    page.get_by_label("Email").fill("priya@example.edu")
    page.get_by_label("Match year").fill("2028")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create account").click()

    # Home: the quick-log is the first thing on the page.
    expect(page.get_by_role("heading", name="Log someone you met")).to_be_visible()
    page.get_by_label("Who?").fill("Dr. Lena Okafor")
    page.get_by_role("option", name="Add “Dr. Lena Okafor” as a new contact").tap()
    expect(page.get_by_text("New contact")).to_be_visible()
    page.locator("#quick-log .chips label", has_text="Meeting").first.tap()
    page.get_by_label("One line about it").fill("Asked about the cardiology elective")
    page.screenshot(path=artifacts_dir / "quick-log-phone.png", full_page=True)
    page.get_by_role("button", name="Log it").tap()

    expect(page.locator("#quick-log")).to_contain_text("Dr. Lena Okafor")
    expect(page.locator("#recent-activity")).to_contain_text("Dr. Lena Okafor")

    page.goto(f"{live_server.url}/contacts/")
    expect(page.get_by_role("link", name="Dr. Lena Okafor")).to_be_visible()
    page.screenshot(path=artifacts_dir / "contact-list-phone.png", full_page=True)
