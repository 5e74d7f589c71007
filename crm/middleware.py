"""Middleware of the accounts: dates in the person's own time zone, and each role in its own
pages."""

import hashlib
import zoneinfo

from django.conf import settings
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from .roles import ADVISOR_ACCOUNT_VIEWS, refuse


class UserTimezoneMiddleware:
    """Show dates in the signed-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.timezone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


_SENT_TO_ADVISOR_HOME = frozenset({"home", "settings"})


class AdvisorAreaMiddleware:
    """Advisors review students; they never use (or write to) a student's own workspace.

    Every student page already scopes its records to request.user, so an advisor could only
    ever reach their own empty workspace; this middleware makes the rule explicit and total,
    including for pages added later: an advisor gets the advisor pages, the account pages, and
    a 403 everywhere else. "Home" and "Settings" send them to their list of students instead.
    A rule about roles, so it lives with the accounts: it reads the mark a view carries
    (crm.roles.advisor_allowed) and imports nothing from the apps above."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_advisor:
            return None
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if getattr(view_func, "advisor_allowed", False) or view_name in ADVISOR_ACCOUNT_VIEWS:
            return None
        if view_name.startswith("admin:"):
            return None  # the admin has its own staff check
        if view_name in _SENT_TO_ADVISOR_HOME:
            return redirect("advisor_home")
        return refuse(request, for_role="student")


class PrivatePagesMiddleware:
    """Every page is `Cache-Control: no-store` unless its view declared itself public.

    Pages show one person's records: a shared computer's Back button, or a browser's cache, must
    not show a student to an advisor whose access was revoked, or to the next person at the
    desk. Failing closed: a page added later is private until its view says otherwise (as the
    web app manifest does with `cache_control(public=True)`). Static files never reach here
    (WhiteNoise answers them first, with its own long-lived headers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "public" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        response[SESSION_HEADER] = session_mark(request)
        return response


# The service worker keeps pages for offline use per session (templates/crm/service_worker.js):
# it files each page under this mark and forgets every page of another mark, so the first page
# after signing out (or in as someone else) empties the cache, with or without the page's own
# script. The mark reveals nothing: a hash of the session, "-" when signed out.
SESSION_HEADER = "X-Advocate-Session"


def session_mark(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "-"
    key = request.session.session_key or ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{user.pk}:{key}".encode()).hexdigest()[:16]
