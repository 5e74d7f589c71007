"""With JavaScript off, a name with no match is never a dead end: the quick-log offers to add
the person, with a role, and logs them in one more tap."""

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from tests.browser.world import PHONE, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_person_is_quick_logged_with_javascript_off(live_server, browser):
    student = UserFactory(email="ada@example.edu", name="Ada Student")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    sign_in(context, live_server, student)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Who?").fill("Dr. Lena Okafor")
    page.locator("#quick-log .chips label", has_text="Meeting").click()
    page.get_by_label("One line about it").fill("Talked about the cardiology elective")
    page.get_by_role("button", name="Log it").click()

    # The way forward: add them, with a role ("not sure" is fine), keeping what was typed.
    expect(page.get_by_text("No one called “Dr. Lena Okafor” yet.")).to_be_visible()
    expect(page.get_by_text("Nothing needs you this week")).to_have_count(0)
    expect(page.get_by_label("One line about it")).to_have_value(
        "Talked about the cardiology elective"
    )
    page.locator(".role-chips label", has_text="Fellow").click()
    screenshot(page, "no-js-add-new-phone-light")
    page.get_by_role("button", name="Add “Dr. Lena Okafor” and log it").click()

    expect(page.get_by_text("Logged: Meeting with Dr. Lena Okafor.")).to_be_visible()
    contact = Contact.objects.get(owner=student)
    assert (contact.name, contact.role) == ("Dr. Lena Okafor", "fellow")
    assert [i.summary for i in contact.interactions.all()] == [
        "Talked about the cardiology elective"
    ]
    context.close()
