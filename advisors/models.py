"""Sharing with advisors: a student's consent (AdvisorAccess), the invitation that asks for it,
and the advice an advisor leaves (Recommendation). advisors.services writes, advisors.selectors
reads.

These models began in `crm`; their tables keep the names they had there (`db_table`), so moving
them to this app moved no data (see migrations/0001_initial.py).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class AdvisorAccessQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class AdvisorAccess(models.Model):
    """A student's consent for one advisor to see their map, until the student revokes it.

    One row per pair: revoking stamps `revoked_at`, a later invitation clears it again."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advisor_accesses"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_accesses"
    )
    share_notes = models.BooleanField(
        "share my private notes",
        default=False,
        help_text="Contact notes and letter notes. Everything else on your map is shared.",
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AdvisorAccessQuerySet.as_manager()

    class Meta:
        db_table = "crm_advisoraccess"
        ordering = ["-granted_at"]
        verbose_name_plural = "advisor accesses"
        constraints = [
            models.UniqueConstraint(fields=["student", "advisor"], name="advisor_access_once"),
            models.CheckConstraint(
                condition=~models.Q(student=models.F("advisor")), name="advisor_access_not_self"
            ),
        ]
        indexes = [models.Index(fields=["advisor", "revoked_at"], name="advisor_access_live")]

    def __str__(self):
        return f"{self.advisor} sees {self.student}"


class Invitation(models.Model):
    """An invitation, by email, for an advisor to see a student's map.

    The link carries a signed, timestamped id (advisors.services.invitation_token); this row
    says whether it was used or withdrawn, so a link works once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        CANCELLED = "cancelled", "Withdrawn"
        EXPIRED = "expired", "Expired"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advisor_invitations"
    )
    email = models.EmailField("advisor's email")
    share_notes = models.BooleanField("share my private notes", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "crm_invitation"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["student", "-created_at"], name="invitation_student")]

    def __str__(self):
        return f"{self.student} invited {self.email}"

    @property
    def expires_at(self) -> datetime.datetime:
        days = settings.ADVISOR_INVITATION_MAX_AGE_DAYS
        return self.created_at + datetime.timedelta(days=days)

    def status(self, now: datetime.datetime | None = None) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.cancelled_at is not None:
            return self.Status.CANCELLED
        if (now or timezone.now()) >= self.expires_at:
            return self.Status.EXPIRED
        return self.Status.PENDING


class Recommendation(models.Model):
    """Advice an advisor leaves on a student's map; the student marks it done."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="recommendations_given",
    )
    text = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "crm_recommendation"
        ordering = [models.F("done_at").desc(nulls_first=True), "-created_at", "-pk"]
        indexes = [models.Index(fields=["student", "done_at"], name="recommendation_student")]

    def __str__(self):
        return self.text[:60]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class FlagClosure(models.Model):
    """An advisor closing the loop on one reason a student needed attention: "met Tue, plan
    for a 4th letter". The reason stays off "needs attention" while its cause is the same
    (`cause`, a short fingerprint such as the advocate count or the letter's due date); when the
    cause changes the reason comes back. Every advisor of the student sees who handled it, and
    the student sees the note as a recommendation (`recommendation`)."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flag_closures"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="flag_closures_given",
    )
    reason = models.CharField(max_length=32)  # advisors.cohort.Reason.code
    cause = models.CharField(max_length=200)
    note = models.CharField(max_length=200)
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["student", "reason"], name="flag_closure_student")]

    def __str__(self):
        return f"{self.reason} for {self.student_id}: {self.note[:40]}"
