"""axe-core (vendored from npm, tests/browser/axe.min.js) finds no violation on any page, as a
student, as an advisor and signed out, on a 390 px phone and a 1280 px desktop, in light and
dark mode. Each page's screenshot is kept under test-artifacts/screens/.

One browser context and page per viewer (one world, one sign-in) visits every page once in
each of the four variants, changing the viewport and the colour scheme in place between them;
a failure names each page and variant with its violations."""

import pytest

from tests.browser.world import (
    AXE,
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
VARIANTS = [(size, scheme) for size in SIZES for scheme in ("light", "dark")]


@pytest.mark.parametrize("viewer", ["student", "advisor", "anonymous"])
def test_every_page_has_no_axe_violations(live_server, browser, viewer):
    world = build_world()
    context = browser.new_context(viewport=PHONE)
    # axe-core once for the context (every page gets it at load), not sent again per page.
    context.add_init_script(path=AXE)
    if viewer == "anonymous":
        pages = anonymous_pages()
    else:
        sign_in(context, live_server, world[viewer])
        pages = student_pages(world) if viewer == "student" else advisor_pages(world)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = {}
    checked = []
    for size, scheme in VARIANTS:
        page.set_viewport_size(SIZES[size])
        page.emulate_media(color_scheme=scheme)
        for name, path in pages:
            where = f"{name} ({viewer}, {size}, {scheme})"
            response = page.goto(live_server.url + path)
            # The variant really is the one named (a page that reset it would fool the check).
            assert page.evaluate("window.innerWidth") == SIZES[size]["width"], where
            dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
            assert dark == (scheme == "dark"), where
            if response.status != 200:
                problems[where] = f"{path} answered {response.status}"
            elif violations := axe_violations(page):
                problems[where] = violations
            screenshot(page, f"{name}-{size}-{scheme}")
            checked.append(where)
    context.close()
    assert len(checked) == len(pages) * len(VARIANTS)
    assert not problems, report(problems)
