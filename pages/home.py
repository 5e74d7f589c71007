"""The home page, "This week": the engine's nudges for the week (reminders), the quick-log
(contacts), the Match Week card in its week, and the advisors' recommendations (advisors)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from advisors.selectors import recommendations_for_student
from contacts.views.interactions import quick_log_context
from inbound.selectors import strangers_waiting
from reminders.match_week.presenter import match_week_for_home, week_without_card
from reminders.nudges.selectors import this_week_context


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """ "This week": the week's nudges with their reasons, the advocate progress line, the
    advisors' recommendations and the quick-log within reach. To htmx asking for the quick-log
    alone (after a nudge is marked done, with `?contact=&kind=`), just the quick-log, prefilled.
    To htmx asking for the week alone (after a quick-log saved: its answer triggers
    `advocate:logged`), the week's list and progress line, fresh."""
    target = request.htmx.target if request.htmx else None
    if target == "quick-log":
        response = render(request, "contacts/_quick_log.html", quick_log_context(request))
    elif target == "this-week":
        response = render(request, "reminders/_this_week.html", _week_context(request))
    else:
        context = {
            **_week_context(request),
            **quick_log_context(request),
            "recommendations": recommendations_for_student(request.user),
            # Log by BCC: people emailed who are not contacts yet, one folded line.
            "strangers": strangers_waiting(request.user),
        }
        response = render(request, "reminders/home.html", context)
    # The same URL answers with a page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _week_context(request: HttpRequest) -> dict:
    today = request.user.local_today()
    week = this_week_context(request.user, today, suggest_first=True)
    # Only the Friday before to Match Day: any other week costs no extra query.
    match_week = match_week_for_home(request.user, today)
    return {**week_without_card(week, match_week), "match_week": match_week}
