"""Issue 21, item 7: private pages the service worker kept for offline use do not survive
signing out, even when the signed-out page's own script never runs (JavaScript blocked on it,
a tab closed at once): the worker files pages per session and the first page of another
session (the login page, signed out) empties them."""

import pytest

from tests.browser.world import PHONE, sign_in
from tests.factories import ContactFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT_PAGES = """caches.keys().then(names => Promise.all(
  names.filter(n => n.startsWith('advocate-pages')).map(n => caches.open(n)
    .then(c => c.keys()).then(keys => keys.map(r => new URL(r.url).pathname))))
).then(lists => lists.flat())"""


def test_signing_out_clears_the_pages_kept_for_offline(live_server, browser):
    student = UserFactory(email="ada@example.edu", name="Ada Student")
    ContactFactory(owner=student, name="Dr. Private Person")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(context, live_server, student)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/log/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(f"{live_server.url}/contacts/")
    page.wait_for_function(f"({KEPT_PAGES}).then(p => p.includes('/contacts/'))")

    # The signed-out page's script is not what clears them: scripts are blocked from here on.
    context.route("**/static/js/app.js*", lambda route: route.abort())
    with page.expect_navigation():
        page.locator("form[action$='/logout/'] button").first.click()
    assert "/accounts/login/" in page.url
    page.wait_for_function(f"({KEPT_PAGES}).then(p => p.length === 0)")

    # Offline, the private pages are gone: the worker answers "No connection".
    context.set_offline(True)
    page.goto(f"{live_server.url}/contacts/")
    assert "Dr. Private Person" not in page.content()
    context.close()
