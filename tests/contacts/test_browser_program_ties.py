"""In Chromium at phone size: on a program's page nobody can vouch yet; add a mentor's tie
inline (htmx), and they appear as someone who could vouch, with the reason."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.factories import (
    PASSWORD,
    ContactFactory,
    InteractionFactory,
    ProgramFactory,
    RotationFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_student_adds_a_tie_on_a_phone_and_sees_who_could_vouch(
    live_server, phone_page, artifacts_dir
):
    student = UserFactory(email="ada@example.edu", name="Ada Student")
    today = student.local_today()
    program = ProgramFactory(owner=student, name="Cascade Internal Medicine")
    mentor = ContactFactory(owner=student, name="Dr. Maya Patel", role="program_director",
                            would_vouch=True)  # fmt: skip
    rotation = RotationFactory(owner=student, start=today - datetime.timedelta(days=50),
                               end=today - datetime.timedelta(days=23))  # fmt: skip
    TeamMemberFactory(rotation=rotation, contact=mentor, weeks_together=4)
    InteractionFactory(owner=student, contact=mentor, date=today - datetime.timedelta(days=10))

    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("ada@example.edu")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}{program.get_absolute_url()}")

    expect(page.locator("#vouch")).to_contain_text("Nobody you know has a tie")
    page.get_by_role("button", name="Add someone with a tie here").tap()
    page.get_by_label("Who?").select_option(label="Dr. Maya Patel")
    page.get_by_label("Trained there").check()
    page.get_by_label("Note").fill("residency there")
    page.get_by_role("button", name="Save the tie").tap()

    vouch = page.locator("#vouch")
    expect(vouch).to_contain_text("Saved: Dr. Maya Patel, trained there.")
    expect(vouch.locator(".vouch-list")).to_contain_text(
        "trained in this program (residency there)"
    )
    assert page.url.endswith(program.get_absolute_url())  # swapped in place, no reload
    page.screenshot(path=artifacts_dir / "program-vouch-phone.png", full_page=True)
