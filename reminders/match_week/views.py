"""The Match Week page (/match-week/): the story, the outcome, the SOAP plan with the
student's own note, and where they matched. Which parts show on a day is
reminders.match_week.presenter's call; these views only read, save and render.

Every action is a POST of the signed-in student's own records. With htmx the story and the
note swap their own section; without JS each form posts and redirects back to the page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from contacts import services as records
from contacts.forms import ContactSearchForm, add_service_errors, picker_matches
from contacts.models import Contact, Program
from crm import services as accounts
from crm.match import MatchOutcome
from crm.roles import student_required
from reminders.engine.match_week import own_note
from reminders.match_week.forms import (
    IDS_MAX,
    ContactedForm,
    NoteForm,
    OutcomeForm,
    StoryForm,
    WhereMatchedForm,
    caller_row,
    contact_ids,
    story_initial,
)
from reminders.match_week.presenter import MatchWeekShow, match_week_show
from reminders.match_week.selectors import match_week_view, story_for

STORY_READY = "Your story is ready. If Monday brings good news, you will not need it."
OUTCOME_SAVED = {
    MatchOutcome.MATCHED: "Congratulations. Nothing more is asked of you until Friday.",
    MatchOutcome.UNMATCHED: "Your SOAP plan is ready. One step at a time: today's comes first.",
    MatchOutcome.PARTIAL: "Your SOAP plan is ready. One step at a time: today's comes first.",
    MatchOutcome.SOAP_MATCHED: "Placed in SOAP: congratulations. Thank the people who stood by.",
}


def _show(request: HttpRequest) -> MatchWeekShow:
    return match_week_show(match_week_view(request.user, request.user.local_today()))


def _page_url(section: str = "") -> str:
    return reverse("reminders:match_week") + (f"#{section}" if section else "")


def _story_form(request: HttpRequest, show: MatchWeekShow, data=None) -> StoryForm:
    view = show.view
    initial = story_initial(view.story, view.suggested, request.user.target_specialties)
    return StoryForm(
        data, owner=request.user, story=view.story, suggested=view.suggested, initial=initial
    )


def _show_after_saving(request: HttpRequest) -> MatchWeekShow:
    """The page as it is after a save: the student's records' stamp has moved (the kept
    plan was for the records before), so it is read again first."""
    request.user.refresh_from_db(fields=["records_changed_at"])
    return _show(request)


def _note_form(show: MatchWeekShow, data=None) -> NoteForm | None:
    if show.plan is None:
        return None
    return NoteForm(data, initial={"note": show.plan.note})


def _context(request: HttpRequest, show: MatchWeekShow, **forms) -> dict:
    context = {
        "show": show,
        "view": show.view,
        "plan": show.plan,
        "story_form": forms.get("story_form") or _story_form(request, show),
        "note_form": forms.get("note_form") or _note_form(show),
        "where_form": forms.get("where_form")
        or (WhereMatchedForm(owner=request.user) if show.ask_where else None),
        "contacted_form": forms.get("contacted_form")
        or (ContactedForm(owner=request.user) if show.plan is not None else None),
    }
    return {**context, **{k: v for k, v in forms.items() if not k.endswith("_form")}}


@student_required
@require_GET
def match_week(request: HttpRequest) -> HttpResponse:
    show = _show(request)
    return render(request, "reminders/match_week.html", _context(request, show))


@student_required
@require_GET
def match_week_callers(request: HttpRequest) -> HttpResponse:
    """The story's search picker: the matches for `contact_search` among the student's own
    contacts (none archived, none already in the list: `callers_shown`), or, with `contact`,
    that person's row for the list, ticked."""
    if "contact" in request.GET:
        pk = contact_ids(request.GET.getlist("contact"))[:1]
        people = Contact.objects.owned_by(request.user).filter(archived=False)
        contact = get_object_or_404(people.select_related("institution"), pk__in=pk)
        return render(request, "reminders/_match_week_caller.html", {"row": caller_row(contact)})
    # Through a form, like every query parameter: a NUL or an over-long search is no search.
    if not (query := ContactSearchForm(request.GET).query()):
        return HttpResponse("")  # an empty list, which the CSS hides
    shown = contact_ids(request.GET.getlist("callers_shown"))[:IDS_MAX]
    results = picker_matches(request.user, query, archived=False, exclude=shown)
    return render(request, "reminders/_match_week_caller_matches.html", {"results": results})


def _no_year(request: HttpRequest) -> HttpResponse:
    messages.error(request, "Set your Match year in Settings first.")
    return redirect("settings")


@student_required
@require_POST
def match_week_story(request: HttpRequest) -> HttpResponse:
    """Lock down the story: whom you would call, 1-3 specialties, the one-liners."""
    if not request.user.match_year:
        return _no_year(request)
    # A posted form needs only the story (its people come from the post): the plan is read
    # for the page drawn after it.
    form = StoryForm(request.POST, owner=request.user, story=story_for(request.user))
    if form.is_valid():
        try:
            records.match_story_save(
                owner=request.user,
                year=request.user.match_year,
                on=request.user.local_today(),
                callers=form.cleaned_data["callers"],
                **form.story_fields(),
            )
        except ValidationError as error:  # the model's own checks (one line each)
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, STORY_READY)
                return redirect(_page_url("story"))
            show = _show_after_saving(request)
            context = _context(request, show, story_saved=STORY_READY)
            return render(request, "reminders/_match_week_story.html", context)
    context = _context(request, _show(request), story_form=form)
    if request.htmx:
        return render(request, "reminders/_match_week_story.html", context)
    return render(request, "reminders/match_week.html", context, status=400)


@student_required
@require_POST
def match_week_outcome(request: HttpRequest) -> HttpResponse:
    """Record the Match outcome. The same outcome twice (a double tap, a second tab) saves
    nothing new and announces nothing: the plan and its nudge stay as they are."""
    form = OutcomeForm(request.POST)
    if not request.user.match_year or not form.is_valid():
        messages.error(request, "Choose one of the three outcomes.")
        return redirect(_page_url())
    outcome = form.cleaned_data["outcome"]
    if request.user.match_outcome != outcome:
        accounts.profile_update(user=request.user, match_outcome=outcome)
    messages.success(request, OUTCOME_SAVED[MatchOutcome(outcome)])
    return redirect(_page_url())


@student_required
@require_POST
def match_week_note(request: HttpRequest) -> HttpResponse:
    """Save the student's own note to a program, or ("reset") go back to the filled-in one."""
    if not request.user.match_year:
        return _no_year(request)
    show = _show(request)
    form = NoteForm(request.POST)
    if form.is_valid():
        note = "" if "reset" in request.POST else own_note(form.cleaned_data["note"], show.plan)
        records.match_story_save(
            owner=request.user,
            year=request.user.match_year,
            on=request.user.local_today(),
            note=note,
        )
        said = "Back to the filled-in note." if not note else "Your note is saved."
        if not request.htmx:
            messages.success(request, said)
            return redirect(_page_url("note"))
        show = _show_after_saving(request)
        return render(
            request, "reminders/_match_week_note.html", _context(request, show, note_saved=said)
        )
    context = _context(request, show, note_form=form)
    if request.htmx:
        return render(request, "reminders/_match_week_note.html", context)
    return render(request, "reminders/match_week.html", context, status=400)


def _picked_program(form, owner) -> Program:
    """The program a ProgramPickForm names: one of the student's, or a new one by name."""
    return form.cleaned_data["program"] or records.program_find_or_create(
        owner=owner, name=form.cleaned_data["new_program_name"]
    )


@student_required
@require_POST
def match_week_matched(request: HttpRequest) -> HttpResponse:
    """Where the student matched: one of their programs, or a new one by name."""
    if not request.user.match_year:
        return _no_year(request)
    form = WhereMatchedForm(request.POST, owner=request.user)
    if form.is_valid():
        try:
            with transaction.atomic():
                program = _picked_program(form, request.user)
                records.match_story_save(
                    owner=request.user,
                    year=request.user.match_year,
                    on=request.user.local_today(),
                    matched_program=program,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{program.name}: its people are your next circle.")
            return redirect(_page_url("matched"))
    context = _context(request, _show(request), where_form=form)
    return render(request, "reminders/match_week.html", context, status=400)


@student_required
@require_POST
def match_week_contacted(request: HttpRequest) -> HttpResponse:
    """SOAP: "Program X contacted me" (or, with `undo`, take it back). From then the plan may
    name who could speak to X: NRMP's rule allows it once the program has made contact."""
    if not request.user.match_year:
        return _no_year(request)
    form = ContactedForm(request.POST, owner=request.user)
    if form.is_valid():
        try:
            with transaction.atomic():
                program = _picked_program(form, request.user)
                records.soap_contact_mark(
                    owner=request.user,
                    year=request.user.match_year,
                    program=program,
                    contacted="undo" not in request.POST,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "undo" in request.POST:
                messages.success(request, f"{program.name}: taken off your plan.")
            else:
                messages.success(
                    request, f"{program.name} contacted you: your plan says who could speak to it."
                )
            return redirect(_page_url("contacted"))
    context = _context(request, _show(request), contacted_form=form)
    return render(request, "reminders/match_week.html", context, status=400)
