"""Accounts: a person signs in by email and is a student (default) or an advisor."""

import datetime
import secrets
import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone as django_timezone

from .match import MatchOutcome
from .validators import validate_one_line


def new_calendar_token() -> str:
    """The secret in the student's calendar feed URL: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


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

    MatchOutcome = MatchOutcome  # crm.match: the engine reads the slugs without the models

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=150, blank=True, validators=[validate_one_line])
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
    # {"rank_deadline": "2027-03-04"} (field names of crm.match.EDITABLE_DATES).
    cycle_dates = models.JSONField(default=dict, blank=True)
    # The student's school (its teaching hospital): contacts whose institution has this name
    # (case-insensitively) are "home", so the home program director is known and the home
    # program is never the one an advocate is aimed at (advocate/v1 `student.school`).
    school_name = models.CharField(
        "your school (its hospital)", max_length=200, blank=True, validators=[validate_one_line]
    )
    school_city = models.CharField(max_length=100, blank=True)
    school_state = models.CharField(max_length=50, blank=True)
    school_setting = models.CharField(max_length=16, blank=True)
    # The weekly email (reminders.email.delivery): weekday (0 = Monday) and hour in `timezone`.
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
    # Stamped whenever one of the student's records changes (crm.events.records_changed), so
    # what the engine derives from them can be cached until the next change.
    records_changed_at = models.DateTimeField(default=django_timezone.now, editable=False)
    # The private calendar feed (reminders.calendar.feed) answers only to this token; a new one
    # (crm.services.calendar_token_regenerate) makes the old feed URL a 404 at once.
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )

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
