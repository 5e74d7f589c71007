"""Reads for the pages: the settings section and This week's one line about strangers."""

from __future__ import annotations

from crm.models import User

from .models import SenderAddress, Stranger
from .services import address_for

# This week shows at most this many people under its one line (the rest: "and N more").
STRANGERS_SHOWN = 5


def inbound_settings(student: User) -> dict:
    """The address (made on first view) and the student's own addresses. Two queries."""
    return {
        "address": address_for(student).email,
        "account_email": student.email,
        "senders": list(SenderAddress.objects.filter(student=student)),
    }


def strangers_waiting(student: User) -> dict | None:
    """People the student emailed who are not in Advocate yet, newest first; None when there
    are none (This week shows nothing). One query."""
    waiting = list(
        Stranger.objects.filter(student=student, ignored=False).order_by("-emailed_on", "email")[
            : STRANGERS_SHOWN + 1
        ]
    )
    if not waiting:
        return None
    total = (
        len(waiting)
        if len(waiting) <= STRANGERS_SHOWN
        else Stranger.objects.filter(student=student, ignored=False).count()
    )
    return {"people": waiting[:STRANGERS_SHOWN], "count": total, "more": total - STRANGERS_SHOWN}
