"""Home, "This week": the week's nudges with their reasons, done / snooze / dismiss in place
(htmx), the advocate progress line, the quick-log prefilled after a nudge is done, and the
empty states of a brand-new student."""

import datetime
import json
import re

import pytest
import time_machine
from django.urls import reverse

from reminders.models import Nudge
from reminders.nudges import services
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    RotationFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
HTMX = {"HTTP_HX_REQUEST": "true"}
QUICK_LOG = {**HTMX, "HTTP_HX_TARGET": "quick-log"}
# Saturday 11 July 2026, mid-afternoon in Chicago.
NOW = datetime.datetime(2026, 7, 11, 20, 0, tzinfo=datetime.UTC)
TODAY = D(2026, 7, 11)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def nudge(student, *, kind="follow_up", contact=None, due=TODAY, reason=None, **fields):
    key = f"{kind}:{contact.pk if contact else 'none'}:{due.isoformat()}"
    return Nudge.objects.create(
        owner=student,
        kind=kind,
        contact=contact,
        key=key,
        occasion_on=due - datetime.timedelta(days=2),
        due=due,
        reason=reason or f"The reason for {key}.",
        **fields,
    )


def home(client, **headers):
    return client.get(reverse("home"), **headers)


# --- The week's nudges ------------------------------------------------------------------------


def test_home_is_this_week_with_its_nudges_most_at_stake_first_and_their_reasons(
    student_client, student
):
    rao = ContactFactory(owner=student, name="Dr. Rao")
    kim = ContactFactory(owner=student, name="Dr. Kim")
    nudge(
        student,
        kind="thank_you",
        contact=rao,
        due=D(2026, 7, 9),
        reason="You met with Dr. Rao on Jul 7. A short thank-you is remembered.",
        stakes=40,
    )
    nudge(
        student,
        contact=kim,
        due=D(2026, 7, 14),
        reason="It has been 4 months since you last spoke with Dr. Kim.",
        stakes=70,
    )
    content = home(student_client).content.decode()
    assert "<h1>This week</h1>" in content
    # The follow-up is more at stake: first, though it is due later.
    assert content.index("since you last spoke with Dr. Kim.") < content.index(
        "A short thank-you is remembered."
    )
    # What to do now, never "overdue" or "was due".
    assert "Today" in content and "By Tue Jul 14" in content
    assert "Was due" not in content and "overdue" not in content.lower()
    assert content.count('class="nudge-actions"') == 2


def test_home_leaves_out_nudges_beyond_this_week_and_those_already_handled(student_client, student):
    rao = ContactFactory(owner=student, name="Dr. Rao")
    nudge(student, contact=rao, due=D(2026, 7, 18), reason="Next week's follow-up.")
    nudge(student, contact=rao, due=D(2026, 7, 10), reason="Already done.", state="done")
    nudge(student, contact=rao, due=D(2026, 7, 11), reason="Dismissed.", state="dismissed")
    nudge(
        student,
        contact=rao,
        due=D(2026, 7, 12),
        reason="Snoozed to next week.",
        state="snoozed",
        snoozed_until=D(2026, 7, 18),
    )
    content = home(student_client).content.decode()
    for reason in ["Next week's follow-up.", "Already done.", "Dismissed.", "Snoozed to next"]:
        assert reason not in content
    assert "Nothing needs you this week. Your people are in good shape." in content


def test_the_weeks_small_action_stands_apart_from_what_is_due(student_client, student):
    nudge(
        student,
        kind="small_action",
        due=D(2026, 7, 12),
        reason="Go to grand rounds this week and introduce yourself to the speaker.",
    )
    content = home(student_client).content.decode()
    assert "One small action" in content
    assert "Go to grand rounds this week" in content
    assert 'id="week-heading"' not in content
    assert "Nothing else needs you this week." in content


def test_home_shows_the_advocate_progress_line_and_what_would_change_it(student_client, student):
    rao = ContactFactory(owner=student, name="Dr. Rao", role="clerkship_director")
    rotation = RotationFactory(owner=student, start=D(2026, 6, 1), end=D(2026, 6, 28))
    TeamMemberFactory(rotation=rotation, contact=rao, weeks_together=4)
    InteractionFactory(owner=student, contact=rao, date=D(2026, 6, 20), kind="meeting")
    content = home(student_client).content.decode()
    assert "0 of 3\u20135 deep advocates" in content
    # What would change it: whom to invest in, and how.
    assert "Dr. Rao (clerkship director) is closest (4 weeks together on Medicine sub-I)" in (
        content
    )
    assert "asking for feedback on your work would deepen it" in content
    assert 'Your focus:</span> <a href="/contacts/' in re.sub(r"\s+", " ", content)


# --- Done, snooze a week, dismiss: in place, with htmx -----------------------------------------


def test_done_from_home_answers_with_the_item_and_the_quick_log_prefilled(student_client, student):
    rao = ContactFactory(owner=student, name="Dr. Rao")
    item = nudge(student, kind="thank_you", contact=rao, due=D(2026, 7, 12))
    response = student_client.post(reverse("reminders:nudge_done", args=[item.pk]), **HTMX)
    assert "<strong>Done.</strong>" in response.content.decode()
    url = json.loads(response["HX-Trigger"])["nudge-done"]["quickLogUrl"]
    assert url == f"/?contact={rao.pk}&kind=thank_you"

    # What static/js/app.js asks for on "nudge-done": the quick-log alone, prefilled.
    quick_log = student_client.get(url, **QUICK_LOG)
    content = quick_log.content.decode()
    assert quick_log.templates[0].name == "contacts/_quick_log.html"
    assert "<html" not in content and content.lstrip().startswith('<form id="quick-log"')
    assert f'<input type="hidden" name="contact" value="{rao.pk}">' in content
    assert re.search(r'value="thank_you"[^>]*checked', content)
    assert "Vary" in quick_log and "HX-Request" in quick_log["Vary"]
    # It is gone from the week.
    assert "Dr. Rao" not in home(student_client).content.decode().split('id="quick-log"')[0]


def test_without_js_done_opens_the_home_page_with_the_quick_log_prefilled(student_client, student):
    rao = ContactFactory(owner=student, name="Dr. Rao")
    item = nudge(student, kind="feedback", contact=rao, due=D(2026, 7, 12))
    response = student_client.post(reverse("reminders:nudge_done", args=[item.pk]), follow=True)
    form = response.context["quick_log_form"]
    assert form.initial == {"contact": rao, "kind": "feedback"}
    assert "<h1>This week</h1>" in response.content.decode()


def test_the_quick_log_ignores_a_kind_it_does_not_offer(student_client, student):
    response = student_client.get(reverse("home"), {"kind": "gossip"})
    assert "kind" not in response.context["quick_log_form"].initial


def test_snooze_from_home_hides_it_for_a_week(student_client, student):
    item = nudge(student, contact=ContactFactory(owner=student), reason="Follow up now.")
    response = student_client.post(reverse("reminders:nudge_snooze", args=[item.pk]), **HTMX)
    assert "is snoozed until Sat Jul 18" in response.content.decode()
    assert "Follow up now." not in home(student_client).content.decode()
    with time_machine.travel(datetime.datetime(2026, 7, 18, 20, 0, tzinfo=datetime.UTC)):
        assert "Follow up now." in home(student_client).content.decode()


def test_dismiss_from_home_removes_it_for_good(student_client, student):
    item = nudge(student, contact=ContactFactory(owner=student), reason="Follow up now.")
    response = student_client.post(reverse("reminders:nudge_dismiss", args=[item.pk]), **HTMX)
    assert response.content == b""
    assert "Follow up now." not in home(student_client).content.decode()


def test_every_action_is_a_plain_form_too(student_client, student):
    item = nudge(student, contact=ContactFactory(owner=student))
    content = home(student_client).content.decode()
    for action in ["done", "snooze", "dismiss"]:
        url = reverse(f"reminders:nudge_{action}", args=[item.pk])
        assert f'<form method="post" action="{url}"' in content
        assert f'hx-post="{url}"' in content


def test_the_page_loads_the_small_script_that_opens_the_quick_log(student_client):
    content = home(student_client).content.decode()
    assert re.search(r'<script src="/static/js/app\.js" defer></script>', content)
    assert "<script>" not in content  # no inline script


# --- Empty states ------------------------------------------------------------------------------


def test_a_brand_new_student_gets_a_first_small_action_and_a_way_to_start(client):
    student = UserFactory(email="new@example.edu", match_year=2028)
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    response = home(client)
    assert response.status_code == 200
    content = response.content.decode()
    assert "0 of 3\u20135 deep advocates" in content
    assert "No one knows your work closely yet." in content
    # Before the first daily refresh, the engine's suggestion still shows (without buttons:
    # nothing is stored yet).
    assert "One small action" in content
    assert response.context["first_small_action"].kind == "small_action"
    assert 'class="nudge-actions"' not in content
    assert "Nothing logged yet." in content
    assert 'href="#quick-log"' in content


def test_once_refreshed_the_small_action_is_a_stored_nudge_with_its_buttons(client):
    student = UserFactory(email="new@example.edu", match_year=2028)
    services.refresh_student(student, today=TODAY)
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    response = home(client)
    assert response.context["first_small_action"] is None
    small_action = response.context["small_action"]
    assert small_action.kind == "small_action"
    assert small_action.reason in response.content.decode()
    assert f"/nudges/{small_action.pk}/done/" in response.content.decode()


# --- Queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "queries"), [(2, 12), (8, 12), (30, 13)])
def test_home_runs_a_fixed_number_of_queries_for_a_refreshed_student(
    student_client, student, size, queries, django_assert_num_queries
):
    for number in range(size):
        contact = ContactFactory(owner=student, name=f"Dr. {number}")
        InteractionFactory(owner=student, contact=contact, date=D(2026, 7, 10), kind="meeting")
        InteractionFactory(owner=student, contact=contact, date=D(2026, 3, 1), kind="feedback")
    services.refresh_student(student, today=TODAY)
    assert Nudge.objects.filter(owner=student).count() >= size
    # 1 session, 2 user, 3 this week's nudges with their contacts (at most week_rows_max);
    # the engine's view: 4 contacts, 5 interactions, 6 team places, 7 rotations, 8 letters,
    # 9 student; 10 advisors' recommendations; 11 people emailed who are not contacts yet (Log
    # by BCC); 12 recent interactions with their contacts; and, only when the week holds more
    # than week_rows_max nudges, 13 a count of the rest.
    with django_assert_num_queries(queries):
        response = home(student_client)
    # A thank-you each (and the month's invest and gap): five shown, the rest under "more".
    week = Nudge.objects.filter(owner=student).actionable(TODAY, due_by=D(2026, 7, 17))
    shown = sum(len(item.nudges) for item in response.context["items"])
    assert len(response.context["items"]) == min(week.count(), 5)
    assert shown + response.context["more_count"] == week.count()


def test_a_long_week_shows_five_items_most_at_stake_first_and_folds_the_rest(
    student_client, student
):
    for number in range(12):
        contact = ContactFactory(owner=student, name=f"Dr. Number {number}")
        nudge(
            student,
            contact=contact,
            due=D(2026, 7, 13),
            reason=f"Reason number {number}.",
            stakes=number,
        )
    content = home(student_client).content.decode()
    shown, more = content.split('<details class="more-nudges">')
    assert shown.count('class="nudge-actions"') == 5
    # Most at stake first: 11, 10, 9, 8, 7.
    positions = [shown.index(f"Reason number {number}.") for number in (11, 10, 9, 8, 7)]
    assert positions == sorted(positions)
    assert "<summary>7 more, when you have time</summary>" in more
    assert more.count('class="nudge-actions"') == 7


def test_a_week_loads_only_what_it_can_show(student_client, student, settings):
    settings.ADVOCATE = {"week_rows_max": 6}
    for number in range(9):
        contact = ContactFactory(owner=student, name=f"Dr. Number {number}")
        nudge(student, contact=contact, due=D(2026, 7, 13), reason=f"Reason number {number}.")
    response = home(student_client)
    assert sum(len(item.nudges) for item in response.context["items"]) == 5
    assert len(response.context["more_items"]) == 1
    assert response.context["more_hidden"] == 3
    assert "and 3 more that can wait" in response.content.decode()


def test_same_group_nudges_are_one_line_with_a_done_per_person(student_client, student):
    from django.utils.html import escape

    from reminders.engine.rules.grouping import group_line

    people = [ContactFactory(owner=student, name=f"Dr. {name}") for name in ("Ames", "Bo", "Cy")]
    rows = [
        nudge(
            student,
            kind="cycle_update",
            contact=person,
            reason=f"Interview season starts Oct 1. Tell {person.name} where you applied.",
            group="cycle_update:applied:2027",
            stakes=60,
        )
        for person in people
    ]
    for number in range(5):
        contact = ContactFactory(owner=student, name=f"Dr. Other {number}")
        nudge(student, contact=contact, reason=f"Other reason {number}.", stakes=50)
    response = home(student_client)
    items = response.context["items"]
    assert len(items) == 5  # the group counts once
    assert items[0].is_group and list(items[0].nudges) == rows
    content = response.content.decode()
    sentence = group_line(
        "cycle_update:applied:2027",
        "cycle_update",
        [p.name for p in people],
        [row.reason for row in rows],
    )
    assert escape(sentence) in content
    for row in rows:
        assert f'action="/nudges/{row.pk}/done/"' in content
    assert response.context["more_count"] == 1


def test_home_shows_the_advisors_open_recommendations(student_client, student, advisor):
    from advisors.models import Recommendation

    Recommendation.objects.create(
        student=student, advisor=advisor, text="Ask Dr. Chen for a mid-rotation feedback meeting"
    )
    response = student_client.get("/")
    assert response.status_code == 200
    assert b"From your advisor" in response.content
    assert b"Ask Dr. Chen for a mid-rotation feedback meeting" in response.content
