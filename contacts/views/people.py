"""The student's contacts: the list, the picker behind the quick-log, a contact's page, and
creating, editing, archiving and deleting a contact."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts import selectors, services
from contacts.forms import (
    ContactFilterForm,
    ContactForm,
    ContactSearchForm,
    QuickLogForm,
    add_service_errors,
    picker_matches,
)
from contacts.models import Contact
from reminders.evaluation.standing import contact_ids_by_tier, contact_standing, tiers_of

CONTACTS_PER_PAGE = 25


def _get_contact(request, pk) -> Contact:
    """The signed-in student's contact, or 404 (also for anyone else's)."""
    contacts = Contact.objects.owned_by(request.user).select_related("institution")
    return get_object_or_404(contacts, pk=pk)


def _is_fragment_request(request) -> bool:
    # A history restore after a cache miss needs the whole page, not the fragment.
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@require_GET
def contact_list(request):
    form = ContactFilterForm(request.GET, owner=request.user)
    today = request.user.local_today()
    filters = form.filters()
    # The tier is the engine's judgement (from the cached standing): this page composes the two.
    if tier := filters.pop("tier", ""):
        filters["among"] = contact_ids_by_tier(request.user, today, tier)
    contacts = selectors.contacts_for_list(request.user, **filters)
    page = Paginator(contacts, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    contacts_on_page = list(page.object_list)
    if tier:  # all of one tier already: no need to ask again
        tiers = dict.fromkeys((contact.pk for contact in contacts_on_page), tier)
    else:
        tiers = tiers_of(contacts_on_page, today)
    rows = selectors.with_tiers(contacts_on_page, tiers)
    context = {"form": form, "page": page, "rows": rows, "today": today}
    if _is_fragment_request(request):
        response = render(request, "contacts/_contact_results.html", context)
    else:
        response = render(request, "contacts/contact_list.html", context)
    # The same URL answers with a page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def contact_picker(request):
    """The quick-log's picker: matches for `contact_search`, a chosen `contact`, a `new`
    person's name, or (with none of these) the empty search box again."""
    form = QuickLogForm(owner=request.user, today=request.user.local_today())
    if (pk := request.GET.get("contact", "")).isdigit():
        contact = get_object_or_404(Contact.objects.owned_by(request.user), pk=pk)
        return render(request, "contacts/_picker_chosen.html", {"form": form, "contact": contact})
    if new_name := request.GET.get("new", "").strip()[:200]:
        # Ask before creating: anyone this name may be is offered first.
        similar = selectors.similar_contacts(request.user, new_name)
        context = {"form": form, "new_name": new_name, "similar": similar}
        return render(request, "contacts/_picker_new.html", context)
    if "contact_search" not in request.GET:
        return render(request, "contacts/_picker.html", {"form": form})
    # Through a form, like every query parameter: a NUL or an over-long search is no search.
    if not (query := ContactSearchForm(request.GET).query()):
        return HttpResponse("")  # an empty list, which the CSS hides
    results = picker_matches(request.user, query)
    # Someone already has exactly this name: they are the answer, not "add as new".
    offer_new = not any(contact.name.casefold() == query.casefold() for contact in results)
    context = {"query": query, "results": results, "offer_new": offer_new}
    return render(request, "contacts/_picker_results.html", context)


@login_required
@require_GET
def contact_detail(request, pk):
    contact = _get_contact(request, pk)
    history = selectors.contact_history(contact, page=request.GET.get("page", 1))
    today = request.user.local_today()
    # Scored from the history just loaded: no query, however large the student's network.
    standing = contact_standing(
        contact,
        today,
        interactions=history.facts,
        team_places=history.team_places,
        letters=history.letters,
    )
    context = {
        "contact": contact,
        "history": history,
        "standing": standing,
        "today": today,
        "contact_ties": selectors.contact_ties(contact),
        "show_form": False,
    }
    return render(request, "contacts/contact_detail.html", context)


def _save_contact(request, form: ContactForm, contact: Contact | None = None) -> Contact | None:
    """Find or create the typed institution and save the contact with it, all or nothing.
    Returns None, with the errors on the form, when a service refuses."""
    try:
        with transaction.atomic():
            institution = services.institution_get_or_create(
                owner=request.user, **form.institution_kwargs()
            )
            fields = {**form.contact_kwargs(), "institution": institution}
            if contact is None:
                return services.contact_create(owner=request.user, **fields)
            return services.contact_update(contact=contact, **fields)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request):
    form = ContactForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid() and (contact := _save_contact(request, form)):
        messages.success(request, f"Added {contact.name}.")
        return redirect(contact)
    return render(request, "contacts/contact_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk):
    contact = _get_contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact, owner=request.user)
    if request.method == "POST" and form.is_valid() and _save_contact(request, form, contact):
        messages.success(request, "Saved.")
        return redirect(contact)
    return render(request, "contacts/contact_form.html", {"form": form, "contact": contact})


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request, pk):
    """Deleting someone with history asks first and offers the archive instead."""
    contact = _get_contact(request, pk)
    if request.method == "POST":
        services.contact_delete(contact=contact)
        messages.success(request, f"Deleted {contact.name} and everything logged with them.")
        return redirect("contacts:list")
    context = {"contact": contact, "history": selectors.contact_history(contact)}
    return render(request, "contacts/contact_confirm_delete.html", context)


@login_required
@require_POST
def contact_archive(request, pk):
    """Archive (archived=1, the default) or bring back (archived=0) a contact."""
    contact = _get_contact(request, pk)
    archived = request.POST.get("archived", "1") != "0"
    services.contact_archive(contact=contact, archived=archived)
    if archived:
        messages.success(request, f"Archived {contact.name}. Their history is kept.")
    else:
        messages.success(request, f"{contact.name} is back in your contacts.")
    return redirect(contact)
