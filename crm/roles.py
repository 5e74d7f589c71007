"""Who may open which page: students keep records, advisors review the students who invited
them. Each view says which role it serves; the advisor middleware keeps advisors out of the
rest."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Django's own account pages that an advisor uses like anyone else (by URL name).
ADVISOR_ACCOUNT_VIEWS = frozenset(
    {
        "login",
        "signin_link",
        "logout",
        "signup",
        "manifest",
        "service_worker",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)


def refuse(request: HttpRequest, *, for_role: str) -> HttpResponse:
    """A calm 403 page that says where to go instead."""
    return render(request, "crm/role_refused.html", {"for_role": for_role}, status=403)


def advisor_allowed(view: Callable) -> Callable:
    """Mark a view that advisors may open (the advisor middleware reads the mark)."""
    view.advisor_allowed = True
    return view


def advisor_required(view: Callable) -> Callable:
    """Signed in as an advisor, or a 403 (a student is told this page is for advisors)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_advisor:
            return refuse(request, for_role="advisor")
        return view(request, *args, **kwargs)

    return advisor_allowed(login_required(wrapper))


def student_required(view: Callable) -> Callable:
    """Signed in as a student, or a 403: an advisor never reaches a student's own pages."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_student:
            return refuse(request, for_role="student")
        return view(request, *args, **kwargs)

    return login_required(wrapper)
