"""The three actions on a nudge of This week (done, snooze a week, dismiss). The page itself
composes several apps and lives in pages/home.py.

The actions are POST only, the owner's only. With htmx they answer with the updated fragment
(empty to remove it); without JS they redirect to the home page, so every button works either
way."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from contacts.vocabulary import InteractionKind
from reminders.models import Nudge, NudgeKind
from reminders.nudges import services

# The interaction a student most likely logs after doing a nudge, to prefill the quick-log.
LOG_KIND = {
    NudgeKind.FOLLOW_UP: InteractionKind.UPDATE,
    NudgeKind.THANK_YOU: InteractionKind.THANK_YOU,
    NudgeKind.FEEDBACK: InteractionKind.FEEDBACK,
    NudgeKind.LETTER_ASK: InteractionKind.LETTER,
    NudgeKind.LETTER_MATERIALS: InteractionKind.LETTER,
    NudgeKind.LETTER_REMINDER: InteractionKind.LETTER,
    NudgeKind.LETTER_THANKS: InteractionKind.THANK_YOU,
    NudgeKind.CYCLE_UPDATE: InteractionKind.UPDATE,
    NudgeKind.MATCH_THANKS: InteractionKind.THANK_YOU,
    NudgeKind.SMALL_ACTION: InteractionKind.UPDATE,
}


def _get_nudge_for_user(request: HttpRequest, pk: int) -> Nudge:
    # Anyone else's nudge is a 404, never a 403: its existence is not for them to know.
    return get_object_or_404(Nudge.objects.select_related("contact"), pk=pk, owner=request.user)


def quick_log_url(nudge: Nudge) -> str | None:
    """The home page's quick-log, prefilled for logging what the student just did."""
    if nudge.contact_id is None or nudge.kind not in LOG_KIND:
        return None
    query = urlencode({"contact": nudge.contact_id, "kind": LOG_KIND[nudge.kind]})
    return f"{reverse('home')}?{query}"


def _fragment(request: HttpRequest, nudge: Nudge) -> HttpResponse:
    return render(
        request,
        "reminders/_nudge_item.html",
        {
            "nudge": nudge,
            "quick_log_url": quick_log_url(nudge),
            "today": request.user.local_today(),
        },
    )


@login_required
@require_POST
def nudge_done(request: HttpRequest, pk: int) -> HttpResponse:
    nudge = services.nudge_mark_done(nudge=_get_nudge_for_user(request, pk))
    log_url = quick_log_url(nudge)
    if request.htmx:
        response = _fragment(request, nudge)
        # The home page may listen for this to open the quick-log prefilled; the fragment
        # itself also offers the link, so nothing depends on the listener.
        response["HX-Trigger"] = json.dumps(
            {"nudge-done": {"id": nudge.pk, "quickLogUrl": log_url}}
        )
        return response
    if log_url:
        return redirect(log_url)
    messages.success(request, "Nice work. Marked done.")
    return redirect("home")


@login_required
@require_POST
def nudge_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    nudge = services.nudge_snooze_a_week(
        nudge=_get_nudge_for_user(request, pk), today=request.user.local_today()
    )
    if request.htmx:
        return _fragment(request, nudge)
    until = nudge.snoozed_until
    messages.success(request, f"Snoozed until {until:%b} {until.day}.")
    return redirect("home")


@login_required
@require_POST
def nudge_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    services.nudge_dismiss(nudge=_get_nudge_for_user(request, pk))
    if request.htmx:
        return HttpResponse("")  # hx-swap="outerHTML" with nothing removes the item
    messages.success(request, "Dismissed. It won't come back for this occasion.")
    return redirect("home")
