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
    # Placed through SOAP: the plan stops, the thank-yous are worded for a match.
    SOAP_MATCHED = "soap_matched", "Placed in SOAP"


EDITABLE_DATES: dict[str, str] = {
    "applications_open": "Applications open",
    "programs_receive": "Programs receive applications",
    "interview_start": "Interview season starts",
    "interview_end": "Interview season ends",
    "rank_deadline": "Rank-list deadline",
    "match_day": "Match Day",
}

# SOAP's moments in Match Week, Eastern time (NRMP publishes them each year). The day is fixed
# by Match Week (offset from its Monday); the time of day is the cycle's own, stored in
# `User.cycle_dates` as "HH:MM" Eastern, e.g. {"soap_end": "21:00"}.
SOAP_TIMEZONE = "America/New_York"
EDITABLE_SOAP_TIMES: dict[str, tuple[int, str]] = {
    "soap_release": (0, "SOAP begins: who is eligible is released"),
    "soap_applications": (0, "SOAP applications open"),
    "soap_round_1": (3, "Offer round 1"),
    "soap_round_2": (3, "Offer round 2"),
    "soap_round_3": (3, "Offer round 3"),
    "soap_end": (3, "SOAP ends"),
}
