"""Nudges as stored for each student, and a weekly snapshot of the advocate count.

The engine (reminders.engine.rules) decides what to say; these rows remember what the student did
about it. A nudge is stored once per occasion: UniqueConstraint(owner, key) makes a second
refresh a no-op and keeps a dismissal final.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, Greatest

from reminders.engine import week

# The choices live in reminders.vocabulary, where the pure engine reads them too.
from reminders.vocabulary import NudgeKind, NudgeState, shown_due


def shown_due_expression(today) -> Greatest:
    """vocabulary.shown_due in SQL: the stored due date, or `today` once it has come."""
    return Greatest("due", models.Value(today, output_field=models.DateField()))


class NudgeQuerySet(models.QuerySet):
    def actionable(self, today, *, due_by=None):
        """The one definition of "what the student could act on now": open nudges, and snoozed
        ones whose date has come (before the next refresh reopens them); with `due_by`, only
        those due on or before that day."""
        rows = self.filter(
            models.Q(state=NudgeState.OPEN)
            | models.Q(state=NudgeState.SNOOZED, snoozed_until__lte=today)
        )
        return rows.filter(due__lte=due_by) if due_by is not None else rows

    def in_week_order(self, today):
        """In the week's order (reminders.engine.week.ORDER), by the date each is shown with on
        `today` (shown_due): a late nudge stands with those due today, as the engine says."""
        order = ["shown_due" if field == "due" else field for field in week.ORDER]
        return self.alias(shown_due=shown_due_expression(today)).order_by(*order)

    def past_due_as_last_shown(self, today):
        """Due before `today` as the student was last shown it, on the day of their last
        refresh (StudentStanding.computed_on), when a late nudge showed as due that very day:
        what the advisors count as overdue. The same rows as when each refresh moved a late
        nudge's stored date to its own day (see with_last_shown_due)."""
        return self.filter(due__lt=today).exclude(owner__standing__computed_on__gte=today)

    def with_last_shown_due(self):
        """`last_shown_due`: the date the student was shown on the day of their last refresh
        (the later of the stored due and that day), what the advisors read as its due date."""
        return self.annotate(
            last_shown_due=Greatest("due", Coalesce("owner__standing__computed_on", "due"))
        )


class Nudge(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges"
    )
    kind = models.CharField(max_length=32, choices=NudgeKind.choices)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="nudges"
    )
    key = models.CharField(max_length=120, help_text="The occasion, e.g. follow_up:12:2027-07-01")
    occasion_on = models.DateField(help_text="Interactions from this day on may answer it.")
    # When it is due: for a late nudge, the first day it was due (a refresh does not move it
    # each day); readers show shown_due(today), never a day gone.
    due = models.DateField()
    reason = models.TextField()
    # What is at stake (0-100, the engine's NudgeSpec.stakes): This week and the weekly email
    # show the highest first, at most `week_items_max` items.
    stakes = models.PositiveSmallIntegerField(default=50)
    # Nudges of one student sharing a non-empty group are shown as one line, a Done per person.
    group = models.CharField(max_length=64, blank=True, default="")
    state = models.CharField(max_length=16, choices=NudgeState.choices, default=NudgeState.OPEN)
    snoozed_until = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NudgeQuerySet.as_manager()

    class Meta:
        ordering = ["due", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="nudge_once_per_occasion"),
            models.CheckConstraint(
                condition=~models.Q(state="snoozed") | models.Q(snoozed_until__isnull=False),
                name="nudge_snoozed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "state", "due"], name="nudge_owner_state_due"),
            models.Index(fields=["contact", "state"], name="nudge_contact_state"),
            # This week: a student's actionable nudges, most at stake first.
            models.Index(fields=["owner", "state", "-stakes", "due"], name="nudge_owner_stakes"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.key}) due {self.due}"

    def shown_due(self, today):
        """The date it is shown with on `today`: its due date, or today once that has come."""
        return shown_due(self.due, today)

    def is_actionable(self, today) -> bool:
        """The same rule as NudgeQuerySet.actionable, for a row already loaded."""
        return self.state == NudgeState.OPEN or (
            self.state == NudgeState.SNOOZED
            and self.snoozed_until is not None
            and self.snoozed_until <= today
        )


class AdvocateSnapshot(models.Model):
    """One row per student per week (Monday), for the advisors' history chart."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advocate_snapshots"
    )
    week = models.DateField(help_text="The Monday of the week.")
    advocates = models.PositiveSmallIntegerField(default=0)
    developing = models.PositiveSmallIntegerField(default=0)
    acquaintances = models.PositiveSmallIntegerField(default=0)
    dormant = models.PositiveSmallIntegerField(default=0)
    focus_size = models.PositiveSmallIntegerField(default=0)
    open_nudges = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["owner", "-week"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "week"], name="snapshot_once_per_week"),
        ]

    def __str__(self):
        return f"{self.owner} week of {self.week}: {self.advocates} advocates"


class StudentStanding(models.Model):
    """Where one student stands, as of the engine's last answer: one row per student, written by
    the daily refresh (one bulk upsert per chunk) and the live refresh after each change
    (reminders.nudges.services), read by the advisor's class view, their list of students and
    the class export, so those cost the same for 3 students or 300
    (reminders.evaluation.standing_row builds it).

    Only facts that do not depend on the day are stored; whether a letter is at risk or the
    student has gone quiet is judged against the reader's today."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="standing",
    )
    computed_on = models.DateField(help_text="The student's local day of the engine's answer.")
    advocates = models.PositiveSmallIntegerField(default=0)
    developing = models.PositiveSmallIntegerField(default=0)
    acquaintances = models.PositiveSmallIntegerField(default=0)
    dormant = models.PositiveSmallIntegerField(default=0)
    # The focus set's names, strongest first (the people the student invests in this month).
    focus = models.JSONField(default=list, blank=True)
    letters_agreed = models.PositiveSmallIntegerField(
        default=0, help_text="Residency letters agreed, with materials, submitted or thanked."
    )
    letters_needed = models.PositiveSmallIntegerField(default=0)
    # The earliest letter still open (not submitted, thanked or declined) with a due date.
    next_letter_due = models.DateField(null=True, blank=True)
    next_letter_writer = models.CharField(max_length=200, blank=True)
    last_activity = models.DateField(
        null=True, blank=True, help_text="The latest day of contact the records show."
    )
    # Target programs nobody in the student's network can vouch at: ["Name (City, ST)", ...].
    unvouched_programs = models.JSONField(default=list, blank=True)
    # Red flags the student shares with advisors and has not yet told their letter writers.
    red_flags_untold = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"{self.owner_id} on {self.computed_on}: {self.advocates} advocates"


class LookAhead(models.Model):
    """What the engine will first ask over the student's coming week, for their calendar feed:
    the look ahead (reminders.engine.horizon) a worker worked out on `computed_on` for the
    records as of `records_version` (reminders.calendar.ahead). Kept in the database so every
    web process sees what any worker wrote; exact while the records stay as they were."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="look_ahead",
    )
    computed_on = models.DateField(help_text="The student's local day it was worked out on.")
    records_version = models.CharField(max_length=100)
    # [{"key", "kind", "contact_id", "day" (first asked), "due", "reason"}, ...]
    items = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.owner_id} on {self.computed_on}: {len(self.items)} ahead"


# --- The weekly email (reminders.email.delivery sends, reminders.email.links acts on its links)
# ----------


class DigestStatus(models.TextChoices):
    READY = "ready", "Ready to send"
    SENDING = "sending", "Claimed by a worker"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up"
    SKIPPED = "skipped", "Skipped (opted out or no longer a student)"


class DigestRun(models.Model):
    """One pass of the sender (the hourly beat task or `send_digests`), for the status page and
    the health check: how many digests it planned, sent, failed and skipped."""

    class Trigger(models.TextChoices):
        BEAT = "beat", "Hourly schedule"
        COMMAND = "command", "send_digests command"

    trigger = models.CharField(max_length=16, choices=Trigger.choices, default=Trigger.BEAT)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    planned = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["-started_at"], name="digest_run_started")]

    def __str__(self):
        return (
            f"Digest run {self.started_at:%Y-%m-%d %H:%M}: {self.sent} sent, {self.failed} failed"
        )


class ClaimedEmail(models.Model):
    """An email sent once: claimed by one worker with a conditional update before sending,
    marked sent after the mail server accepts it (reminders.email.delivery.claim / finish). The
    weekly email (Digest) and the SOAP email (SoapAlert) are both rows of this kind."""

    status = models.CharField(
        max_length=16, choices=DigestStatus.choices, default=DigestStatus.READY
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        abstract = True


class Digest(ClaimedEmail):
    """The weekly email of one student for one week (the Monday of their local ISO week).

    UniqueConstraint(student, week) makes planning idempotent; a worker claims a row with a
    conditional update (status ready -> sending) before sending and marks it sent after, so two
    workers or a retry never send the same week twice (see README, "exactly once")."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    week = models.DateField(help_text="The Monday of the student's local ISO week.")
    subject = models.CharField(max_length=200, blank=True)
    run = models.ForeignKey(
        DigestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="digests"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week", "student"]
        constraints = [
            models.UniqueConstraint(fields=["student", "week"], name="digest_once_per_week"),
        ]
        indexes = [models.Index(fields=["status", "claimed_at"], name="digest_status_claimed")]

    def __str__(self):
        return f"Digest for {self.student} week of {self.week} ({self.status})"


class BeatTick(models.Model):
    """A heartbeat: one row each time the hourly digest task runs (pruned after a week).

    No recent row means the scheduler or the worker has stopped: reminders silently never
    arrive, so the status page, the staff banner and `manage.py health` all read this."""

    ticked_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-ticked_at"]

    def __str__(self):
        return f"Tick at {self.ticked_at:%Y-%m-%d %H:%M}"


class DigestLinkUse(models.Model):
    """A one-click email link that has been used. The unique hash makes each item of each email
    act once: its "done" and "snooze" links share one row, so the second click finds it."""

    key_hash = models.CharField(max_length=64, unique=True)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_link_uses"
    )
    nudge = models.ForeignKey(
        Nudge, null=True, blank=True, on_delete=models.SET_NULL, related_name="link_uses"
    )
    action = models.CharField(max_length=16)
    used_at = models.DateTimeField()

    class Meta:
        ordering = ["-used_at"]

    def __str__(self):
        return f"{self.action} on nudge {self.nudge_id} at {self.used_at:%Y-%m-%d %H:%M}"


# --- The SOAP email (reminders.email.soap sends it) -------------------------------------------


class SoapAlert(ClaimedEmail):
    """The one email with the SOAP plan that a student gets when they record that they did not
    match (or matched to a preliminary year only) during Match Week.

    UniqueConstraint(student, year): one per student per Match year, however often the outcome
    is recorded or toggled. Claimed and marked as the weekly email's Digest rows are
    (ClaimedEmail; its "skipped" status is never used here)."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="soap_alerts"
    )
    year = models.PositiveSmallIntegerField(help_text="The Match year.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "student"]
        constraints = [
            models.UniqueConstraint(fields=["student", "year"], name="soap_alert_once_per_year"),
        ]

    def __str__(self):
        return f"SOAP email for {self.student} in {self.year} ({self.status})"
