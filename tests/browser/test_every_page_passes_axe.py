"""axe-core (vendored from npm, tests/browser/axe.min.js) finds no violation on any page, as a
student, as an advisor and signed out, on a 390 px phone and a 1280 px desktop, in light and
dark mode. Each page's screenshot is kept under test-artifacts/screens/."""

import pytest

from tests.browser.world import (
    DESKTOP,
    PHONE,
    advisor_pages,
    anonymous_pages,
    axe_violations,
    build_world,
    report,
    screenshot,
    sign_in,
    student_pages,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("viewer", ["student", "advisor", "anonymous"])
def test_every_page_has_no_axe_violations(live_server, browser, viewer, size, scheme):
    world = build_world()
    context = browser.new_context(viewport=SIZES[size], color_scheme=scheme)
    if viewer == "anonymous":
        pages = anonymous_pages()
    else:
        sign_in(context, live_server, world[viewer])
        pages = student_pages(world) if viewer == "student" else advisor_pages(world)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = {}
    for name, path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path} answered {response.status}"
        if violations := axe_violations(page):
            problems[name] = violations
        screenshot(page, f"{name}-{size}-{scheme}")
    context.close()
    assert not problems, report(problems)
