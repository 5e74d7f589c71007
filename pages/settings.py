"""Settings: a short menu (/settings/) and one short page per section (/settings/<slug>/), each
section from its app (the profile and calendar from crm, the weekly email and the calendar feed
from reminders, sharing from advisors, import and export from contacts). It composes them all,
so it lives above them all.

A section is one row of SECTIONS and one include file, templates/crm/settings/<slug>.html; the
menu and the section pages follow. Every view that posts one section and is refused re-renders
its section's page with its bound form (`settings_context`), so they live here too.
"""

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

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


@dataclass(frozen=True)
class Section:
    slug: str  # the URL (/settings/<slug>/) and the include file (crm/settings/<slug>.html)
    title: str  # the menu entry and the page's heading
    summary: str  # one line under the menu entry
    students_only: bool = False

    @property
    def template(self) -> str:
        return f"crm/settings/{self.slug}.html"


# The menu, in order. A new section: a row here and templates/crm/settings/<slug>.html.
SECTIONS = [
    Section("profile", "Your profile", "Name, Match year, targets, time zone, password"),
    Section("match-calendar", "Match calendar", "The cycle dates Advocate plans around", True),
    Section("weekly-email", "Weekly email", "Day, hour, a preview"),
    Section("sharing", "Share with an advisor", "Who can see your map", True),
    Section("calendar-feed", "Calendar feed", "Follow-ups in Google, Apple or Outlook", True),
    Section("log-by-bcc", "Log by BCC", "Your private address: emails you send get logged", True),
    Section("red-flags", "Red flags", "What a program director will ask, in your words", True),
    Section("data", "Import and export", "Contacts in, spreadsheets and your data file out"),
]


def sections_for(user) -> list[Section]:
    return [section for section in SECTIONS if user.is_student or not section.students_only]


def _section(user, slug: str) -> Section:
    for section in sections_for(user):
        if section.slug == slug:
            return section
    raise Http404("No such settings section.")


def render_section(request: HttpRequest, slug: str, status: int = 200, **bound_forms):
    section = _section(request.user, slug)
    context = {
        **settings_context(request, **bound_forms),
        "section": section,
        "sections": sections_for(request.user),
    }
    return render(request, "crm/settings_section.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def settings_menu(request):
    """Settings' short menu: one line per section, each its own page. A post here is the
    profile's (its form's action, kept from when settings was one page)."""
    if request.method == "POST":
        return profile_update(request)
    return render(request, "crm/settings.html", {"sections": sections_for(request.user)})


@login_required
@require_GET
def settings_section(request, slug: str):
    return render_section(request, slug)


def settings_context(request: HttpRequest, **bound_forms) -> dict:
    """The context of a section's page (templates/crm/settings_section.html), for every view
    that renders it.

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


def profile_update(request):
    # A copy, so a refused form leaves request.user (the header, the other sections) as it was.
    form = ProfileForm(request.POST, instance=copy.copy(request.user))
    if form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect("settings_section", "profile")
    return render_section(request, "profile", form=form)


@login_required
@require_POST
def calendar_update(request):
    """The student's own dates for this Match year (the defaults where left alone)."""
    if not request.user.match_year:
        messages.error(request, "Set your Match year first.")
        return redirect("settings_section", "profile")
    form = CycleCalendarForm(request.POST, calendar=student_calendar(request.user))
    if form.is_valid():
        defaults = match_calendar(request.user.match_year, get_conf())
        services.cycle_dates_update(
            user=request.user,
            dates=form.cleaned_data,
            defaults={name: getattr(defaults, name) for name in EDITABLE_DATES},
        )
        messages.success(request, "Calendar saved. Your nudges follow these dates from now on.")
        return redirect("settings_section", "match-calendar")
    return render_section(request, "match-calendar", status=400, calendar_form=form)


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
            return redirect("settings_section", "data")
    return render_section(request, "data", status=400, data_form=form)
