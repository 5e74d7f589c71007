"""The quick-log by keyboard alone: "Log someone" within three Tab stops, arrow keys through
the picker's matches, Enter keeps focus moving forward, Enter in the last field logs it."""

import pytest
from playwright.sync_api import expect

from contacts.models import Interaction
from tests.browser.world import DESKTOP, screenshot, sign_in
from tests.factories import ContactFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(page) -> str:
    return page.evaluate(
        "(() => { const el = document.activeElement;"
        " return el.id || el.getAttribute('name') || el.textContent.trim(); })()"
    )


def test_a_student_logs_an_email_by_keyboard_alone(live_server, browser):
    student = UserFactory(email="ada@example.edu", name="Ada Student")
    ContactFactory(owner=student, name="Dr. Maya Patel")
    ContactFactory(owner=student, name="Dr. Sam Patterson")
    context = browser.new_context(viewport=DESKTOP)
    sign_in(context, live_server, student)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/")

    stops = []
    for _ in range(3):
        page.keyboard.press("Tab")
        stops.append(_focused(page))
    assert stops[-1] == "Log someone", stops
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page) == "id_contact_search"

    page.keyboard.type("Pat")
    search = page.locator("#id_contact_search")
    expect(page.locator("#picker-results [role=option]")).to_have_count(3)  # 2 + add as new
    expect(search).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = page.locator("#picker-results [aria-selected=true]")
    expect(active).to_contain_text("Dr. Sam Patterson")
    expect(search).to_have_attribute("aria-activedescendant", active.get_attribute("id"))
    page.keyboard.press("ArrowUp")
    expect(active).to_contain_text("Dr. Maya Patel")
    page.keyboard.press("Enter")

    # Chosen, and focus moves on to "What happened?" (never dropped to <body>).
    expect(page.locator("#contact-picker")).to_contain_text("Dr. Maya Patel")
    page.wait_for_function("document.activeElement.name === 'kind'")
    page.keyboard.press("ArrowRight")  # Meeting → Email, as any radio group
    expect(page.get_by_label("Email", exact=True)).to_be_checked()
    # Then the date (Chromium gives its month, day and year a Tab stop each), then the line.
    seen = []
    while len(seen) < 5 and "id_summary" not in seen:
        page.keyboard.press("Tab")
        seen.append(_focused(page))
    assert set(seen[:-1]) == {"id_date"} and seen[-1] == "id_summary", seen
    page.keyboard.type("Sent my CV")
    screenshot(page, "keyboard-quick-log-desktop-light")
    page.keyboard.press("Enter")

    expect(page.locator("#quick-log")).to_contain_text("Logged: Email with Dr. Maya Patel.")
    (interaction,) = Interaction.objects.filter(owner=student)
    assert (interaction.contact.name, interaction.kind) == ("Dr. Maya Patel", "email")
    assert interaction.summary == "Sent my CV"
    context.close()
