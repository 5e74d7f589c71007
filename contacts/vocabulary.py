"""The stable vocabulary of PRODUCT.md: stored and exchanged as these slugs, shown as words.

These slugs are a contract with the `advocate/v1` data file and with scripts that schools
build on: change them only with a new format version.
"""

from django.db import models


class Role(models.TextChoices):
    PROGRAM_DIRECTOR = "program_director", "Program director"
    ASSOCIATE_PROGRAM_DIRECTOR = "associate_program_director", "Associate program director"
    CHAIR = "chair", "Chair or associate chair"
    CLERKSHIP_DIRECTOR = "clerkship_director", "Clerkship director"
    FACULTY = "faculty", "Faculty / attending"
    RESEARCH_PI = "research_pi", "Research PI"
    CHIEF_RESIDENT = "chief_resident", "Chief resident"
    SENIOR_RESIDENT = "senior_resident", "Senior resident"
    DEAN = "dean", "Dean"
    FELLOW = "fellow", "Fellow"
    JUNIOR_RESIDENT = "junior_resident", "Junior resident or intern"
    STAFF = "staff", "Nurse or other staff"
    PEER = "peer", "Peer"


class RoleGroup(models.TextChoices):
    """Coarser groups for role diversity and the advocate map's colours."""

    LEADERSHIP = "leadership", "Program leadership"
    FACULTY = "faculty", "Faculty"
    RESIDENTS = "residents", "Residents and fellows"
    STAFF = "staff", "Staff"
    PEERS = "peers", "Peers"


ROLE_GROUPS: dict[str, str] = {
    Role.PROGRAM_DIRECTOR: RoleGroup.LEADERSHIP,
    Role.ASSOCIATE_PROGRAM_DIRECTOR: RoleGroup.LEADERSHIP,
    Role.CHAIR: RoleGroup.LEADERSHIP,
    Role.CLERKSHIP_DIRECTOR: RoleGroup.LEADERSHIP,
    Role.DEAN: RoleGroup.LEADERSHIP,
    Role.FACULTY: RoleGroup.FACULTY,
    Role.RESEARCH_PI: RoleGroup.FACULTY,
    Role.CHIEF_RESIDENT: RoleGroup.RESIDENTS,
    Role.SENIOR_RESIDENT: RoleGroup.RESIDENTS,
    Role.FELLOW: RoleGroup.RESIDENTS,
    Role.JUNIOR_RESIDENT: RoleGroup.RESIDENTS,
    Role.STAFF: RoleGroup.STAFF,
    Role.PEER: RoleGroup.PEERS,
}


class Setting(models.TextChoices):
    ACADEMIC = "academic", "Academic"
    COMMUNITY = "community", "Community"


class TieKind(models.TextChoices):
    """How a contact is tied to a program or an institution (the data file's `ties[].kind`)."""

    TRAINED_AT = "trained_at", "Trained there"
    WORKS_AT = "works_at", "Works there"
    KNOWS_SOMEONE = "knows_someone", "Knows someone there"


class RedFlagKind(models.TextChoices):
    """What a red flag on the student's record is (the data file's `student.red_flags[].kind`)."""

    EXAM = "exam", "Exam attempt"
    LEAVE = "leave", "Leave of absence"
    REMEDIATION = "remediation", "Remediation"
    PROFESSIONALISM = "professionalism", "Professionalism concern"
    GAP = "gap", "Gap in training"
    OTHER = "other", "Other"


class RotationKind(models.TextChoices):
    CORE_CLERKSHIP = "core_clerkship", "Core clerkship"
    SUB_INTERNSHIP = "sub_internship", "Sub-internship"
    AWAY = "away", "Away rotation"
    ELECTIVE = "elective", "Elective"
    RESEARCH = "research", "Research"


class InteractionKind(models.TextChoices):
    WORKED_TOGETHER = "worked_together", "Worked together"
    MEETING = "meeting", "Meeting"
    FEEDBACK = "feedback", "Feedback session"
    EMAIL = "email", "Email"
    UPDATE = "update", "Update"
    THANK_YOU = "thank_you", "Thank-you"
    CONFERENCE = "conference", "Conference conversation"
    CALL = "call", "Call / video"
    LETTER = "letter", "Letter-related"


class Direction(models.TextChoices):
    OUTBOUND = "outbound", "I reached out"
    INBOUND = "inbound", "They reached out"


class Context(models.TextChoices):
    CLINICAL = "clinical", "Clinical"
    RESEARCH = "research", "Research"
    TEACHING = "teaching", "Teaching"
    SERVICE = "service", "Service"
    SOCIAL = "social", "Social"


class LetterPurpose(models.TextChoices):
    RESIDENCY = "residency", "Residency application"
    AWAY_ROTATION = "away_rotation", "Away-rotation application"
    FELLOWSHIP = "fellowship", "Fellowship"
    SCHOLARSHIP = "scholarship", "Scholarship"


class LetterStatus(models.TextChoices):
    CONSIDERING = "considering", "Considering"
    ASKED = "asked", "Asked"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"
    MATERIALS_SENT = "materials_sent", "Materials sent"
    SUBMITTED = "submitted", "Submitted"
    THANKED = "thanked", "Thanked"


# The path a letter takes on the board; "declined" is a side exit after "asked".
LETTER_FLOW: list[str] = [
    LetterStatus.CONSIDERING,
    LetterStatus.ASKED,
    LetterStatus.AGREED,
    LetterStatus.MATERIALS_SENT,
    LetterStatus.SUBMITTED,
    LetterStatus.THANKED,
]

# The letter status machine: the one place that says which moves are allowed and which
# statuses are still in play. services.letter_set_status enforces it; pages and the engine read it.
LETTER_MOVES: dict[str, tuple[str, ...]] = {
    LetterStatus.CONSIDERING: (LetterStatus.ASKED,),
    LetterStatus.ASKED: (LetterStatus.AGREED, LetterStatus.DECLINED),
    LetterStatus.AGREED: (LetterStatus.MATERIALS_SENT,),
    LetterStatus.DECLINED: (),
    LetterStatus.MATERIALS_SENT: (LetterStatus.SUBMITTED,),
    LetterStatus.SUBMITTED: (LetterStatus.THANKED,),
    LetterStatus.THANKED: (),
}

# Finished with, one way or another: the writer said no, or the letter is in.
LETTER_DONE: frozenset[str] = frozenset(
    {LetterStatus.DECLINED, LetterStatus.SUBMITTED, LetterStatus.THANKED}
)
# Still in play: everything else.
LETTER_OPEN: frozenset[str] = frozenset(LetterStatus.values) - LETTER_DONE


# Which date field records the day a letter reached each status.
LETTER_STATUS_DATE_FIELD: dict[str, str | None] = {
    LetterStatus.CONSIDERING: None,
    LetterStatus.ASKED: "asked_on",
    LetterStatus.AGREED: "agreed_on",
    LetterStatus.DECLINED: "declined_on",
    LetterStatus.MATERIALS_SENT: "materials_sent_on",
    LetterStatus.SUBMITTED: "submitted_on",
    LetterStatus.THANKED: "thanked_on",
}


class Material(models.TextChoices):
    CV = "cv", "CV"
    PERSONAL_STATEMENT = "personal_statement", "Personal-statement draft"
    PHOTO = "photo", "Photo"
    WAIVER = "waiver", "Waiver signed"


class Tier(models.TextChoices):
    """How well a contact knows the student's work, as the engine judges it
    (reminders.engine.scoring).
    Here with the rest of the vocabulary so the contact list can filter by it."""

    ADVOCATE = "advocate", "Advocate"
    DEVELOPING = "developing", "Developing"
    ACQUAINTANCE = "acquaintance", "Acquaintance"
    DORMANT = "dormant", "Dormant"


# --- Words for sentences (the engine's reasons, the contact page): lower case, mid-sentence -----

# "Dr. Rao (attending)", "A program director who has written for you".
ROLE_WORDS: dict[str, str] = {
    Role.PROGRAM_DIRECTOR: "program director",
    Role.ASSOCIATE_PROGRAM_DIRECTOR: "associate program director",
    Role.CHAIR: "chair",
    Role.CLERKSHIP_DIRECTOR: "clerkship director",
    Role.FACULTY: "attending",
    Role.RESEARCH_PI: "research PI",
    Role.CHIEF_RESIDENT: "chief resident",
    Role.SENIOR_RESIDENT: "senior resident",
    Role.DEAN: "dean",
    Role.FELLOW: "fellow",
    Role.JUNIOR_RESIDENT: "resident",
    Role.STAFF: "staff",
    Role.PEER: "peer",
}

# "All your contacts are residents and fellows."
ROLE_GROUP_WORDS: dict[str, str] = {
    RoleGroup.LEADERSHIP: "program leadership",
    RoleGroup.FACULTY: "faculty",
    RoleGroup.RESIDENTS: "residents and fellows",
    RoleGroup.STAFF: "staff",
    RoleGroup.PEERS: "peers",
}

# "trained in this program", "knows someone at Cascade University Medical Center".
TIE_WORDS: dict[str, str] = {
    TieKind.TRAINED_AT: "trained",
    TieKind.WORKS_AT: "works",
    TieKind.KNOWS_SOMEONE: "knows someone",
}

# Who supervises a student on a rotation: everyone above peers and staff.
NOT_SUPERVISING_ROLES: frozenset[str] = frozenset({Role.PEER, Role.STAFF})

# "Your away-rotation letter is due Mar 4."
LETTER_PURPOSE_WORDS: dict[str, str] = {
    LetterPurpose.RESIDENCY: "residency",
    LetterPurpose.AWAY_ROTATION: "away-rotation",
    LetterPurpose.FELLOWSHIP: "fellowship",
    LetterPurpose.SCHOLARSHIP: "scholarship",
}

# A writer who said yes (or wrote): trust history, so their word counts in full.
LETTER_WRITTEN: frozenset[str] = frozenset(
    {
        LetterStatus.AGREED,
        LetterStatus.MATERIALS_SENT,
        LetterStatus.SUBMITTED,
        LetterStatus.THANKED,
    }
)
