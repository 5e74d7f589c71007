"""Nudges as stored for each student, and a weekly snapshot of the advocate count.

The engine (reminders.rules) decides what to say; these rows remember what the student did
about it. A nudge is stored once per occasion: UniqueConstraint(owner, key) makes a second
refresh a no-op and keeps a dismissal final.
"""

from django.conf import settings
from django.db import models

from . import vocab


class NudgeKind(models.TextChoices):
    FOLLOW_UP = vocab.FOLLOW_UP, "Follow up"
    THANK_YOU = vocab.THANK_YOU, "Thank-you"
    FEEDBACK = vocab.FEEDBACK, "Ask for feedback"
    LETTER_ASK = vocab.LETTER_ASK, "Ask for a letter"
    LETTER_MATERIALS = vocab.LETTER_MATERIALS, "Send letter materials"
    LETTER_REMINDER = vocab.LETTER_REMINDER, "Letter reminder"
    LETTER_THANKS = vocab.LETTER_THANKS, "Thank a letter writer"
    CYCLE_UPDATE = vocab.CYCLE_UPDATE, "Cycle update"
    MATCH_THANKS = vocab.MATCH_THANKS, "Match thanks"
    SOAP_PLAN = vocab.SOAP_PLAN, "SOAP plan"
    OVER_CONTACT = vocab.OVER_CONTACT, "Give them room"
    INVEST = vocab.INVEST, "Invest in a relationship"
    SMALL_ACTION = vocab.SMALL_ACTION, "One small action"
    GAP = vocab.GAP, "A gap in your network"


class NudgeState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    SNOOZED = "snoozed", "Snoozed"
    DISMISSED = "dismissed", "Dismissed"
    # Closed quietly by the engine: it no longer applies (e.g. a follow-up made moot by a new
    # conversation). Unlike "dismissed", it reopens if the same occasion applies again.
    EXPIRED = "expired", "No longer needed"


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
    due = models.DateField()
    reason = models.TextField()
    state = models.CharField(max_length=16, choices=NudgeState.choices, default=NudgeState.OPEN)
    snoozed_until = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.key}) due {self.due}"

    @property
    def is_actionable(self) -> bool:
        return self.state in (NudgeState.OPEN, NudgeState.SNOOZED)


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
