"""The one date style of every page: `{{ value|day }}` ("Tue Dec 1, 2026") and, inside a
sentence or a cramped chart, `{{ value|day:"short" }}` ("Dec 1"), the same words as the
engine's sentences (crm.phrases). A datetime is first turned into the signed-in person's own
time zone (crm.middleware activates it), so "today" on a page is their today.

A builtin (crm/settings.py TEMPLATES), so every template has it without a {% load %}."""

import datetime

from django import template

from crm.phrases import long_date, short_date

register = template.Library()


@register.filter(expects_localtime=True)
def day(value, style: str = "") -> str:
    """Django hands an aware datetime over already in the current (the person's) time zone."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        return ""
    return short_date(value) if style == "short" else long_date(value)
