"""Settings → Log by BCC in Chromium at 390 and 1280 px: the address with its Copy button,
the three how-tos (one opened), the student's other addresses, and the promise that bodies are
never stored. Screenshots of the section go to test-artifacts/screens/ (the
README's copies in docs/ were taken from these and looked at), and axe checks
the page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from inbound.models import SenderAddress
from tests.browser.world import DESKTOP, axe_violations, report, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_log_by_bcc_section(browser, live_server, settings, size):
    settings.INBOUND_DOMAIN = "advocate.example.edu"
    student = UserFactory(email="ada@example.edu", name="Ada Lovelace")
    SenderAddress.objects.create(student=student, email="ada.lovelace@gmail.com")
    viewport = {"width": 390, "height": 844} if size == "phone" else DESKTOP
    context = browser.new_context(
        viewport=viewport, device_scale_factor=2 if size == "phone" else 1
    )
    sign_in(context, live_server, student)
    page = context.new_page()
    page.goto(f"{live_server.url}/settings/log-by-bcc/")
    section = page.locator("#log-by-bcc")
    expect(section.locator("#inbound-address")).to_have_value(
        __import__("re").compile(r"^log-[a-z0-9]{20}@advocate\.example\.edu$")
    )
    expect(section.get_by_role("button", name="Copy")).to_be_visible()
    expect(section).to_contain_text("never stored")
    section.locator("summary", has_text="BCC it when you write").click()
    # Tall enough for the whole section, so the phone's fixed tab bar sits below it.
    page.set_viewport_size({"width": viewport["width"], "height": 4000})
    SCREENS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=SCREENS / f"inbound-settings-{size}.png")
    assert not (problems := axe_violations(page)), report(problems)
    context.close()
