"""Interactions: the quick-log (its form lives on home and can be included on any page) and
editing or deleting one entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts import selectors, services
from contacts.forms import QUICK_LOG_KINDS, InteractionForm, QuickLogForm, add_service_errors
from contacts.models import Contact, Interaction
from crm import resilience


def quick_log_context(request, form: QuickLogForm | None = None, **extra) -> dict:
    """What templates/contacts/_quick_log.html and the recent activity list need. A page that
    includes the quick-log adds this to its context; `?contact=<pk>` preselects a person and
    `?kind=<slug>` what happened (as after doing a nudge: "Thank-you" for Dr. Rao)."""
    if form is None:
        initial = {}
        if (pk := request.GET.get("contact", "")).isdigit():
            contacts = Contact.objects.owned_by(request.user).select_related("institution")
            initial["contact"] = contacts.filter(pk=pk).first()
        if (kind := request.GET.get("kind", "")) in dict(QUICK_LOG_KINDS):
            initial["kind"] = kind
        form = QuickLogForm(owner=request.user, today=request.user.local_today(), initial=initial)
    # Where a plain (no-JS) post returns to: the page showing the form, kept across errors.
    next_url = request.POST.get("next", "") if request.method == "POST" else request.path
    return {
        "quick_log_form": form,
        "quick_log_next": next_url or reverse("home"),
        # On its own page the quick-log's heading is the page's h1.
        "quick_log_page": next_url == reverse("contacts:quick_log"),
        "recent_interactions": selectors.recent_interactions(request.user),
        **extra,
    }


def _next_url(request) -> str:
    url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    return url if safe else "home"


def _get_interaction(request, pk) -> Interaction:
    interactions = Interaction.objects.owned_by(request.user).select_related("contact")
    return get_object_or_404(interactions, pk=pk)


@login_required
@require_GET
def quick_log_page(request):
    """The quick-log alone: the manifest's "Log someone" shortcut, and the page a phone keeps
    for when there is no connection."""
    return render(request, "contacts/quick_log_page.html", quick_log_context(request))


# A phone sending an entry it kept offline asks for a plain answer (static/js/app.js).
SYNC_HEADER = "X-Advocate-Sync"


@login_required
@require_POST
def interaction_create(request):
    """The quick-log's target: with htmx, answers with a fresh form and the recent activity;
    without, redirects (or shows the quick-log page again with the errors, and a way forward);
    to an offline entry being synced, JSON. The form's key makes a repeat post log once."""
    form = QuickLogForm(request.POST, owner=request.user, today=request.user.local_today())
    interaction = None
    if form.is_valid():
        try:
            interaction = services.interaction_log(owner=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
    if interaction is None:
        return _quick_log_refused(request, form)
    # The row is committed: what follows only reads, and a connection killed meanwhile is
    # read again on a fresh one (a failure here would tell the student their entry was lost).
    return resilience.after_write(lambda: _quick_log_saved(request, interaction))


def _quick_log_refused(request, form):
    if request.headers.get(SYNC_HEADER):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"ok": False, "errors": errors}, status=422)
    if request.htmx:
        return render(request, "contacts/_quick_log.html", quick_log_context(request, form))
    context = quick_log_context(request, form)
    return render(request, "contacts/quick_log_page.html", context, status=400)


def _quick_log_saved(request, interaction):
    if request.headers.get(SYNC_HEADER):
        return JsonResponse(
            {"ok": True, "interaction": interaction.pk, "contact": interaction.contact.name}
        )
    saved = f"Logged: {interaction.get_kind_display()} with {interaction.contact.name}."
    if request.htmx:
        context = quick_log_context(request, quick_log_saved=saved)
        response = render(request, "contacts/_quick_log_saved.html", context)
        # A page showing what the entry changes (This week's list and progress line) listens
        # for this and fetches itself again, so the page being looked at is never stale.
        response["HX-Trigger"] = "advocate:logged"
        return response
    messages.success(request, saved)
    return redirect(_next_url(request))


@login_required
@require_http_methods(["GET", "POST"])
def interaction_edit(request, pk):
    interaction = _get_interaction(request, pk)
    form = InteractionForm(request.POST or None, instance=interaction, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_update(interaction=interaction, **form.interaction_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect(interaction.contact)
    context = {"form": form, "interaction": interaction}
    return render(request, "contacts/interaction_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interaction_delete(request, pk):
    interaction = _get_interaction(request, pk)
    if request.method == "POST":
        services.interaction_delete(interaction=interaction)
        messages.success(request, "Deleted that entry.")
        return redirect(interaction.contact)
    return render(request, "contacts/interaction_confirm_delete.html", {"interaction": interaction})
