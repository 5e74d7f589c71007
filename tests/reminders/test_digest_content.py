"""The weekly email's content (reminders.email.digest): what it says, in both parts, and its
cost."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders.email.digest import digest_content, render_digest
from tests.factories import AdvisorFactory, ContactFactory, LetterRequestFactory
from tests.factories import RecommendationFactory as AdviceFactory
from tests.reminders.digest_world import make_nudge, squash, visible_text

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 9, 6)  # a Monday, in the application season of Match 2028
DAY = datetime.timedelta(days=1)


@pytest.fixture
def busy_week(student):
    rao = ContactFactory(owner=student, name="Dr. Priya Rao")
    chen = ContactFactory(owner=student, name="Dr. Wei Chen")
    make_nudge(
        student,
        contact=rao,
        kind="thank_you",
        due=TODAY - 3 * DAY,
        reason="You met Dr. Priya Rao on Sep 1. A short thank-you is remembered.",
    )
    make_nudge(
        student,
        contact=chen,
        kind="follow_up",
        due=TODAY + 2 * DAY,
        reason="It has been 4 months since you last wrote to Dr. Wei Chen.",
    )
    make_nudge(
        student,
        kind="small_action",
        due=TODAY + 6 * DAY,
        reason="Go to grand rounds and introduce yourself to the speaker.",
    )
    LetterRequestFactory(owner=student, writer=rao, due=TODAY + 9 * DAY, status="agreed")
    AdviceFactory(
        student=student,
        advisor=AdvisorFactory(name="Dr. Maya Okafor"),
        text="Ask Dr. Chen for a mid-rotation feedback meeting.",
    )
    return student


def _hrefs(html: str) -> set[str]:
    return {unescape(url) for url in re.findall(r'href="([^"]+)"', html)}


def test_both_parts_say_the_same_words(busy_week):
    content = digest_content(busy_week, TODAY)
    rendered = render_digest(busy_week, content, nonce="n1")
    html_words, text_words = visible_text(rendered.html), squash(rendered.text)

    expected = [
        content.greeting,
        content.summary,
        content.week_of,
        content.schedule,
        content.progress_headline,
        content.progress_next_step,
        content.phase_label,
        content.phase_advice,
        "Unsubscribe",
    ]
    for item in content.items:
        expected += [item.title, item.reason, item.due_label, "Mark done", "Snooze a week"]
    for letter in content.letters:
        expected += [letter.writer, letter.what, letter.due_label]
    for advice in content.recommendations:
        expected += [advice.text, advice.advisor]
    for words in expected:
        assert words in html_words, words
        assert words in text_words, words
    # Every link of the HTML part is spelled out in the text part.
    assert _hrefs(rendered.html) <= set(re.findall(r"https?://\S+", rendered.text))


def test_it_lists_the_week_most_at_stake_first_and_one_small_thing_apart(busy_week):
    content = digest_content(busy_week, TODAY)
    # Equal stakes: the sooner first. What to do now, never "was due".
    assert [line.title for line in content.lines] == [
        "Thank-you · Dr. Priya Rao",
        "Follow up · Dr. Wei Chen",
    ]
    assert [line.due_label for line in content.lines] == ["Today", "By Wed, Sep 8"]
    assert content.small_action.reason.startswith("Go to grand rounds")
    assert content.letters[0].writer == "Dr. Priya Rao"
    assert content.letters[0].due_label == "Due Sep 15, in 9 days"
    assert content.recommendations[0].advisor == "Dr. Maya Okafor"
    assert content.phase_label == "Applications"
    assert content.greeting == "Good morning, Ada."
    assert content.schedule == "Mondays at 07:00, America/Chicago time"


def test_the_subject_says_what_is_inside(student):
    rao = ContactFactory(owner=student, name="Dr. Rao")
    for name in ("Dr. Lee", "Dr. Kim"):
        make_nudge(student, contact=ContactFactory(owner=student, name=name), due=TODAY + DAY)
    LetterRequestFactory(owner=student, writer=rao, due=datetime.date(2027, 9, 15), status="asked")
    assert digest_content(student, TODAY).subject == (
        "2 follow-ups this week, letter from Dr. Rao due Sep 15"
    )


def test_the_subject_counts_two_kinds_and_more_letters(student):
    make_nudge(student, kind="follow_up", due=TODAY)
    make_nudge(student, kind="thank_you", due=TODAY - DAY)
    writer = ContactFactory(owner=student, name="Dr. Rao")
    LetterRequestFactory(owner=student, writer=writer, due=TODAY + 3 * DAY, status="agreed")
    LetterRequestFactory(owner=student, due=TODAY + 20 * DAY, status="asked")
    # The late thank-you is due today, as the follow-up is (stored dates are not moved forward
    # each day any more): the same stakes and day, so in the order of their kinds.
    assert digest_content(student, TODAY).subject == (
        "1 follow-up and 1 thank-you this week, letter from Dr. Rao due Sep 9 (+1 more)"
    )


def test_a_quiet_week_gets_a_calm_subject(student):
    content = digest_content(student, TODAY)
    assert content.is_quiet
    assert content.subject == "Nothing due this week: your people are in good shape"
    assert content.summary == "Nothing is due this week. Your people are in good shape."
    make_nudge(student, kind="small_action", due=TODAY + 6 * DAY, reason="Thank someone.")
    assert digest_content(student, TODAY).subject == "Nothing due this week: one small idea inside"


def test_letters_are_the_open_ones_due_in_the_next_30_days(student):
    writer = ContactFactory(owner=student, name="Dr. Rao")
    LetterRequestFactory(owner=student, writer=writer, due=TODAY + 30 * DAY, status="agreed")
    LetterRequestFactory(owner=student, writer=writer, due=TODAY + 31 * DAY, status="agreed")
    LetterRequestFactory(owner=student, writer=writer, due=TODAY + 5 * DAY, status="submitted")
    LetterRequestFactory(owner=student, writer=writer, due=TODAY - DAY, status="agreed")
    LetterRequestFactory(owner=student, writer=writer, due=None, status="considering")
    letters = digest_content(student, TODAY).letters
    assert [letter.due for letter in letters] == [TODAY + 30 * DAY]
    assert letters[0].what == "Residency application letter, agreed"


def test_only_open_advice_from_the_advisor_is_included(student):
    advisor = AdvisorFactory(name="Dr. Okafor")
    AdviceFactory(student=student, advisor=advisor, text="Meet the PD at the away rotation.")
    AdviceFactory(
        student=student,
        advisor=advisor,
        text="Already done this one.",
        done_at=datetime.datetime(2027, 9, 1, tzinfo=datetime.UTC),
    )
    texts = [advice.text for advice in digest_content(student, TODAY).recommendations]
    assert texts == ["Meet the PD at the away rotation."]


def test_without_advice_there_is_no_advisor_section(student):
    rendered = render_digest(student, digest_content(student, TODAY), nonce="n")
    assert "From your advisor" not in rendered.html
    assert "From your advisor" not in rendered.text


def test_the_html_relies_on_no_classes_no_style_sheet_and_no_images(busy_week):
    html = render_digest(busy_week, digest_content(busy_week, TODAY), nonce="n").html
    assert "class=" not in html
    assert "<style" not in html and "<link" not in html
    assert "<img" not in html and "<script" not in html


def test_names_are_escaped_in_html_and_plain_in_text(student):
    contact = ContactFactory(owner=student, name="Dr. O'Brien <Surgery>")
    make_nudge(student, contact=contact, due=TODAY, reason="Write to Dr. O'Brien <Surgery>.")
    rendered = render_digest(student, digest_content(student, TODAY), nonce="n")
    assert "<Surgery>" not in rendered.html and "&lt;Surgery&gt;" in rendered.html
    assert "Write to Dr. O'Brien <Surgery>." in rendered.text


def _queries_for_one_digest(student) -> int:
    with CaptureQueriesContext(connection) as captured:
        render_digest(student, digest_content(student, TODAY), nonce="n")
    return len(captured)


def _network(student, size: int) -> None:
    for number in range(size):
        contact = ContactFactory(owner=student, name=f"Contact {number}")
        make_nudge(student, contact=contact, due=TODAY + (number % 10 - 3) * DAY)
        if number % 3 == 0:
            LetterRequestFactory(owner=student, writer=contact, due=TODAY + number * DAY)
            AdviceFactory(student=student, advisor=None, text=f"Advice {number}")


def test_a_digest_costs_the_same_queries_for_3_or_30_contacts(student, other_student):
    _network(student, 3)
    _network(other_student, 30)
    # Twelve: this week's nudges (1); the engine's records: student, contacts, interactions,
    # rotations, team members, letters, programs, ties, Match stories, red flags (10); letters
    # due soon (1); open advice (1).
    assert _queries_for_one_digest(student) == 13
    assert _queries_for_one_digest(other_student) == 13


def test_the_small_action_is_this_weeks_not_last_weeks(student):
    make_nudge(student, kind="small_action", due=TODAY - DAY, reason="Last week's idea.")
    make_nudge(student, kind="small_action", due=TODAY + 6 * DAY, reason="This week's idea.")
    content = digest_content(student, TODAY)
    assert content.small_action.reason == "This week's idea."
    assert content.small_action.due_label == "Any day this week"
    assert content.lines == () and content.is_quiet


def test_a_batch_reads_thirteen_queries_and_says_what_each_single_email_says(
    student, other_student
):
    from reminders.email.digest import digest_contents

    _network(student, 3)
    _network(other_student, 12)
    tomorrow = TODAY + DAY  # each student on their own local date
    days = {student.pk: TODAY, other_student.pk: tomorrow}
    with CaptureQueriesContext(connection) as captured:
        contents = digest_contents([student, other_student], days)
    assert len(captured) == 13  # the engine's red flags: one more read (issue 19)
    assert contents[student.pk] == digest_content(student, TODAY)
    assert contents[other_student.pk] == digest_content(other_student, tomorrow)


# --- Calm: the same lines as This week, up to the next email -----------------------------------


def test_the_email_covers_what_falls_due_before_the_next_one(student):
    # Weekly on Thursdays: a Monday preview covers Monday to Wednesday, a Thursday email the
    # whole week to the next Wednesday.
    student.digest_weekday = 3
    student.save()
    rao = ContactFactory(owner=student, name="Dr. Rao")
    make_nudge(student, contact=rao, due=TODAY + 2 * DAY, reason="Due Wednesday.")
    make_nudge(student, contact=rao, kind="thank_you", due=TODAY + 3 * DAY, reason="Thursday.")
    monday = digest_content(student, TODAY)
    assert monday.covers_until == TODAY + 2 * DAY
    assert [line.sentence for line in monday.lines] == ["Due Wednesday."]
    thursday = digest_content(student, TODAY + 3 * DAY)
    assert thursday.covers_until == TODAY + 9 * DAY


def test_the_email_shows_five_lines_most_at_stake_first_groups_counting_once(student):
    people = [ContactFactory(owner=student, name=f"Dr. {n}") for n in "ABC"]
    for person in people:
        make_nudge(
            student,
            contact=person,
            kind="cycle_update",
            due=TODAY + DAY,
            reason=f"Tell {person.name} where you applied.",
            group="cycle_update:applied:2028",
            stakes=80,
        )
    for number in range(6):
        make_nudge(
            student,
            contact=ContactFactory(owner=student, name=f"Dr. Other {number}"),
            due=TODAY + DAY,
            reason=f"Other {number}.",
            stakes=10 + number,
        )
    content = digest_content(student, TODAY)
    assert len(content.lines) == 5
    group = content.lines[0]
    assert group.is_group and [p.name for p in group.people] == ["Dr. A", "Dr. B", "Dr. C"]
    assert [line.sentence for line in content.lines[1:]] == [f"Other {n}." for n in (5, 4, 3, 2)]
    assert len(content.more) == 2
    assert "2 more things can wait" in content.summary
    rendered = render_digest(student, content, nonce="n1")
    # One pair of one-click links per person of every line shown, none for "more".
    assert rendered.text.count("Mark done: ") == 3 + 4
    assert "Was due" not in rendered.text and "overdue" not in rendered.text.lower()


def test_monday_email_says_what_the_engine_will_ask_later_in_the_week(student):
    from tests.factories import LetterRequestFactory

    # A letter due Fri Sep 24: its polite reminder opens two weeks ahead, on Fri Sep 10,
    # after this Monday's email and before the next one.
    shah = ContactFactory(owner=student, name="Dr. Shah", role="faculty")
    LetterRequestFactory(
        owner=student, writer=shah, due=datetime.date(2027, 9, 24), materials_sent=True
    )
    content = digest_content(student, TODAY)
    assert [line.title for line in content.later] == ["Letter reminder · Dr. Shah"]
    assert content.later[0].from_label == "From Fri, Sep 10"
    text = render_digest(student, content, nonce="n1").text
    assert "Later this week" in text and "From Fri, Sep 10" in text


def test_what_is_said_for_later_never_counts_on_what_has_not_happened_yet(student):
    from tests.factories import InteractionFactory

    # A meeting entered for Thursday: its thank-you is not for this email to announce.
    rao = ContactFactory(owner=student, name="Dr. Rao")
    InteractionFactory(owner=student, contact=rao, kind="meeting", date=TODAY + 3 * DAY)
    assert digest_content(student, TODAY).later == ()
