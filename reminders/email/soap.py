"""The SOAP email: the moment a student records that they did not match (or matched to a
preliminary year only) during Match Week, one short email with the plan, at once.

Why at once: SOAP runs Monday to Thursday, and the student should know today what is allowed
(tell your own people, apply, answer programs that contact you) and what is not (nobody
contacts a program first until SOAP ends: NRMP's rule); next Monday's email would come after
all of it. Why only
Monday to Thursday (the student's own calendar): on Friday, Match Day, SOAP is over and the
plan has nothing left to ask but thanks.

Exactly once per student per Match year, as the weekly email is once per week
(reminders.email.delivery): one SoapAlert row per (student, year) under a unique constraint; a
worker
claims it with one conditional UPDATE and sends only if it changed the row; the row is marked
sent after the mail server accepts the message. Recording the outcome twice, toggling it,
two tabs, a task retry or two workers find the row claimed or sent and send nothing. A claim
that never got marked sent (a crash, an SMTP error) goes stale after DIGEST_STALE_CLAIM_MINUTES
and the task's retry takes it, up to DIGEST_MAX_ATTEMPTS. The one window for a duplicate is
the weekly email's: a crash after the server accepted the message and before the row is marked.
A task lost on the way (the broker down when the outcome was recorded) is caught by `sweep`,
which the hourly beat task runs.

Who gets it: an active student whose Match year is the alert's year and whose outcome is still
"did not match" or "preliminary year only" when the task runs. The weekly email's opt-out
("no weekly email") does not apply: this is not the weekly email but a one-time message the
student asked for by recording their outcome, and the most time-critical thing Advocate ever
sends: a student who turned off Monday's summary still wants this one.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import logging
import re

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from crm.match import MatchOutcome
from crm.models import User
from reminders.email.delivery import TwoPartEmail, claim, finish, mail_connection, stale_before
from reminders.email.digest import first_name
from reminders.engine.match_week import DID_NOT_MATCH, MatchWeekDays, match_week_days
from reminders.evaluation.loader import student_calendar
from reminders.match_week.selectors import MatchWeekView, match_week_view
from reminders.models import DigestStatus, SoapAlert

logger = logging.getLogger(__name__)

SUBJECT = "Your SOAP plan: this week, inside NRMP's rules"


class Result(enum.StrEnum):
    SENT = "sent"
    NOT_IN_SOAP = "not in SOAP"  # matched, no outcome, another year, not an active student
    OUTSIDE_THE_WEEK = "outside Monday to Thursday of Match Week"
    DONE = "already sent or given up"
    HELD = "claimed by another worker"  # not stale yet: look again once it would be
    FAILED = "failed"  # left claimed with its error, to be retried once the claim is stale


# --- When ---------------------------------------------------------------------------------------


def in_alert_days(days: MatchWeekDays | None, today: datetime.date) -> bool:
    """Monday to Thursday of Match Week: while SOAP can still use the plan."""
    return days is not None and days.monday <= today < days.friday


def _in_soap(student: User | None, year: int) -> bool:
    return (
        student is not None
        and student.is_active
        and student.is_student
        and student.match_year == year
        and student.match_outcome in DID_NOT_MATCH
    )


# --- Claim, send, mark --------------------------------------------------------------------------


def _not_claimed(alert_id: int, now: datetime.datetime) -> Result:
    """Why the claim failed: sent or given up (done), out of attempts (given up now), or held
    by a worker that may still be sending."""
    row = SoapAlert.objects.filter(pk=alert_id).values("status", "claimed_at", "attempts").get()
    if row["status"] != DigestStatus.SENDING:
        return Result.DONE
    stale = row["claimed_at"] is None or row["claimed_at"] < stale_before(now)
    if stale and row["attempts"] >= settings.DIGEST_MAX_ATTEMPTS:
        SoapAlert.objects.filter(pk=alert_id, status=DigestStatus.SENDING).update(
            status=DigestStatus.FAILED
        )
        logger.error("SOAP email %s: out of attempts, given up.", alert_id)
        return Result.DONE
    return Result.HELD


def send_soap_alert(
    *, student_id: int, year: int, now: datetime.datetime | None = None, connection=None
) -> Result:
    """Send the student's SOAP email for `year` if they are in SOAP today and it has not gone
    yet. Safe to call any number of times, from any number of workers."""
    now = now or timezone.now()
    student = User.objects.filter(pk=student_id).first()
    if not _in_soap(student, year):
        return Result.NOT_IN_SOAP
    today = student.local_today(now)
    view = match_week_view(student, today)
    if view.plan is None or not in_alert_days(view.days, today):
        return Result.OUTSIDE_THE_WEEK
    # Two workers may race to make it: get_or_create reads the winner's row.
    alert = SoapAlert.objects.get_or_create(student=student, year=year)[0]
    token = claim(alert.pk, now, model=SoapAlert)
    if token is None:
        return _not_claimed(alert.pk, now)
    try:
        rendered = render_soap_alert(student, view)
        connection = connection or mail_connection()
        if connection.send_messages([build_message(student, rendered, connection)]) != 1:
            raise RuntimeError("The mail backend did not accept the message.")
    except Exception as error:
        logger.exception("SOAP email %s to student %s failed", alert.pk, student.pk)
        finish(
            alert.pk, token, model=SoapAlert, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        return Result.FAILED
    finish(
        alert.pk,
        token,
        model=SoapAlert,
        status=DigestStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
    )
    return Result.SENT


def sweep(now: datetime.datetime | None = None) -> int:
    """The hourly backstop (beat's send_due_digests): an outcome recorded while the broker was
    down, or whose task was lost, still brings its email within the hour. Only the few active
    students who did not match this year and are between Monday and Thursday of their own
    Match Week (their calendar is on the user row: no query per student) are looked at, and
    those whose email is sent or given up are skipped. Returns how many were sent."""
    now = now or timezone.now()
    finished = SoapAlert.objects.filter(
        student=OuterRef("pk"),
        year=OuterRef("match_year"),
        status__in=(DigestStatus.SENT, DigestStatus.FAILED),
    )
    candidates = (
        User.objects.filter(
            role=User.Role.STUDENT,
            is_active=True,
            match_outcome__in=DID_NOT_MATCH,
            match_year__in=(now.year - 1, now.year, now.year + 1),
        )
        .exclude(Exists(finished))
        .order_by("pk")
    )
    sent = 0
    for student in candidates:
        calendar = student_calendar(student)
        days = match_week_days(calendar) if calendar is not None else None
        if not in_alert_days(days, student.local_today(now)):
            continue
        if send_soap_alert(student_id=student.pk, year=student.match_year, now=now) is Result.SENT:
            sent += 1
    return sent


# --- The words ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RenderedAlert:
    subject: str
    text: str
    html: str


def opening_line(outcome: str) -> str:
    if outcome == MatchOutcome.PARTIAL:
        return (
            "You matched to a preliminary year: that is a place to start, and this week SOAP "
            "may find the advanced position that follows it. Here is the plan."
        )
    return (
        "You did not match this year. That is hard news, and this week has a plan, one step "
        "at a time, inside NRMP's rules."
    )


def timing_line(weekday: str) -> str:
    """What the people below do this week, said from today: they take calls, never make
    them, until SOAP ends."""
    if weekday == "Thursday":
        return (
            "Offers go out today. Stay reachable. When SOAP ends tonight you may contact "
            "unfilled programs freely; your plan for that is ready on Friday."
        )
    return (
        "Tell them you are in SOAP: if a program calls them, they can speak for you. Until "
        "a program has contacted you, nobody reaches out to it for you."
    )


def match_week_url() -> str:
    """The Match Week page, absolute like the weekly email's links (settings.SITE_URL)."""
    return settings.SITE_URL + reverse("reminders:match_week")


def render_soap_alert(student: User, view: MatchWeekView) -> RenderedAlert:
    plan, step = view.plan, view.step
    name = first_name(student)
    context = {
        "subject": SUBJECT,
        "greeting": f"{name}," if name else "Hello,",
        "opening": opening_line(plan.outcome),
        "partial": plan.outcome == MatchOutcome.PARTIAL,
        "plan": plan,
        "step": step,
        "timing": timing_line(step.weekday if step else ""),
        "match_week_url": match_week_url(),
        "settings_url": settings.SITE_URL + reverse("settings"),
    }
    text = render_to_string("reminders/email/soap_plan.txt", context)
    return RenderedAlert(
        subject=SUBJECT,
        # Template tags leave blank lines behind: keep at most one between paragraphs.
        text=re.sub(r"\n{3,}", "\n\n", text).strip().replace(" \n", "\n") + "\n",
        html=render_to_string("reminders/email/soap_plan.html", context),
    )


def build_message(student: User, rendered: RenderedAlert, connection) -> TwoPartEmail:
    message = TwoPartEmail(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[student.email],
        # No List-Unsubscribe: a one-time message the student's own action asked for, not a
        # list. RFC 3834: an out-of-office reply to it helps no one.
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "OOF, AutoReply"},
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
