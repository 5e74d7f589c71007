"""Home, "This week": the week's nudges with their reasons, the advocate progress line, and the
quick-log within reach."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from crm.advisor_selectors import recommendations_for_student
from reminders.selectors import this_week_context

from .interactions import quick_log_context


@login_required
@require_GET
def home(request):
    """The page; or, to htmx asking for the quick-log alone (after a nudge is marked done,
    with `?contact=&kind=`), just the quick-log, prefilled."""
    if request.htmx and request.htmx.target == "quick-log":
        response = render(request, "contacts/_quick_log.html", quick_log_context(request))
    else:
        week = this_week_context(request.user, request.user.local_today(), suggest_first=True)
        context = {
            **week,
            **quick_log_context(request),
            "recommendations": recommendations_for_student(request.user),
            "show_all": "all" in request.GET,
        }
        response = render(request, "contacts/home.html", context)
    # The same URL answers with a page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
