"""This week is never stale after a quick-log: with htmx the quick-log's answer triggers
`advocate:logged` and the week fetches itself again (the list and the progress line); without
JS the post redirects to a fresh page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
NOW = datetime.datetime(2026, 7, 11, 20, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def log(client, django_capture_on_commit_callbacks):
    def post(client, name, **headers):
        data = {
            "new_contact_name": name,
            "kind": "meeting",
            "date": "2026-07-11",
            "direction": "outbound",
        }
        # The nudges refresh when the write commits, as in production.
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("contacts:interaction_create"), data, **headers)

    return post


def test_a_quick_log_with_htmx_tells_the_page_to_refresh_what_it_changed(student_client, log):
    response = log(student_client, "Dr. Lena Okafor", **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "advocate:logged"


def test_the_week_listens_and_answers_with_itself_alone(student_client, log):
    page = student_client.get(reverse("home")).text
    assert 'id="this-week"' in page
    assert 'hx-trigger="advocate:logged from:body"' in page

    log(student_client, "Dr. Lena Okafor", **HTMX)
    fragment = student_client.get(reverse("home"), HTTP_HX_TARGET="this-week", **HTMX)

    text = fragment.text
    assert '<section class="this-week" id="this-week"' in text
    assert "<html" not in text and 'id="quick-log"' not in text
    # The thank-you the meeting calls for is already there, with the progress line.
    assert "Dr. Lena Okafor" in text
    assert "progress-card" in text
    assert "HX-Target" in fragment["Vary"]


def test_without_js_the_quick_log_returns_to_a_fresh_week(student_client, log):
    response = log(student_client, "Dr. Lena Okafor")
    assert response.status_code == 302
    page = student_client.get(response.url).text
    week = page[page.index('id="this-week"') : page.index("</section>")]
    assert "Dr. Lena Okafor" in week


def test_this_week_is_the_page_heading_once(student_client, log):
    log(student_client, "Dr. Lena Okafor")
    page = student_client.get(reverse("home")).text
    assert page.count(">This week</h") == 1
