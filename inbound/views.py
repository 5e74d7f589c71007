"""Settings → Log by BCC (the address, a new one, the student's other addresses) and This
week's strangers (add or ignore). The webhooks are inbound.webhooks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import SenderAddressForm, StrangerAddForm
from .models import SenderAddress, Stranger


def _settings():
    return redirect("settings_section", "log-by-bcc")


@login_required
@require_POST
def address_regenerate(request):
    if not request.user.is_student:
        return HttpResponseForbidden("Only students have a logging address.")
    services.address_regenerate(student=request.user)
    messages.success(
        request, "New address made. The old one stopped working: use the new one below."
    )
    return _settings()


@login_required
@require_POST
def sender_add(request):
    if not request.user.is_student:
        return HttpResponseForbidden("Only students have a logging address.")
    form = SenderAddressForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That does not look like an email address.")
        return _settings()
    try:
        sender = services.sender_add(
            student=request.user,
            email=form.cleaned_data["email"],
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _settings()
    messages.success(request, f"We emailed {sender.email} a link: open it to confirm.")
    return _settings()


@login_required
@require_POST
def sender_remove(request, pk: int):
    sender = get_object_or_404(SenderAddress, pk=pk, student=request.user)
    services.sender_remove(student=request.user, sender_id=sender.pk)
    messages.success(request, "Address removed: emails from it are no longer logged.")
    return _settings()


@login_required
@require_http_methods(["GET", "POST"])
def sender_confirm(request, token: str):
    """Mail scanners open links: opening shows one button, pressing it confirms."""
    if request.method == "POST":
        sender = services.sender_confirm(student=request.user, token=token)
        if sender is None:
            messages.error(request, "This link has expired or is not yours. Add it again.")
        else:
            messages.success(request, f"{sender.email} is confirmed: emails from it are logged.")
        return _settings()
    return render(request, "inbound/sender_confirm.html", {"token": token})


def _stranger(request, pk: int) -> Stranger:
    return get_object_or_404(Stranger, pk=pk, student=request.user)


@login_required
@require_POST
def stranger_add(request, pk: int):
    stranger = _stranger(request, pk)
    form = StrangerAddForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    contact = services.stranger_add(stranger=stranger, name=name)
    messages.success(request, f"{contact.name} added, with your email logged.")
    return redirect("home")


@login_required
@require_POST
def stranger_ignore(request, pk: int):
    services.stranger_ignore(stranger=_stranger(request, pk))
    return redirect("home")
