"""Writes to a person's own account: the profile and the Match calendar."""

import datetime
from collections.abc import Mapping

from .events import match_outcome_recorded, records_changed
from .match import EDITABLE_DATES
from .models import User, new_calendar_token

# The profile fields the engine reads: a change to one of them changes what it says (the Match
# outcome brings the SOAP plan, the time zone moves "today"), so it is announced like a record.
ENGINE_FIELDS = frozenset(
    {"match_year", "match_outcome", "target_specialties", "target_cities", "timezone"}
)


def _all_but_the_stamp() -> list[str]:
    """The user row's fields, but for the records' stamp (which only records_changed moves)."""
    return [
        field.name
        for field in User._meta.concrete_fields
        if not field.primary_key and field.name != "records_changed_at"
    ]


def profile_update(*, user: User, **fields) -> User:
    """Save profile fields. A new Match year starts from that year's default calendar: dates
    chosen for another cycle would be wrong for this one. A newly recorded Match outcome is
    announced as well (crm.events.outcome_recorded: the SOAP email listens)."""
    changed = any(
        name in ENGINE_FIELDS and getattr(user, name) != value for name, value in fields.items()
    )
    outcome_recorded = (
        "match_outcome" in fields
        and fields["match_outcome"]
        and fields["match_outcome"] != user.match_outcome
    )
    if "match_year" in fields and fields["match_year"] != user.match_year:
        user.cycle_dates = {}
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    # Never the records' stamp: this instance may hold one older than a change since (and a
    # stamp set back would make a cached answer from before that change look current again).
    user.save(update_fields=_all_but_the_stamp())
    if changed:
        records_changed(owner_id=user.pk)
        user.refresh_from_db(fields=["records_changed_at"])
    if outcome_recorded:
        # After records_changed: whatever listens sees the records already stamped.
        match_outcome_recorded(
            owner_id=user.pk, outcome=user.match_outcome, match_year=user.match_year
        )
    return user


def cycle_dates_update(
    *,
    user: User,
    dates: Mapping[str, datetime.date],
    defaults: Mapping[str, datetime.date],
) -> User:
    """Keep only the dates that differ from `defaults`, the default calendar of the student's
    Match year (the engine computes it: the caller passes it in, so accounts need not import
    the engine)."""
    user.cycle_dates = {
        name: day.isoformat()
        for name, day in dates.items()
        if name in EDITABLE_DATES and day and day != defaults.get(name)
    }
    user.save(update_fields=["cycle_dates"])
    records_changed(owner_id=user.pk)
    return user


def calendar_token_regenerate(*, user: User) -> User:
    """A new secret for the calendar feed: the old URL stops working at once."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user
