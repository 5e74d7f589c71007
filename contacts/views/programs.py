"""The student's programs and the ties their contacts have to them: the programs list (targets
first, with who could vouch at each), a program's page ("who could vouch for me here"), and
ties added and removed from a program's page and from a contact's page (htmx swaps the
section; every link and form works without it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts import selectors, services
from contacts.forms import ContactTieForm, ProgramForm, ProgramTieForm, add_service_errors
from contacts.models import Contact, Program, Tie
from reminders.evaluation.vouching import vouching_for


def _get_program(request, pk) -> Program:
    """The signed-in student's program, or 404 (also for anyone else's)."""
    programs = Program.objects.owned_by(request.user).select_related("institution")
    return get_object_or_404(programs, pk=pk)


def _get_contact(request, pk) -> Contact:
    contacts = Contact.objects.owned_by(request.user).select_related("institution")
    return get_object_or_404(contacts, pk=pk)


def _fragment(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@require_GET
def program_list(request):
    programs = selectors.programs_for_list(request.user)
    vouching = vouching_for(request.user, request.user.local_today(), programs=programs)
    rows = [
        {"program": program, "vouching": answer}
        for program, answer in zip(programs, vouching, strict=True)
    ]
    context = {
        "targets": [row for row in rows if row["program"].target],
        "others": [row for row in rows if not row["program"].target],
        "unvouched": sum(
            1 for row in rows if row["program"].target and row["vouching"].nobody_can_vouch
        ),
    }
    return render(request, "contacts/program_list.html", context)


def _save_program(request, form: ProgramForm, program: Program | None = None) -> Program | None:
    try:
        with transaction.atomic():
            institution = services.institution_get_or_create(
                owner=request.user, **form.institution_kwargs()
            )
            fields = {**form.program_kwargs(), "institution": institution}
            if program is None:
                return services.program_create(owner=request.user, **fields)
            return services.program_update(program=program, **fields)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request):
    form = ProgramForm(request.POST or None, owner=request.user, initial={"target": True})
    if request.method == "POST" and form.is_valid() and (program := _save_program(request, form)):
        messages.success(request, f"Added {program.name}. Who do you know there?")
        return redirect(program)
    return render(request, "contacts/program_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk):
    program = _get_program(request, pk)
    form = ProgramForm(request.POST or None, instance=program, owner=request.user)
    if request.method == "POST" and form.is_valid() and _save_program(request, form, program):
        messages.success(request, "Saved.")
        return redirect(program)
    return render(request, "contacts/program_form.html", {"form": form, "program": program})


@login_required
@require_http_methods(["GET", "POST"])
def program_delete(request, pk):
    program = _get_program(request, pk)
    if request.method == "POST":
        services.program_delete(program=program)
        messages.success(request, f"Deleted {program.name} and the ties recorded to it.")
        return redirect("contacts:program_list")
    return render(request, "contacts/program_confirm_delete.html", {"program": program})


def _program_context(request, program: Program, *, form=None, show_form=False, added=None):
    """What the program page and its #vouch fragment show."""
    (vouching,) = vouching_for(request.user, request.user.local_today(), programs=[program])
    return {
        "program": program,
        "vouching": vouching,
        "ties": selectors.program_ties(program),
        "tie_form": form or ProgramTieForm(owner=request.user),
        "show_form": show_form or form is not None,
        "added": added,
    }


@login_required
@require_GET
def program_detail(request, pk):
    program = _get_program(request, pk)
    return render(request, "contacts/program_detail.html", _program_context(request, program))


@login_required
@require_http_methods(["GET", "POST"])
def program_tie_add(request, pk):
    """GET: the form (in the section with htmx, else on the program's page); POST: the tie."""
    program = _get_program(request, pk)
    form = ProgramTieForm(request.POST or None, owner=request.user)
    tie = None
    if request.method == "POST" and form.is_valid():
        try:
            tie = services.tie_create(owner=request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if tie is not None and not _fragment(request):
        messages.success(request, f"Saved: {tie.contact.name}, {tie.get_kind_display().lower()}.")
        return redirect(program)
    bound = form if request.method == "POST" and tie is None else None
    context = _program_context(request, program, form=bound, show_form=tie is None, added=tie)
    template = (
        "contacts/_program_vouch.html" if _fragment(request) else "contacts/program_detail.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def program_tie_remove(request, pk, tie_pk):
    program = _get_program(request, pk)
    # Only a tie shown on this program's page: to the program, or to its institution.
    ties = Tie.objects.owned_by(request.user).select_related("contact")
    tie = get_object_or_404(ties, pk=tie_pk)
    if tie.program_id != program.pk and (
        tie.program_id is not None or tie.institution_id != program.institution_id
    ):
        raise Http404("No such tie on this program")
    services.tie_delete(tie=tie)
    if _fragment(request):
        return render(request, "contacts/_program_vouch.html", _program_context(request, program))
    messages.success(request, f"Removed {tie.contact.name}'s tie.")
    return redirect(program)


# --- Ties from a contact's page ---------------------------------------------------------------


def _contact_ties_context(request, contact: Contact, *, form=None, show_form=False, added=None):
    return {
        "contact": contact,
        "contact_ties": selectors.contact_ties(contact),
        "tie_form": form or ContactTieForm(owner=request.user),
        "show_form": show_form or form is not None,
        "added": added,
    }


@login_required
@require_http_methods(["GET", "POST"])
def contact_tie_add(request, pk):
    """GET: the form (in the #ties section with htmx, else on a page of its own); POST: the tie."""
    contact = _get_contact(request, pk)
    form = ContactTieForm(request.POST or None, owner=request.user)
    tie = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                institution = None
                if not data["program"]:
                    institution = services.institution_get_or_create(
                        owner=request.user, name=data["institution_name"]
                    )
                tie = services.tie_create(
                    owner=request.user,
                    contact=contact,
                    kind=data["kind"],
                    program=data["program"],
                    institution=institution,
                    note=data["note"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
    if tie is not None and not _fragment(request):
        messages.success(request, f"Saved {contact.name}'s tie to {tie.place}.")
        return redirect(contact)
    bound = form if request.method == "POST" and tie is None else None
    context = _contact_ties_context(request, contact, form=bound, show_form=True, added=tie)
    if tie is not None:
        context["show_form"] = False
    template = "contacts/_contact_ties.html" if _fragment(request) else "contacts/tie_form.html"
    return render(request, template, context)


@login_required
@require_POST
def contact_tie_remove(request, pk, tie_pk):
    contact = _get_contact(request, pk)
    # Through the contact, so only a tie of the student's own contact can be found.
    tie = get_object_or_404(contact.ties.all(), pk=tie_pk)
    services.tie_delete(tie=tie)
    if _fragment(request):
        return render(
            request, "contacts/_contact_ties.html", _contact_ties_context(request, contact)
        )
    messages.success(request, "Tie removed.")
    return redirect(contact)
