"""Pages of the weekly email: its settings section, the preview, the one-click links and
unsubscribe (no login), and the operator's status page.

One-click links and mail scanners: security gateways and link previewers fetch every GET link
in a message, so a GET never changes anything. It shows a page with one big button; the POST
from that button acts and consumes the link (no JavaScript, so nothing breaks under a strict
Content-Security-Policy). Those POSTs are csrf_exempt on purpose: there is no session to ride
on, and the signed token in the URL is the whole credential, which a cross-site forger would
have to know already. The unsubscribe URL also takes RFC 8058 one-click POSTs from mail clients.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm import resilience
from crm.roles import advisor_allowed, student_required
from reminders import tasks
from reminders.email import delivery, health, links
from reminders.email.digest import schedule_words
from reminders.email.forms import DigestSettingsForm
from reminders.engine.conf import get_conf

PREVIEW_SEND_COOLDOWN_SECONDS = 60


def _settings_url() -> str:
    return reverse("settings_section", args=["weekly-email"])


@student_required
@require_POST
def digest_settings(request: HttpRequest) -> HttpResponse:
    form = DigestSettingsForm(request.POST, instance=request.user)
    if form.is_valid():
        student = form.save()
        if student.digest_opt_out:
            messages.success(request, "Weekly email turned off. Turn it back on here any time.")
        else:
            messages.success(request, f"Saved. Your weekly email comes {schedule_words(student)}.")
    else:
        messages.error(request, "Those weekly email settings didn't look right. Please try again.")
    return redirect(_settings_url())


@student_required
@require_POST
def digest_preview_send(request: HttpRequest) -> HttpResponse:
    student_id = request.user.pk
    cooldown = f"digest-preview:{student_id}"
    # cache.add is atomic: one preview a minute, however often the button is pressed. With the
    # cache down the button works (it sends the student's own preview to the student only).
    if not resilience.cache_add(cooldown, True, PREVIEW_SEND_COOLDOWN_SECONDS, when_down=True):
        messages.info(request, "A preview is already on its way. Give it a minute.")
    elif resilience.enqueue(tasks.send_digest_preview, student_id):
        messages.success(request, f"A preview is on its way to {request.user.email}.")
    else:
        # Nothing was written, so nothing for a sweep to find: say so, and let them retry.
        resilience.cache_delete(cooldown)
        messages.warning(
            request, "We couldn't start the preview just now. Please try again in a minute."
        )
    return redirect(_settings_url())


@student_required
@require_GET
def digest_preview(request: HttpRequest) -> HttpResponse:
    rendered = delivery.preview(request.user, today=request.user.local_today())
    return render(
        request,
        "reminders/digest_preview.html",
        {"rendered": rendered, "schedule": schedule_words(request.user)},
    )


@student_required
@require_GET
@xframe_options_sameorigin
def digest_preview_html(request: HttpRequest) -> HttpResponse:
    """The HTML part alone, for the preview page's frame."""
    rendered = delivery.preview(request.user, today=request.user.local_today())
    return HttpResponse(rendered.html)


# --- Links in the email: no login ------------------------------------------------------------

_PROBLEM_STATUS = {"invalid": 400, "gone": 404, "expired": 410, "used": 410}


def _link_problem(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "reminders/digest_link_problem.html",
        {"reason": reason, "link_days": settings.DIGEST_LINK_MAX_AGE_DAYS},
        status=_PROBLEM_STATUS.get(reason, 400),
    )


@advisor_allowed
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_action(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            result = links.use_action(token)
            return render(request, "reminders/digest_action_done.html", {"result": result})
        link, nudge = links.check_action(token)
    except links.LinkProblem as problem:
        return _link_problem(request, problem.reason)
    return render(
        request,
        "reminders/digest_action_confirm.html",
        {"link": link, "nudge": nudge, "snooze_days": get_conf().snooze_days},
    )


@advisor_allowed
@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        student = links.student_for_unsubscribe(token)
    except links.LinkProblem as problem:
        return _link_problem(request, problem.reason)
    if request.method == "POST":
        # A mail client's RFC 8058 POST carries "List-Unsubscribe=One-Click" and no action.
        resubscribe = request.POST.get("action") == "resubscribe"
        links.set_opt_out(student, not resubscribe)
    return render(
        request,
        "reminders/digest_unsubscribe.html",
        {"student": student, "done": request.method == "POST"},
    )


# --- Operators -------------------------------------------------------------------------------


@advisor_allowed
@never_cache
@login_required
@require_GET
def ops_status(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied("Staff only.")
    return render(request, "reminders/ops_status.html", {"status": health.status()})
