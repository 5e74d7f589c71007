"""In a hospital basement: the phone goes offline, the student quick-logs, closes the tab, and
when the connection returns the entry is sent once — exactly one interaction."""

import pytest
from playwright.sync_api import expect

from contacts.models import Contact, Interaction
from tests.browser.world import PHONE, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_quick_log_made_offline_is_kept_on_the_phone_and_synced_once(live_server, browser):
    student = UserFactory(email="ada@example.edu", name="Ada Student")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(context, live_server, student)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/log/")
    # The service worker installs, takes the page, and keeps a copy of it.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    page.get_by_label("Who?").fill("Dr. Basement Okafor")
    page.locator("#quick-log .chips label", has_text="Feedback session").tap()
    page.get_by_label("One line about it").fill("Feedback on my presentation")
    page.get_by_role("button", name="Log it").tap()
    pending = page.locator("#quick-log-pending")
    expect(pending).to_contain_text("Saved on this phone — will sync")
    expect(pending).to_contain_text("Feedback session with Dr. Basement Okafor")
    today = student.local_today()
    expect(pending).to_contain_text(f"{today:%a %b} {today.day}, {today.year}")
    screenshot(page, "offline-saved-phone-light")
    assert Interaction.objects.count() == 0

    # The tab is closed; a new one, still offline, opens from the service worker's copy and
    # still holds the entry.
    page.close()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/log/")
    expect(page.locator("#quick-log-pending")).to_contain_text("Dr. Basement Okafor")

    # Back online: sent once, then the phone forgets it.
    context.set_offline(False)
    expect(page.locator("#quick-log-pending")).to_be_hidden()
    expect(page.locator("#recent-activity")).to_contain_text("Dr. Basement Okafor")
    contact = Contact.objects.get(owner=student)
    assert contact.name == "Dr. Basement Okafor"
    (interaction,) = Interaction.objects.filter(owner=student)
    assert (interaction.kind, interaction.summary) == ("feedback", "Feedback on my presentation")
    assert interaction.client_key is not None

    # Coming online again (or a second tab syncing) sends nothing more.
    page.evaluate("window.advocateOffline.sync()")
    page.reload()
    assert Interaction.objects.filter(owner=student).count() == 1
    context.close()
