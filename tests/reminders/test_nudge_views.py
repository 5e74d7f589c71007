"""The three nudge actions: done, snooze a week, dismiss. POST only, the owner's only."""

import datetime
import json

import pytest
import time_machine

from reminders.models import Nudge
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def nudge(student):
    contact = ContactFactory(owner=student, name="Dr. Rao")
    return Nudge.objects.create(
        owner=student,
        kind="thank_you",
        contact=contact,
        key=f"thank_you:{contact.pk}:2026-07-10",
        occasion_on=datetime.date(2026, 7, 10),
        due=datetime.date(2026, 7, 12),
        reason="You met with Dr. Rao on Jul 10. A short thank-you is remembered.",
    )


def test_done_with_htmx_returns_the_fragment_and_a_quick_log_trigger(student_client, nudge):
    response = student_client.post(f"/nudges/{nudge.pk}/done/", **HTMX)
    assert response.status_code == 200
    nudge.refresh_from_db()
    assert nudge.state == "done" and nudge.closed_at is not None
    quick_log = f"/?contact={nudge.contact_id}&kind=thank_you"
    trigger = json.loads(response["HX-Trigger"])
    assert trigger["nudge-done"] == {"id": nudge.pk, "quickLogUrl": quick_log}
    assert f'id="nudge-{nudge.pk}"' in response.content.decode()
    assert quick_log.replace("&", "&amp;") in response.content.decode()


def test_done_without_js_goes_to_the_prefilled_quick_log(student_client, nudge):
    response = student_client.post(f"/nudges/{nudge.pk}/done/")
    assert response.status_code == 302
    assert response["Location"] == f"/?contact={nudge.contact_id}&kind=thank_you"


def test_done_without_a_contact_goes_home(student_client, student):
    gap = Nudge.objects.create(
        owner=student, kind="gap", key="gap:2026-07", occasion_on=datetime.date(2026, 7, 1),
        due=datetime.date(2026, 7, 7), reason="No one in Dermatology knows you yet.",
    )  # fmt: skip
    response = student_client.post(f"/nudges/{gap.pk}/done/")
    assert response.status_code == 302 and response["Location"] == "/"


@time_machine.travel(datetime.datetime(2026, 7, 11, 15, 0, tzinfo=datetime.UTC))
def test_snooze_hides_it_for_a_week_from_the_students_own_today(student_client, nudge):
    response = student_client.post(f"/nudges/{nudge.pk}/snooze/", **HTMX)
    assert response.status_code == 200
    nudge.refresh_from_db()
    assert (nudge.state, nudge.snoozed_until) == ("snoozed", datetime.date(2026, 7, 18))
    assert "snoozed until Sat Jul 18" in response.content.decode()


def test_snooze_without_js_redirects_home(student_client, nudge):
    response = student_client.post(f"/nudges/{nudge.pk}/snooze/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_dismiss_with_htmx_removes_the_item(student_client, nudge):
    response = student_client.post(f"/nudges/{nudge.pk}/dismiss/", **HTMX)
    assert response.status_code == 200 and response.content == b""
    nudge.refresh_from_db()
    assert nudge.state == "dismissed"


def test_dismiss_without_js_redirects_home(student_client, nudge):
    response = student_client.post(f"/nudges/{nudge.pk}/dismiss/")
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("action", ["done", "snooze", "dismiss"])
def test_another_students_nudge_is_not_found(client, other_student, nudge, action):
    client.force_login(other_student, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(f"/nudges/{nudge.pk}/{action}/", **HTMX)
    assert response.status_code == 404
    nudge.refresh_from_db()
    assert nudge.state == "open"


@pytest.mark.parametrize("action", ["done", "snooze", "dismiss"])
def test_actions_are_post_only(student_client, nudge, action):
    assert student_client.get(f"/nudges/{nudge.pk}/{action}/").status_code == 405


def test_actions_need_a_login(client, nudge):
    response = client.post(f"/nudges/{nudge.pk}/done/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    nudge.refresh_from_db()
    assert nudge.state == "open"


def test_this_week_fragment_lists_the_weeks_nudges(student, nudge, rf):
    from django.template.loader import render_to_string

    from reminders.nudges.selectors import this_week_context

    today = datetime.date(2026, 7, 13)
    context = this_week_context(student, today)
    assert [item.nudge for item in context["items"]] == [nudge]
    html = render_to_string("reminders/_this_week.html", context, request=rf.get("/"))
    assert "Dr. Rao" in html and "Was due" not in html
    assert "0 of 3\u20135 deep advocates" in html
    assert html.count("<button") == 3
