"""Small display helpers for the contact pages."""

import datetime

from django import template

from crm.phrases import plural

register = template.Library()


@register.filter
def since(day: datetime.date | None | str, today: datetime.date) -> str:
    """How long ago `day` was, in the words a person would use: "3 months ago", "never"."""
    if not day:  # None, or "" from a template lookup that found nothing
        return "never"
    days = (today - day).days
    if days < 0:
        return "upcoming"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{plural(days, 'day')} ago"
    if days < 60:
        return f"{plural(days // 7, 'week')} ago"
    if days < 365:
        return f"{plural(days // 30, 'month')} ago"
    return f"{plural(days // 365, 'year')} ago"


@register.filter
def history_summary(history) -> str:
    """A ContactHistory in words, naming only what there is: "4 interactions and 1 letter"."""
    parts = [
        plural(count, noun)
        for count, noun in [
            (len(history.interactions), "interaction"),
            (len(history.team_places), "rotation"),
            (len(history.letters), "letter"),
        ]
        if count
    ]
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
