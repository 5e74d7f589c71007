"""The calendar feed URL (no session: the token in the URL is the credential, read only) and
regenerating that token from the settings page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from crm.models import User
from crm.roles import advisor_allowed
from crm.services import calendar_token_regenerate
from reminders.calendar import ahead
from reminders.calendar.feed import build_feed, feed_letters, feed_nudges


def calendar_feed_links(request: HttpRequest) -> dict[str, str]:
    """The signed-in student's feed URL for the settings page, and as webcal:// (which opens
    Apple Calendar's subscribe dialog)."""
    url = request.build_absolute_uri(
        reverse("reminders:calendar_feed", args=[request.user.calendar_token])
    )
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@advisor_allowed  # the token is the credential, whoever is signed in
@require_safe  # GET and HEAD: calendar apps check a feed with HEAD before fetching it
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    student = User.objects.filter(
        calendar_token=token, is_active=True, role=User.Role.STUDENT
    ).first()
    if student is None:
        raise Http404("No such calendar.")
    today = student.local_today()
    body = build_feed(
        student,
        nudges=feed_nudges(student, today),
        letters=feed_letters(student),
        ahead=ahead.for_feed(student, today),
        today=today,
        now=timezone.now(),
        site_url=settings.SITE_URL,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="advocate.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def calendar_feed_regenerate(request: HttpRequest) -> HttpResponse:
    if not request.user.is_student:
        return HttpResponseForbidden("Only students have a calendar feed.")
    calendar_token_regenerate(user=request.user)
    messages.success(
        request,
        "New calendar link made. The old one stopped working: "
        "subscribe again with the new link below.",
    )
    return redirect("settings_section", "calendar-feed")
