"""The calendar feed read by a second, independent parser: Mozilla's ical.js (Thunderbird's and
many web calendars'), run by node over tests/reminders/icaljs/parse_ics.mjs. The ical.js file is
vendored from npm (package.json pins it), so this needs node but no network."""

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reminders.calendar.feed import occasion_uid
from reminders.models import Nudge, NudgeKind
from tests.factories import ContactFactory, LetterRequestFactory

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).parent / "icaljs" / "parse_ics.mjs"
NOW = datetime.datetime(2027, 8, 2, 15, tzinfo=datetime.UTC)


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("node is required in CI to check the calendar feed with ical.js")
        pytest.skip("node is not installed: the feed is not checked with ical.js here")
    return found


def icaljs(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [node(), str(SCRIPT), str(path)], capture_output=True, text=True, timeout=60, check=False
    )


@time_machine.travel(NOW, tick=False)
def test_icaljs_reads_the_feed_as_icalendar_does(student, settings, tmp_path):
    settings.SITE_URL = "https://advocate.example.edu"
    rao = ContactFactory(owner=student, name="Dr. Rao, MD")
    nudge = Nudge.objects.create(
        owner=student, kind=NudgeKind.FOLLOW_UP, contact=rao, key="follow_up:x",
        occasion_on=datetime.date(2027, 4, 1), due=datetime.date(2027, 8, 10),
        reason="4 months since you last spoke; a 3-line update; thanks, again.",
    )  # fmt: skip
    Nudge.objects.create(
        owner=student, kind=NudgeKind.GAP, key="gap:x", reason="No community hospital.",
        occasion_on=datetime.date(2027, 8, 2), due=datetime.date(2027, 8, 2),
    )  # fmt: skip
    letter = LetterRequestFactory(
        owner=student, writer=rao, due=datetime.date(2027, 9, 15), status="agreed"
    )
    response = Client().get(reverse("reminders:calendar_feed", args=[student.calendar_token]))
    feed = tmp_path / "advocate.ics"
    feed.write_bytes(response.content)
    result = icaljs(feed)
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    assert read["properties"]["x-published-ttl"] == {"type": "duration", "value": "PT6H"}
    assert read["properties"]["refresh-interval"] == {"type": "duration", "value": "PT6H"}
    events = {event["uid"]: event for event in read["events"]}
    follow_up_uid = occasion_uid(student.pk, nudge.key, "advocate.example.edu")
    assert set(events) == {follow_up_uid, f"letter-{letter.pk}@advocate.example.edu"}
    follow_up = events[follow_up_uid]
    assert (follow_up["start"], follow_up["end"], follow_up["allDay"]) == (
        "2027-08-10", "2027-08-11", True
    )  # fmt: skip
    assert follow_up["summary"] == "Follow up: Dr. Rao, MD"  # escaped comma read back
    assert follow_up["description"].startswith(
        "4 months since you last spoke; a 3-line update; thanks, again.\n\nOpen in Advocate: "
    )
    assert follow_up["url"] == f"https://advocate.example.edu/contacts/{rao.pk}/"


def test_icaljs_refuses_the_old_ttl_so_this_check_means_something(tmp_path):
    feed = tmp_path / "old.ics"
    feed.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nX-PUBLISHED-TTL:6:00:00\r\n"
        b"END:VCALENDAR\r\n"
    )
    result = icaljs(feed)
    assert result.returncode == 1
    assert "Not enough duration components" in result.stderr
