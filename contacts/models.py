"""A student's records: institutions, contacts, rotations with their teams, interactions and
letter requests. Every record belongs to one student (`owner`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from crm.validators import validate_one_line

from .vocabulary import (
    Context,
    Direction,
    InteractionKind,
    LetterPurpose,
    LetterStatus,
    RedFlagKind,
    Role,
    RotationKind,
    Setting,
    TieKind,
)

NO_PATIENT_INFO = "Never include patient information."


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)


class Institution(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institutions"
    )
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    setting = models.CharField(max_length=16, choices=Setting.choices, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="institution_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def place(self) -> str:
        return ", ".join(part for part in [self.city, self.state] if part)


class Contact(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200, validators=[validate_one_line])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Blank is "not sure yet": a person added in a hurry is never silently made an attending
    # (influence 70), which would also invent a false "all your contacts are faculty" gap.
    role = models.CharField(max_length=32, choices=Role.choices, blank=True, default="")
    specialty = models.CharField(max_length=100, blank=True)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    how_met = models.CharField(max_length=200, blank=True)
    would_vouch = models.BooleanField(
        "would vouch for me",
        default=False,
        help_text="They offered, or said \u201cI\u2019d work with you again\u201d.",
    )
    tags = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, help_text=NO_PATIENT_INFO)
    archived = models.BooleanField(default=False)
    # The date of the latest interaction, kept by contacts.services on every interaction write
    # (and by the data-file import), so the contact list sorts on an index instead of a
    # subquery per contact. Never typed in a form.
    last_contact_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["owner", "name"], name="contact_owner_name"),
            # The contact list's order by last contact. On PostgreSQL migration 0003 also adds
            # contact_owner_recent, (owner, last_contact_on DESC NULLS LAST, name, id), the
            # default order exactly; SQLite cannot index NULLS LAST, so it is not declared here.
            models.Index(fields=["owner", "-last_contact_on"], name="contact_owner_last_contact"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:detail", args=[self.pk])


class Rotation(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rotations"
    )
    name = models.CharField(max_length=200, help_text="e.g. Medicine sub-I")
    specialty = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=32, choices=RotationKind.choices)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="rotations"
    )
    start = models.DateField()
    end = models.DateField()
    team = models.ManyToManyField(Contact, through="TeamMember", related_name="rotations")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="rotation_ends_after_it_starts",
                violation_error_message="A rotation must end on or after the day it starts.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:rotation_detail", args=[self.pk])

    @property
    def weeks(self) -> int:
        return max(1, round(((self.end - self.start).days + 1) / 7))


class TeamMember(models.Model):
    """A contact met on a rotation, with how many weeks the student worked beside them."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="members")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="team_memberships")
    weeks_together = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-weeks_together", "contact__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rotation", "contact"],
                name="team_member_once_per_rotation",
                violation_error_message="This person is already on the rotation's team.",
            ),
            models.CheckConstraint(
                condition=Q(weeks_together__lte=52),
                name="team_member_weeks_plausible",
                violation_error_message="Weeks together must be between 0 and 52.",
            ),
        ]

    def __str__(self):
        return f"{self.contact} on {self.rotation}"


class Interaction(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="interactions")
    date = models.DateField()
    kind = models.CharField(max_length=32, choices=InteractionKind.choices)
    direction = models.CharField(
        max_length=16, choices=Direction.choices, default=Direction.OUTBOUND
    )
    context = models.CharField(
        max_length=16, choices=Context.choices, default=Context.CLINICAL, blank=True
    )
    summary = models.CharField(max_length=300, blank=True, help_text=NO_PATIENT_INFO)
    follow_up_by = models.DateField(null=True, blank=True)
    # The quick-log's idempotency key (a UUID made when the form is drawn, kept by the phone
    # with an offline entry): a double tap or a replayed sync logs once.
    client_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "client_key"], name="interaction_client_key_once"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-date"], name="interaction_owner_date"),
            models.Index(fields=["contact", "-date"], name="interaction_contact_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} with {self.contact} on {self.date}"


class LetterRequest(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="letters"
    )
    writer = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="letters")
    purpose = models.CharField(
        max_length=32, choices=LetterPurpose.choices, default=LetterPurpose.RESIDENCY
    )
    specialty = models.CharField(max_length=100, blank=True)
    programs = models.JSONField(default=list, blank=True)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=32, choices=LetterStatus.choices, default=LetterStatus.CONSIDERING
    )
    asked_on = models.DateField(null=True, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    materials_sent_on = models.DateField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    thanked_on = models.DateField(null=True, blank=True)
    materials = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, help_text=NO_PATIENT_INFO)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = [F("due").asc(nulls_last=True), "pk"]
        indexes = [models.Index(fields=["owner", "status"], name="letter_owner_status")]

    def __str__(self):
        return f"{self.get_purpose_display()} letter from {self.writer}"

    def get_absolute_url(self):
        return reverse("contacts:letter_detail", args=[self.pk])


class ImportUpload(models.Model):
    """An uploaded contacts file held between its preview and the student's confirmation.

    The preview is rebuilt from these bytes on the server, and again on confirm: nothing the
    browser sends back is trusted beyond the per-row choices. The token in the URL is random,
    and looked up among the signed-in student's own uploads only; rows expire (see
    contacts.importers.UPLOAD_MAX_AGE) and go once confirmed."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_uploads"
    )
    token = models.UUIDField(unique=True, editable=False)
    filename = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=16)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename or 'upload'} ({self.format})"


class Program(models.Model):
    """A residency (or fellowship) program the student is looking at: a place where someone
    might vouch for them. Its city, state and setting are its institution's. The student's
    target programs are those with `target` set (beside their target specialties and cities)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programs"
    )
    name = models.CharField(
        max_length=200,
        validators=[validate_one_line],
        help_text="e.g. Lakeshore Internal Medicine",
    )
    specialty = models.CharField(max_length=100, blank=True)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="programs"
    )
    target = models.BooleanField(
        "on my list", default=False, help_text="A program you are applying to or ranking."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-target", "name", "pk"]
        constraints = [
            # One name per student (in any case): `vouch --program NAME` finds exactly one.
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="program_name_unique",
                violation_error_message="You already have a program with this name.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:program_detail", args=[self.pk])

    @property
    def place(self) -> str:
        return self.institution.place if self.institution else ""


class Tie(models.Model):
    """A contact's tie to a program, or to a whole institution (and so to its programs):
    trained there, works there, or knows someone there (`note` says whom, or when)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ties"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="ties")
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="ties"
    )
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="ties"
    )
    kind = models.CharField(max_length=16, choices=TieKind.choices)
    note = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text="e.g. residency there, 2015; or whom they know. " + NO_PATIENT_INFO,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(program__isnull=False, institution__isnull=True)
                    | Q(program__isnull=True, institution__isnull=False)
                ),
                name="tie_to_a_program_or_an_institution",
                violation_error_message="A tie is to a program or to an institution, not both.",
            ),
            models.UniqueConstraint(
                fields=["contact", "program", "kind"],
                condition=Q(program__isnull=False),
                name="tie_once_per_program",
                violation_error_message="This tie is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["contact", "institution", "kind"],
                condition=Q(institution__isnull=False),
                name="tie_once_per_institution",
                violation_error_message="This tie is already recorded.",
            ),
        ]
        indexes = [models.Index(fields=["owner", "program"], name="tie_owner_program")]

    def __str__(self):
        kind = self.get_kind_display().lower()
        return f"{self.contact}: {kind} ({self.program or self.institution})"

    @property
    def place(self) -> Program | Institution | None:
        return self.program or self.institution


class MatchStory(models.Model):
    """The student's Match Week story for one Match year, locked down the Friday to Monday
    before (seed articles 001 and 002): whom they would call, their 1-3 realistic specialties,
    a one-line pitch, and the lines a program director asks about (scores, a red flag
    explained). Advocate fills the student's own note to a program from it; the student may
    edit that note (`note`, blank = the filled-in template). After Match Day, where they
    matched: its people are the resident's next circle."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_stories"
    )
    year = models.PositiveSmallIntegerField(help_text="The Match year this story is for.")
    specialties = models.JSONField(
        default=list, blank=True, help_text="1-3 specialties you would gladly train in."
    )
    pitch = models.CharField(
        "one-line pitch",
        max_length=240,
        blank=True,
        validators=[validate_one_line],
        help_text="Who you are, in one calm line: e.g. a steady sub-I with ICU nights behind me.",
    )
    scores = models.CharField(
        "scores, in one line",
        max_length=160,
        blank=True,
        validators=[validate_one_line],
        help_text="e.g. Step 1 pass, Step 2 CK 238, first attempts.",
    )
    red_flag = models.CharField(
        "a red flag, explained in one line",
        max_length=240,
        blank=True,
        validators=[validate_one_line],
        help_text="Leave blank if there is none.",
    )
    callers = models.ManyToManyField(
        Contact, blank=True, related_name="match_stories", help_text="Whom you would call."
    )
    note = models.TextField(
        "your note to a program",
        blank=True,
        max_length=2000,
        help_text="Blank: Advocate fills it in from your story.",
    )
    matched_program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_on = models.DateField(null=True, blank=True, help_text="The day the story was saved.")
    # SOAP (NRMP's rule): nobody speaks to a program for the student until it has contacted
    # them; the student marks each one here ("Program X contacted me").
    contacted_programs = models.ManyToManyField(
        Program, blank=True, related_name="+", help_text="Programs that contacted you in SOAP."
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Two or three people, one to three specialties (seed article 002): more reads as no plan.
    CALLERS_MAX = 3
    SPECIALTIES_MAX = 3

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name_plural = "Match stories"
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="match_story_once_per_year"),
        ]

    def __str__(self):
        return f"Match {self.year} story"

    def clean(self):
        specialties = [str(name).strip() for name in self.specialties or [] if str(name).strip()]
        if len(specialties) > self.SPECIALTIES_MAX:
            raise ValidationError(
                {"specialties": "Name 1 to 3 realistic specialties: more reads as no plan."}
            )
        if any(len(name) > 100 or "\n" in name for name in specialties):
            raise ValidationError({"specialties": "Each specialty is one short line."})
        self.specialties = specialties


class RedFlag(models.Model):
    """Something on the student's record a program director will ask about (a failed exam
    attempt, a leave, remediation...), in one line in the student's own words. Seed 000:
    "address it head-on with the people writing your letters and your PD"; seed 001: tell
    recommenders your main risks so they can address them. Only the student sees it, and their
    advisor when `shared`; never an email subject, never anyone else."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="red_flags"
    )
    kind = models.CharField(max_length=16, choices=RedFlagKind.choices)
    note = models.CharField(
        "in one line, in your words",
        max_length=240,
        validators=[validate_one_line],
        help_text="e.g. Failed Step 1 first attempt; passed; Step 2 CK 246. No patient info.",
    )
    shared = models.BooleanField(
        "my advisor may see it",
        default=False,
        help_text="Only advisors you share with; never anyone else.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.note}"
