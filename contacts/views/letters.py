"""The letters board: each letter of recommendation on its way from "considering" to "thanked"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from contacts import selectors, services
from contacts.forms import LetterAskForm, LetterForm, add_service_errors
from contacts.models import Contact, LetterRequest
from contacts.vocabulary import LetterStatus
from reminders.engine.conf import get_conf


def _due_soon_days() -> int:
    # "Due soon" on the board is the engine's reminder window, so the two never disagree.
    return get_conf().letter_reminder_weeks * 7


def _get_letter_for_user(request, pk: int) -> LetterRequest:
    """The signed-in student's letter, or 404 (also for anyone else's)."""
    letters = LetterRequest.objects.owned_by(request.user).select_related("writer")
    return get_object_or_404(letters, pk=pk)


def _save_letter(request, form: LetterForm, letter: LetterRequest | None = None):
    """Create or update from a valid form; None (with the errors on the form) if refused."""
    fields = dict(form.cleaned_data)
    writer_name = fields.pop("writer_name")
    writer_role = fields.pop("writer_role")
    try:
        with transaction.atomic():
            if writer_name:
                fields["writer"] = services.contact_find_or_create(
                    owner=request.user,
                    name=writer_name,
                    specialty=fields["specialty"],
                    **({"role": writer_role} if writer_role else {}),
                )
            if letter is None:
                return services.letter_create(owner=request.user, **fields)
            return services.letter_update(letter=letter, **fields)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _board_context(request) -> dict:
    board = selectors.letter_board(
        request.user, request.user.local_today(), soon_days=_due_soon_days()
    )
    return {"board": board}


@login_required
def letter_board(request):
    return render(request, "contacts/letter_board.html", _board_context(request))


@login_required
@require_http_methods(["GET", "POST"])
def letter_create(request):
    """Ask for a letter in three fields (writer, purpose, due); the rest is recorded on the
    letter's page as the steps happen. ?writer=<pk> preselects a contact (from their page)."""
    initial = {}
    if (pk := request.GET.get("writer", "")).isdigit():
        contacts = Contact.objects.owned_by(request.user).select_related("institution")
        initial["contact"] = contacts.filter(pk=pk).first()
    form = LetterAskForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        letter = _ask_letter(request, form)
        if letter is not None:
            messages.success(request, f"Letter from {letter.writer.name} added to the board.")
            return redirect(letter)
    context = {
        "form": form,
        "picker_label": "Who will write it?",
        "picker_add_suffix": " as the writer",
        "picker_change_url": reverse("contacts:letter_create"),
    }
    return render(request, "contacts/letter_ask.html", context)


def _ask_letter(request, form: LetterAskForm) -> LetterRequest | None:
    person = form.person_kwargs()
    try:
        with transaction.atomic():
            writer = person["contact"] or services.contact_find_or_create(
                owner=request.user,
                name=person["new_contact_name"],
                **({"role": person["new_contact_role"]} if person["new_contact_role"] else {}),
            )
            return services.letter_create(owner=request.user, writer=writer, **form.letter_kwargs())
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
def letter_detail(request, pk: int):
    letter = _get_letter_for_user(request, pk)
    context = {
        "letter": letter,
        "card": selectors.letter_card(
            letter, request.user.local_today(), soon_days=_due_soon_days()
        ),
        "timeline": selectors.letter_timeline(letter),
    }
    return render(request, "contacts/letter_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def letter_edit(request, pk: int):
    letter = _get_letter_for_user(request, pk)
    form = LetterForm(request.POST or None, instance=letter, owner=request.user)
    if request.method == "POST" and form.is_valid() and _save_letter(request, form, letter):
        messages.success(request, "Letter saved.")
        return redirect(letter)
    return render(request, "contacts/letter_form.html", {"form": form, "letter": letter})


@login_required
@require_http_methods(["GET", "POST"])
def letter_delete(request, pk: int):
    letter = _get_letter_for_user(request, pk)
    if request.method == "POST":
        services.letter_delete(letter=letter)
        messages.success(request, f"Deleted the letter from {letter.writer.name}.")
        return redirect("contacts:letter_board")
    return render(request, "contacts/letter_confirm_delete.html", {"letter": letter})


@login_required
@require_POST
def letter_advance(request, pk: int):
    """Move a letter one step (or to "declined"), recording today as the date of that step.

    The form posts the status it means to reach, so a double tap cannot skip a step."""
    letter = _get_letter_for_user(request, pk)
    status = request.POST.get("status") or services.letter_next_status(letter) or ""
    refusal = ""
    try:
        services.letter_set_status(letter=letter, status=status, on=request.user.local_today())
    except services.LetterMoveConflict as conflict:  # moved at the same moment, elsewhere
        refusal = f"{letter.writer.name}: {conflict.message_dict['status'][0]}"
    except ValidationError:  # a move the letter's status no longer allows (a double tap)
        refusal = "That letter had already moved on; nothing changed."
    if request.htmx:
        # The moved card says where it went (and the swap scrolls it into view).
        moved = None if refusal else letter.pk
        context = {**_board_context(request), "refusal": refusal, "moved": moved}
        return render(request, "contacts/_letter_board.html", context)
    if refusal:
        messages.info(request, refusal)
    else:
        messages.success(request, f"{letter.writer.name}: {LetterStatus(status).label}.")
    if request.POST.get("from") == "detail":
        return redirect(letter)
    return redirect("contacts:letter_board")
