"""On a 390 px phone every interactive element on every page is at least 44×44 px."""

import pytest

from tests.browser.world import (
    PHONE,
    advisor_pages,
    anonymous_pages,
    build_world,
    report,
    sign_in,
    small_targets,
    student_pages,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewer", ["student", "advisor", "anonymous"])
def test_every_interactive_element_is_at_least_44_px_on_a_phone(live_server, browser, viewer):
    world = build_world()
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    if viewer == "anonymous":
        pages = anonymous_pages()
    else:
        sign_in(context, live_server, world[viewer])
        pages = student_pages(world) if viewer == "student" else advisor_pages(world)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = {}
    for name, path in pages:
        page.goto(live_server.url + path)
        if small := small_targets(page):
            problems[name] = small
    # The picker's matches, too, once a name is typed.
    if viewer == "student":
        page.goto(live_server.url + "/log/")
        page.get_by_label("Who?").fill("Dr.")
        page.locator("#picker-results [role=option]").first.wait_for()
        if small := small_targets(page):
            problems["log-picker"] = small
    context.close()
    assert not problems, report(problems)
