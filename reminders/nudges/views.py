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

from reminders.engine.kinds import spec_for
from reminders.models import Nudge
from reminders.nudges import services


def _get_nudge_for_user(request: HttpRequest, pk: int) -> Nudge:
    # Anyone else's nudge is a 404, never a 403: its existence is not for them to know.
    return get_object_or_404(Nudge.objects.select_related("contact"), pk=pk, owner=request.user)


def quick_log_url(nudge: Nudge) -> str | None:
    """The home page's quick-log, prefilled for logging what the student just did."""
    # The interaction the student most likely logs after doing it (KindSpec.log_as).
    log_as = spec_for(nudge.kind).log_as
    if nudge.contact_id is None or log_as is None:
        return None
    query = urlencode({"contact": nudge.contact_id, "kind": log_as})
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
