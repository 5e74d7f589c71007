"""What the account stores about the student's Match: the outcome Match Week brought
(`User.match_outcome`) and the dates of the cycle the student may set (`User.cycle_dates`).

Programs and the NRMP publish exact dates each year; the student's own override the defaults
that reminders.engine.cycle computes. Match Week and SOAP follow Match Day. Kept here, with the
account that stores them, so forms, the data file and the engine share one list.
"""

from django.db import models


class MatchOutcome(models.TextChoices):
    """What Match Week brought (`User.match_outcome`); empty until then."""

    MATCHED = "matched", "Matched"
    UNMATCHED = "unmatched", "Did not match"
    PARTIAL = "partial", "Matched to a preliminary year only"


EDITABLE_DATES: dict[str, str] = {
    "applications_open": "Applications open",
    "programs_receive": "Programs receive applications",
    "interview_start": "Interview season starts",
    "interview_end": "Interview season ends",
    "rank_deadline": "Rank-list deadline",
    "match_day": "Match Day",
}
