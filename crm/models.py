"""Accounts: a person signs in by email and is a student (default) or an advisor."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone as django_timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        STUDENT = "student", "Student"
        ADVISOR = "advisor", "Advisor"

    class MatchOutcome(models.TextChoices):
        MATCHED = "matched", "Matched"
        UNMATCHED = "unmatched", "Did not match"
        PARTIAL = "partial", "Matched to a preliminary year only"

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT)
    timezone = models.CharField(max_length=64, default="America/New_York")
    match_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The March you expect to match, e.g. 2028."
    )
    target_specialties = models.JSONField(default=list, blank=True)
    target_cities = models.JSONField(default=list, blank=True)
    match_outcome = models.CharField(
        max_length=16, choices=MatchOutcome.choices, blank=True, default=""
    )
    # The student's own dates for this Match year where they differ from the defaults, e.g.
    # {"rank_deadline": "2027-03-04"} (field names of reminders.cycle.EDITABLE_DATES).
    cycle_dates = models.JSONField(default=dict, blank=True)
    # The weekly email (reminders.delivery): weekday (0 = Monday) and hour in `timezone`.
    digest_weekday = models.PositiveSmallIntegerField(
        "weekly email day",
        default=0,
        choices=[
            (0, "Monday"),
            (1, "Tuesday"),
            (2, "Wednesday"),
            (3, "Thursday"),
            (4, "Friday"),
            (5, "Saturday"),
            (6, "Sunday"),
        ],
    )
    digest_hour = models.PositiveSmallIntegerField(
        "weekly email hour", default=7, choices=[(hour, f"{hour:02d}:00") for hour in range(24)]
    )
    digest_opt_out = models.BooleanField("no weekly email", default=False)
    # Stamped whenever one of the student's records changes (contacts.signals), so what the
    # engine derives from them can be cached until the next change.
    records_changed_at = models.DateTimeField(default=django_timezone.now, editable=False)

    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=django_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(match_year__isnull=True)
                | models.Q(match_year__gte=2000, match_year__lte=2100),
                name="user_match_year_plausible",
            ),
        ]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return (self.name or self.email).split()[0]

    @property
    def is_student(self) -> bool:
        return self.role == self.Role.STUDENT

    @property
    def is_advisor(self) -> bool:
        return self.role == self.Role.ADVISOR

    @property
    def zoneinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local_today(self, now: datetime.datetime | None = None) -> datetime.date:
        """The date on the student's own calendar at `now` (default: the present moment)."""
        return (now or django_timezone.now()).astimezone(self.zoneinfo).date()


# --- Sharing with advisors (crm.sharing writes, crm.advisor_selectors reads) ---------------


class AdvisorAccessQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class AdvisorAccess(models.Model):
    """A student's consent for one advisor to see their map, until the student revokes it.

    One row per pair: revoking stamps `revoked_at`, a later invitation clears it again."""

    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="advisor_accesses")
    advisor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="student_accesses")
    share_notes = models.BooleanField(
        "share my private notes",
        default=False,
        help_text="Contact notes and letter notes. Everything else on your map is shared.",
    )
    granted_at = models.DateTimeField(default=django_timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AdvisorAccessQuerySet.as_manager()

    class Meta:
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

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class Invitation(models.Model):
    """An invitation, by email, for an advisor to see a student's map.

    The link carries a signed, timestamped id (crm.sharing.invitation_token); this row says
    whether it was used or withdrawn, so a link works once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        CANCELLED = "cancelled", "Withdrawn"
        EXPIRED = "expired", "Expired"

    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="advisor_invitations")
    email = models.EmailField("advisor's email")
    share_notes = models.BooleanField("share my private notes", default=False)
    created_at = models.DateTimeField(default=django_timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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
        if (now or django_timezone.now()) >= self.expires_at:
            return self.Status.EXPIRED
        return self.Status.PENDING


class Recommendation(models.Model):
    """Advice an advisor leaves on a student's map; the student marks it done."""

    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recommendations")
    advisor = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="recommendations_given"
    )
    text = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=django_timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = [models.F("done_at").desc(nulls_first=True), "-created_at", "-pk"]
        indexes = [models.Index(fields=["student", "done_at"], name="recommendation_student")]

    def __str__(self):
        return self.text[:60]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
