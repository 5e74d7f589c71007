"""The settings page: one page with a section from every app (the profile and calendar from
crm, the weekly email and the calendar feed from reminders, sharing from advisors, the data
file from contacts). It composes them all, so it lives above them all.

Every view that posts one section and is refused re-renders the whole page with its bound form
(`settings_context`), so they live here too.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from advisors.forms import InvitationForm
from advisors.selectors import sharing_overview
from contacts import datafile
from contacts.datafile_forms import DataFileUploadForm
from contacts.forms import RedFlagForm
from contacts.models import RedFlag
from crm import services
from crm.forms import CycleCalendarForm, ProfileForm
from crm.match import EDITABLE_DATES
from inbound.selectors import inbound_settings
from reminders.calendar.views import calendar_feed_links
from reminders.email.forms import DigestSettingsForm
from reminders.engine.conf import get_conf
from reminders.engine.cycle import match_calendar
from reminders.evaluation.loader import student_calendar


def settings_context(request: HttpRequest, **bound_forms) -> dict:
    """The context of templates/crm/settings.html, for every view that renders it.

    A view re-rendering the page after a refused post passes its bound form by the name its
    section reads (form, calendar_form, invite_form, digest_form, data_form); every other
    section gets a fresh one. Five queries: two for sharing (who can see the map, invitations
    waiting), two for Log by BCC (the address, the other sender addresses), one for the
    student's red flags; the calendar is computed from the signed-in student."""
    user = request.user
    context = {
        "form": ProfileForm(instance=user),
        "digest_form": DigestSettingsForm(instance=user),
    }
    if user.is_student:
        calendar = student_calendar(user)
        context.update(
            calendar=calendar,
            calendar_form=CycleCalendarForm(calendar=calendar) if calendar else None,
            calendar_customised=bool(user.cycle_dates),
            sharing=sharing_overview(user),
            invite_form=InvitationForm(),
            calendar_feed=calendar_feed_links(request),
            inbound=inbound_settings(user),
            red_flags=list(RedFlag.objects.owned_by(user)),
            red_flag_form=RedFlagForm(),
        )
    context.update(bound_forms)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    # A copy, so a refused form leaves request.user (the header, the other sections) as it was.
    form = ProfileForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect("settings")
    return render(request, "crm/settings.html", settings_context(request, form=form))


@login_required
@require_POST
def calendar_update(request):
    """The student's own dates for this Match year (the defaults where left alone)."""
    if not request.user.match_year:
        messages.error(request, "Set your Match year first.")
        return redirect("settings")
    form = CycleCalendarForm(request.POST, calendar=student_calendar(request.user))
    if form.is_valid():
        defaults = match_calendar(request.user.match_year, get_conf())
        services.cycle_dates_update(
            user=request.user,
            dates=form.cleaned_data,
            defaults={name: getattr(defaults, name) for name in EDITABLE_DATES},
        )
        messages.success(request, "Calendar saved. Your nudges follow these dates from now on.")
        return redirect("settings")
    context = settings_context(request, calendar_form=form)
    return render(request, "crm/settings.html", context, status=400)


@login_required
@require_POST
def data_import(request):
    """Import an advocate/v1 file (all or nothing). An imported file's "student.email" is
    ignored, so a file can never switch accounts; a refused one says why at the field."""
    if not request.user.is_student:
        return HttpResponseForbidden("Only students keep records.")
    form = DataFileUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = datafile.import_document(form.document, student=request.user)
        except datafile.DataFileError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"{result.summary()}.")
            return redirect("settings")
    context = settings_context(request, data_form=form)
    return render(request, "crm/settings.html", context, status=400)
