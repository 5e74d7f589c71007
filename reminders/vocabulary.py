"""The nudge's own vocabulary: what kinds of nudge there are, and what state a stored one is in.

One definition for the pure engine (reminders.engine.rules writes these kinds,
reminders.nudges.lifecycle
moves between these states) and for the model (reminders.models uses them as field choices).
TextChoices, not models: importing this loads no model and needs no app registry, and each
member is a plain `str`, so the rules still deal in plain data. The kind slugs are a contract
(PRODUCT.md, "Interfaces that stay stable"); their order is the order of a day's nudges.
"""

import datetime

from django.db import models


class NudgeKind(models.TextChoices):
    FOLLOW_UP = "follow_up", "Follow up"
    THANK_YOU = "thank_you", "Thank-you"
    FEEDBACK = "feedback", "Ask for feedback"
    LETTER_ASK = "letter_ask", "Ask for a letter"
    LETTER_MATERIALS = "letter_materials", "Send letter materials"
    LETTER_REMINDER = "letter_reminder", "Letter reminder"
    LETTER_THANKS = "letter_thanks", "Thank a letter writer"
    CYCLE_UPDATE = "cycle_update", "Cycle update"
    MATCH_THANKS = "match_thanks", "Match thanks"
    SOAP_PLAN = "soap_plan", "SOAP plan"
    OVER_CONTACT = "over_contact", "Give them room"
    INVEST = "invest", "Invest in a relationship"
    SMALL_ACTION = "small_action", "One small action"
    GAP = "gap", "A gap in your network"


class NudgeState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    SNOOZED = "snoozed", "Snoozed"
    DISMISSED = "dismissed", "Dismissed"
    # Closed quietly by the engine: it no longer applies (e.g. a follow-up made moot by a new
    # conversation). Unlike "dismissed", it reopens if the same occasion applies again.
    EXPIRED = "expired", "No longer needed"


# Open or snoozed: the nudges a refresh may still change or close.
LIVE_STATES: tuple[str, ...] = (NudgeState.OPEN, NudgeState.SNOOZED)

# The stored nudge's fields a refresh writes, in one order: the engine's NudgeSpec and the
# lifecycle's StoredNudge/Change carry them, the refresh reads and bulk-updates exactly these.
NUDGE_FIELDS: tuple[str, ...] = (
    "kind",
    "state",
    "due",
    "reason",
    "contact_id",
    "occasion_on",
    "snoozed_until",
    "stakes",
    "group",
)


def shown_due(due: datetime.date, today: datetime.date) -> datetime.date:
    """The date a stored nudge is shown with on `today`: its due date, or today once that has
    come, never a day gone (what the engine says on `today`: rules._current). A refresh keeps
    a late nudge's stored `due` as the first day it was due rather than moving it every day
    (reminders.nudges.lifecycle), so every reader shows this, not the stored date."""
    return due if due > today else today
