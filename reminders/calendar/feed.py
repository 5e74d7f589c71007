"""The student's private calendar feed (ICS): an all-day event for each open nudge about a
dated, concrete action and for each letter still in play that has a due date. Built with
`icalendar`; the suite also reads it back with Mozilla's ical.js.

Not in a calendar: "Invest in a relationship", "A gap in your network" and "One small action"
have no date of their own, so as all-day events today they would only be noise.

The coming week (reminders.calendar.ahead) adds an event on its due date for each task the
engine will first ask over the next days, in the words it will have then.

What it never holds: private notes, interaction summaries, anything typed about a person. An
event says what to do (the nudge's reason, written by the engine) and links back to the app.
A nudge's UID is made of its occasion (the student and the nudge's key), which the coming
week's item has too: a calendar app updates the event in place when the item becomes a nudge
or a nudge moves, rather than adding a second one. A letter's is its own id. Pure: the
records, `today` and `now` are passed in."""

import datetime
import hashlib
from collections.abc import Sequence
from urllib.parse import urlsplit

import icalendar
from django.urls import reverse

from contacts.models import LetterRequest
from contacts.vocabulary import LETTER_OPEN, LETTER_PURPOSE_WORDS, LetterStatus
from reminders.calendar.ahead import AheadItem
from reminders.models import Nudge, shown_due_expression
from reminders.vocabulary import NudgeKind, NudgeState, shown_due

PRODID = "-//Advocate//Calendar feed//EN"
# How often calendar apps should fetch again (Google ignores it; Apple and Outlook honour it).
REFRESH_INTERVAL = datetime.timedelta(hours=6)

LETTER_NEXT_STEP = {
    LetterStatus.CONSIDERING: "Decide whether to ask, and ask at least 6 weeks before it is due.",
    LetterStatus.ASKED: "Waiting for an answer; a short, friendly note helps after a while.",
    LetterStatus.AGREED: "Send your CV and personal-statement draft.",
    LetterStatus.MATERIALS_SENT: "If it is not in yet, one polite reminder two weeks before.",
}


# Nudges with no date of their own: This week and the email carry them, a calendar does not.
UNDATED_KINDS = (NudgeKind.INVEST, NudgeKind.GAP, NudgeKind.SMALL_ACTION)


def feed_nudges(student, today: datetime.date) -> list[Nudge]:
    """Open nudges and snoozed ones (on the day they come back), with their contact; dated,
    concrete actions only."""
    return list(
        Nudge.objects.filter(owner=student, state__in=[NudgeState.OPEN, NudgeState.SNOOZED])
        .exclude(kind__in=UNDATED_KINDS)
        .select_related("contact")
        .order_by(shown_due_expression(today), "pk")
    )


def feed_letters(student) -> list[LetterRequest]:
    return list(
        LetterRequest.objects.filter(
            owner=student, status__in=LETTER_OPEN, due__isnull=False
        ).select_related("writer")
    )


def _event(*, uid: str, day: datetime.date, summary: str, description: str, url: str, now):
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", f"{description}\n\nOpen in Advocate: {url}")
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy block
    return event


def nudge_day(nudge: Nudge, today: datetime.date) -> datetime.date:
    """When the calendar shows it: its due date, or today if that has passed (say what to do
    now, never "overdue"), or the day a snooze ends."""
    day = nudge.shown_due(today)
    if nudge.state == NudgeState.SNOOZED and nudge.snoozed_until:
        day = max(day, nudge.snoozed_until)
    return day


def nudge_summary(nudge: Nudge | AheadItem) -> str:
    label = NudgeKind(nudge.kind).label
    return f"{label}: {nudge.contact.name}" if nudge.contact else label


def occasion_uid(student_id: int, key: str, host: str) -> str:
    """A nudge's UID, from its occasion (unique per student): the same for the coming week's
    item and the nudge it becomes."""
    digest = hashlib.sha256(f"{student_id}:{key}".encode()).hexdigest()[:24]
    return f"nudge-{digest}@{host}"


def build_feed(
    student,
    *,
    nudges: list[Nudge],
    letters: list[LetterRequest],
    ahead: Sequence[AheadItem] = (),
    today: datetime.date,
    now: datetime.datetime,
    site_url: str,
) -> bytes:
    host = urlsplit(site_url).hostname or "advocate"
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Advocate")
    calendar.add("x-wr-caldesc", "Follow-ups and letter deadlines from Advocate")
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    # An RFC 5545 duration (PT6H), as REFRESH-INTERVAL: added bare, a timedelta on an X-
    # property would be written "6:00:00", which ical.js and others refuse.
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    home = site_url + reverse("home")
    # The open nudges, then the coming week (the look ahead holds only dated tasks).
    occasions: list[tuple[Nudge | AheadItem, datetime.date]] = [
        (nudge, nudge_day(nudge, today)) for nudge in nudges
    ]
    occasions += [(item, shown_due(item.due, today)) for item in ahead]
    for occasion, day in occasions:
        contact = occasion.contact
        calendar.add_component(
            _event(
                uid=occasion_uid(student.pk, occasion.key, host),
                day=day,
                summary=nudge_summary(occasion),
                description=occasion.reason,
                url=site_url + contact.get_absolute_url() if contact else home,
                now=now,
            )
        )
    for letter in letters:
        purpose = LETTER_PURPOSE_WORDS.get(letter.purpose, "")
        calendar.add_component(
            _event(
                uid=f"letter-{letter.pk}@{host}",
                day=letter.due,
                summary=f"Due: {purpose} letter from {letter.writer.name}",
                description=(
                    f"Status: {letter.get_status_display().lower()}. "
                    f"{LETTER_NEXT_STEP.get(letter.status, '')}"
                ).strip(),
                url=site_url + letter.get_absolute_url(),
                now=now,
            )
        )
    return calendar.to_ical()
