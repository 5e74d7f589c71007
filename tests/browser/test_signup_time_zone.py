"""Sign-up asks for the time zone, preset from the browser's own and confirmed in a select."""

import pytest
from playwright.sync_api import expect

from crm.models import User
from tests.browser.world import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_presets_the_time_zone_of_the_phone_and_keeps_it(live_server, browser):
    context = browser.new_context(viewport=PHONE, timezone_id="America/Los_Angeles")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/signup/")
    expect(page.get_by_label("Time zone")).to_have_value("America/Los_Angeles")
    page.get_by_label("Your name").fill("Priya Raman")
    page.get_by_label("Email").fill("priya@example.edu")
    page.get_by_label("Match year").fill("2028")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()
    assert User.objects.get(email="priya@example.edu").timezone == "America/Los_Angeles"
    context.close()
