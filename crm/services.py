"""Writes to a person's own account: the profile and the Match calendar."""

import datetime

from reminders.conf import get_conf
from reminders.cycle import EDITABLE_DATES, match_calendar

from .models import User


def profile_update(*, user: User, **fields) -> User:
    """Save profile fields. A new Match year starts from that year's default calendar: dates
    chosen for another cycle would be wrong for this one."""
    if "match_year" in fields and fields["match_year"] != user.match_year:
        user.cycle_dates = {}
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    user.save()
    return user


def cycle_dates_update(*, user: User, dates: dict[str, datetime.date]) -> User:
    """Keep only the dates that differ from the default calendar of the student's Match year."""
    defaults = match_calendar(user.match_year, get_conf())
    user.cycle_dates = {
        name: day.isoformat()
        for name, day in dates.items()
        if name in EDITABLE_DATES and day and day != getattr(defaults, name)
    }
    user.save(update_fields=["cycle_dates"])
    return user
