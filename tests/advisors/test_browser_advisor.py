"""In Chromium: a student invites an advisor from settings; the advisor follows the emailed
link, creates an account, and sees the student's advocate map (on a desktop and a phone)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.advisors.advisor_world import build_network, snapshots
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+/advisor/invitations/\S+/")


def test_a_student_invites_an_advisor_who_signs_up_and_sees_the_map(
    live_server, browser, phone_page, artifacts_dir, mailoutbox
):
    student = UserFactory(
        email="ada@example.edu",
        name="Ada Lovelace",
        target_specialties=["Internal Medicine", "Cardiology"],
        target_cities=["Chicago, IL", "Boston, MA"],
    )
    today = student.local_today()
    build_network(student, today, size=10)
    snapshots(student, today, [0, 0, 1, 1, 1, 2, 2, 2])

    # The student logs in and invites her advisor, sharing her notes.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/settings/sharing/")
    sharing = page.locator("#sharing")
    sharing.get_by_label("Advisor's email").fill("chen@med.example.edu")
    sharing.get_by_label("Also share my private notes").check()
    sharing.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to chen@med.example.edu")).to_be_visible()
    expect(page.locator("#sharing")).to_contain_text("Invitations waiting for a reply")

    (email,) = mailoutbox
    assert email.to == ["chen@med.example.edu"]
    link = LINK.search(email.body).group(0)

    # The advisor, in another browser, follows the link and creates an account.
    advisor_context = browser.new_context(viewport={"width": 1280, "height": 900})
    advisor_page = advisor_context.new_page()
    advisor_page.set_default_timeout(10_000)
    advisor_page.goto(link)
    expect(advisor_page.get_by_role("heading", name="Ada Lovelace invited you")).to_be_visible()
    advisor_page.get_by_role("button", name="Create your advisor account").click()
    advisor_page.get_by_label("Your name").fill("Dr. Wei Chen")
    advisor_page.get_by_label("Password").fill("a-long-enough-passphrase")
    advisor_page.get_by_role("button", name="Create account and see the map").click()

    expect(advisor_page.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()
    advisor_map = advisor_page.locator("svg.advocate-map")
    expect(advisor_map).to_be_visible()
    expect(advisor_map.locator("a.person")).to_have_count(10)
    expect(advisor_page.locator("#people")).to_contain_text("Private note about person 0")
    expect(advisor_page.locator("#gaps")).to_contain_text("Boston, MA")
    advisor_page.screenshot(path=artifacts_dir / "advisor-map.png", full_page=True)

    # The list of students shows her first, needing a look: 2 advocates, letters due soon.
    advisor_page.locator("header").get_by_role("link", name="My students").click()
    row = advisor_page.locator(".student-row", has_text="Ada Lovelace")
    expect(row).to_contain_text("2 advocates (goal 3+)")
    expect(row).to_contain_text("2 letters due within 2 weeks")

    # The same map at phone size: the map scales, the panels stack.
    phone_page.context.add_cookies(advisor_context.cookies())
    phone_page.goto(f"{live_server.url}/advisor/students/{student.pk}/")
    expect(phone_page.locator("svg.advocate-map")).to_be_visible()
    box = phone_page.locator("svg.advocate-map").bounding_box()
    assert box["width"] <= 390
    phone_page.screenshot(path=artifacts_dir / "advisor-map-phone.png", full_page=True)

    # Back with the student: she stops sharing, and the advisor's next request is refused.
    page.goto(f"{live_server.url}/settings/sharing/")
    page.locator("#sharing").get_by_role("button", name="Stop sharing with Dr. Wei Chen").click()
    expect(page.get_by_text("can no longer see your map")).to_be_visible()
    response = advisor_page.goto(f"{live_server.url}/advisor/students/{student.pk}/")
    assert response.status == 404
    desk.close()
    advisor_context.close()


def test_history_chart_and_map_fit_a_phone_without_sideways_scrolling(
    live_server, phone_page, artifacts_dir
):
    student = UserFactory(email="lin@example.edu", name="Lin Student")
    today = datetime.date.today()
    build_network(student, today, size=25)
    phone_page.goto(f"{live_server.url}/accounts/login/")
    phone_page.get_by_label("Email").fill(student.email)
    phone_page.get_by_label("Password").fill(PASSWORD)
    phone_page.get_by_role("button", name="Log in").tap()
    phone_page.locator(".nav-more summary").tap()  # under "More" in the tab bar
    phone_page.get_by_role("link", name="My map").first.tap()
    expect(phone_page.get_by_role("heading", name="My map")).to_be_visible()
    expect(phone_page.locator("svg.advocate-map a.person")).to_have_count(25)
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390
    phone_page.screenshot(path=artifacts_dir / "my-map-phone.png", full_page=True)
