"""One-click links in the weekly email: signed, no login, expire, and work once. A GET only
shows a page (mail scanners prefetch links); the POST from its button acts."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from reminders.email import links
from reminders.models import DigestLinkUse
from tests.factories import ContactFactory, UserFactory
from tests.reminders.digest_world import make_nudge

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
SENT_AT = datetime.datetime(2027, 9, 6, 13, 0, tzinfo=UTC)  # Monday 08:00 in Chicago


@pytest.fixture
def nudge(student):
    rao = ContactFactory(owner=student, name="Dr. Rao")
    return make_nudge(student, contact=rao, kind="thank_you", due=datetime.date(2027, 9, 7),
                      reason="A short thank-you to Dr. Rao is remembered.")  # fmt: skip


@pytest.fixture
def csrf_client():
    """Like a browser arriving from a mail app: no session, CSRF checks on."""
    return Client(enforce_csrf_checks=True)


def _path(nudge, action=links.DONE, nonce="email-1") -> str:
    url = links.action_url(student_id=nudge.owner_id, nudge_id=nudge.pk, action=action, nonce=nonce)
    return url.removeprefix("http://127.0.0.1:8000")


@time_machine.travel(SENT_AT, tick=False)
def test_get_shows_a_confirm_page_and_changes_nothing(csrf_client, nudge):
    response = csrf_client.get(_path(nudge))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A short thank-you to Dr. Rao is remembered." in page
    assert '<form method="post"><button type="submit">Mark done</button></form>' in page
    assert "<script>" not in page  # no inline script: the button is a plain form
    assert response["Cache-Control"].startswith("max-age=0")
    nudge.refresh_from_db()
    assert nudge.state == "open" and not DigestLinkUse.objects.exists()


@time_machine.travel(SENT_AT, tick=False)
def test_the_post_marks_it_done_without_logging_in(csrf_client, nudge):
    response = csrf_client.post(_path(nudge))
    assert response.status_code == 200
    assert "Nice work. Marked done." in response.content.decode()
    nudge.refresh_from_db()
    assert nudge.state == "done" and nudge.closed_at is not None
    assert "_auth_user_id" not in csrf_client.session  # acted without signing anyone in


@time_machine.travel(SENT_AT, tick=False)
def test_snooze_hides_it_for_a_week_from_the_students_own_today(csrf_client, nudge):
    response = csrf_client.post(_path(nudge, links.SNOOZE))
    assert response.status_code == 200
    assert "Snoozed until Mon Sep 13, 2027" in response.content.decode()
    nudge.refresh_from_db()
    assert (nudge.state, nudge.snoozed_until) == ("snoozed", datetime.date(2027, 9, 13))


@time_machine.travel(SENT_AT, tick=False)
def test_a_link_works_once_and_its_twin_is_used_up_with_it(csrf_client, nudge):
    assert csrf_client.post(_path(nudge, links.DONE)).status_code == 200
    for path in (_path(nudge, links.DONE), _path(nudge, links.SNOOZE)):
        for method in (csrf_client.get, csrf_client.post):
            response = method(path)
            assert response.status_code == 410
            page = response.content.decode()
            assert "already been used" in page and "/accounts/login/" in page
    nudge.refresh_from_db()
    assert nudge.state == "done" and DigestLinkUse.objects.count() == 1


@time_machine.travel(SENT_AT, tick=False)
def test_each_email_has_its_own_links(csrf_client, nudge):
    assert csrf_client.post(_path(nudge, links.SNOOZE, nonce="week-1")).status_code == 200
    assert csrf_client.post(_path(nudge, links.DONE, nonce="week-2")).status_code == 200
    nudge.refresh_from_db()
    assert nudge.state == "done"


def test_a_link_expires_after_the_set_number_of_days(csrf_client, nudge, settings):
    with time_machine.travel(SENT_AT, tick=False):
        path = _path(nudge)
    days = settings.DIGEST_LINK_MAX_AGE_DAYS
    with time_machine.travel(SENT_AT + datetime.timedelta(days=days, minutes=-1), tick=False):
        assert csrf_client.get(path).status_code == 200
    with time_machine.travel(SENT_AT + datetime.timedelta(days=days, minutes=1), tick=False):
        response = csrf_client.post(path)
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
    nudge.refresh_from_db()
    assert nudge.state == "open" and not DigestLinkUse.objects.exists()


@time_machine.travel(SENT_AT, tick=False)
def test_a_tampered_link_is_refused_kindly(csrf_client, nudge, other_student):
    path = _path(nudge)
    token = path.split("/")[-2]
    cut_short = path.replace(token, token[:-6])
    signature_changed = path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    # A valid-looking payload for someone else's nudge, signed with the wrong salt.
    other = make_nudge(other_student, due=datetime.date(2027, 9, 7))
    forged = signing.dumps({"u": other.owner_id, "n": other.pk, "a": "d", "e": "x"})
    for bad in (cut_short, signature_changed, f"/email/a/{forged}/", "/email/a/nonsense/"):
        response = csrf_client.post(bad)
        assert response.status_code == 400, bad
        assert "doesn't look right" in response.content.decode()
    for row in (nudge, other):
        row.refresh_from_db()
        assert row.state == "open"


@time_machine.travel(SENT_AT, tick=False)
def test_a_link_to_a_deleted_nudge_says_so(csrf_client, nudge):
    path = _path(nudge)
    nudge.delete()
    assert csrf_client.get(path).status_code == 404


@time_machine.travel(SENT_AT, tick=False)
def test_a_nudge_already_closed_in_the_app_stays_closed(csrf_client, nudge):
    nudge.state = "dismissed"
    nudge.save()
    response = csrf_client.post(_path(nudge, links.SNOOZE))
    assert "Already taken care of" in response.content.decode()
    nudge.refresh_from_db()
    assert nudge.state == "dismissed"


# --- Unsubscribe ------------------------------------------------------------------------------


def _unsubscribe_path(student) -> str:
    return links.unsubscribe_url(student).removeprefix("http://127.0.0.1:8000")


def test_unsubscribe_get_asks_and_the_button_unsubscribes(csrf_client, student):
    path = _unsubscribe_path(student)
    response = csrf_client.get(path)
    assert response.status_code == 200 and "Stop the weekly email?" in response.content.decode()
    student.refresh_from_db()
    assert student.digest_opt_out is False
    response = csrf_client.post(path)
    assert "You're unsubscribed" in response.content.decode()
    student.refresh_from_db()
    assert student.digest_opt_out is True
    # Idempotent: a second click is just as happy; "turn it back on" undoes it.
    assert csrf_client.post(path).status_code == 200
    csrf_client.post(path, {"action": "resubscribe"})
    student.refresh_from_db()
    assert student.digest_opt_out is False


def test_a_mail_clients_one_click_unsubscribe_post_works(csrf_client, student):
    response = csrf_client.post(
        _unsubscribe_path(student),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    student.refresh_from_db()
    assert student.digest_opt_out is True


def test_a_tampered_unsubscribe_link_changes_nothing(csrf_client, student, other_student):
    path = _unsubscribe_path(student).replace(f"/{student.pk}:", f"/{other_student.pk}:")
    assert csrf_client.post(path).status_code == 400
    other_student.refresh_from_db()
    assert other_student.digest_opt_out is False


@pytest.mark.parametrize(
    "token",
    [
        links.action_token(student_id=7, nudge_id=12345, action=links.DONE, nonce="n0nce-_x"),
        links.unsubscribe_token(UserFactory.build(pk=42)),
        "a.b:c_d-e~f",
        "needs quoting: spaces & ünïcode?",
    ],
)
def test_a_links_path_is_what_reverse_says(token):
    for name in ("reminders:digest_action", "reminders:digest_unsubscribe"):
        assert links.path_to(name, token) == reverse(name, args=[token])
    assert links.path_to("home") == reverse("home")


def test_a_links_path_follows_the_url_configuration(settings):
    before = links.path_to("reminders:digest_action", "abc")
    settings.ROOT_URLCONF = "tests.reminders.prefixed_urls"
    assert links.path_to("reminders:digest_action", "abc") == "/prefixed" + before
