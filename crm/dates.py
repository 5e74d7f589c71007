"""Calendar helpers shared by every app. Dates come in as arguments: nothing here reads a clock."""

import datetime


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s ISO week: weeks in Advocate run Monday to Sunday."""
    return day - datetime.timedelta(days=day.weekday())


def week_end(day: datetime.date) -> datetime.date:
    """The Sunday of `day`'s ISO week."""
    return week_start(day) + datetime.timedelta(days=6)
