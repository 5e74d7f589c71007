"""In Chromium at phone size: "This week" on the home page. Done opens the quick-log prefilled
for that person and kind (htmx and static/js/app.js), snooze and dismiss act in place, and the
"Log someone" button reaches the quick-log from the top of the page."""

import datetime

import pytest
from playwright.sync_api import expect

from reminders.models import Nudge
from tests.factories import PASSWORD, ContactFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_student_works_through_the_week_from_a_phone(live_server, phone_page, artifacts_dir):
    student = UserFactory(email="ada@example.edu", name="Ada Student")
    today = student.local_today()
    rao = ContactFactory(owner=student, name="Dr. Maya Rao")
    kim = ContactFactory(owner=student, name="Dr. Sam Kim")
    lee = ContactFactory(owner=student, name="Dr. Jo Lee")
    for contact, kind, reason in [
        (rao, "thank_you", "You met with Dr. Maya Rao yesterday. A short thank-you helps."),
        (kim, "follow_up", "It has been 4 months since you last spoke with Dr. Sam Kim."),
        (lee, "follow_up", "It has been 5 months since you last spoke with Dr. Jo Lee."),
    ]:
        Nudge.objects.create(
            owner=student, kind=kind, contact=contact, key=f"{kind}:{contact.pk}",
            occasion_on=today - datetime.timedelta(days=1), due=today, reason=reason,
        )  # fmt: skip

    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()
    expect(page.get_by_text("A short thank-you helps.")).to_be_visible()

    # Snooze a week and dismiss, in place (before logging: a log refreshes the nudges from the
    # engine, which would retire these hand-made follow-ups with no history behind them).
    page.locator(f"#nudge-{_pk(kim)}").get_by_role("button", name="Snooze a week").tap()
    expect(page.locator(f"#nudge-{_pk(kim)}")).to_contain_text("is snoozed until")
    page.locator(f"#nudge-{_pk(lee)}").get_by_role("button", name="Dismiss").tap()
    expect(page.locator(f"#nudge-{_pk(lee)}")).to_have_count(0)
    assert Nudge.objects.get(contact=kim).state == "snoozed"
    assert Nudge.objects.get(contact=lee).state == "dismissed"

    # Done: the quick-log comes prefilled with Dr. Rao and "Thank-you", scrolled into view.
    page.locator("#nudge-" + str(_pk(rao))).get_by_role("button", name="Done").tap()
    expect(page.locator(f"#nudge-{_pk(rao)}")).to_contain_text("Done.")
    quick_log = page.locator("#quick-log")
    expect(quick_log.locator("#contact-picker")).to_contain_text("Dr. Maya Rao")
    expect(quick_log.get_by_label("Thank-you")).to_be_checked()
    expect(page.get_by_role("heading", name="Log someone you met")).to_be_in_viewport()
    page.get_by_label("One line about it").fill("Thanked her for the teaching on rounds")
    page.get_by_role("button", name="Log it").tap()
    expect(page.locator("#recent-activity")).to_contain_text("Dr. Maya Rao")
    # The week fetched itself again: the thank-you it asked for is answered, so it is gone.
    expect(page.locator(f"#nudge-{_pk(rao)}")).to_have_count(0)

    # From the top of the page, one tap reaches the quick-log.
    page.reload()
    page.get_by_role("button", name="Log someone").tap()
    expect(page.get_by_role("heading", name="Log someone you met")).to_be_in_viewport()
    page.screenshot(path=artifacts_dir / "this-week-phone.png", full_page=True)


def _pk(contact) -> int:
    return Nudge.objects.get(contact=contact).pk
