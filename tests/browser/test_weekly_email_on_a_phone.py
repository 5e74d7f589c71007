"""The weekly email in Chromium at 375 and 600 px: every button on one line, its two buttons
side by side, nothing wider than the screen; desktop Outlook gets a fixed 600 px table."""

import pytest

from tests.browser.world import build_world, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUTTONS = """
() => Array.from(document.querySelectorAll('a')).filter(a =>
    ['Mark done', 'Snooze a week'].includes(a.textContent.trim())).map(a => {
  const box = a.getBoundingClientRect();
  return {text: a.textContent.trim(), top: Math.round(box.top), height: Math.round(box.height)};
})
"""


@pytest.mark.parametrize("width", [375, 600])
def test_the_weekly_emails_buttons_never_wrap(live_server, browser, width):
    world = build_world()
    context = browser.new_context(viewport={"width": width, "height": 900})
    sign_in(context, live_server, world["student"])
    page = context.new_page()
    page.goto(f"{live_server.url}/email/preview/email.html")
    buttons = page.evaluate(BUTTONS)
    assert buttons, "the email has items with buttons"
    for done, snooze in zip(buttons[::2], buttons[1::2], strict=True):
        assert (done["text"], snooze["text"]) == ("Mark done", "Snooze a week")
        assert abs(done["top"] - snooze["top"]) <= 1  # side by side (the outline is 1 px)
        assert done["height"] == 44 and snooze["height"] == 42  # one line each (20 px + padding)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"weekly-email-{width}")
    context.close()


def test_desktop_outlook_gets_a_fixed_width_table(student_client, db):
    html = student_client.get("/email/preview/email.html").content.decode()
    assert '<!--[if mso]><table role="presentation" width="600"' in html
