"""The student's side of sharing (invite, revoke, notes, recommendations done) and the
invitation link an advisor opens."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.roles import advisor_allowed, student_required

from .. import services
from ..forms import AdvisorSignupForm, InvitationForm, ShareNotesForm
from ..selectors import (
    InvitationCheck,
    LinkState,
    access_for_student,
    check_invitation,
    pending_invitation_for_student,
    recommendation_for_student,
    sharing_overview,
)

# The status of the invitation page in each state: the page is always a friendly one.
LINK_STATUS = {
    LinkState.READY: 200,
    LinkState.SIGN_IN: 200,
    LinkState.INVALID: 400,
    LinkState.EXPIRED: 410,
    LinkState.USED: 410,
    LinkState.CANCELLED: 410,
    LinkState.WRONG_ACCOUNT: 403,
    LinkState.SENDER: 403,
    LinkState.NOT_ADVISOR: 403,
}


def _back_to_sharing():
    return redirect("settings_section", "sharing")


def _sharing_page(request, invite_form, status=200):
    context = {"sharing": sharing_overview(request.user), "invite_form": invite_form}
    return render(request, "advisors/sharing_page.html", context, status=status)


@student_required
@require_GET
def sharing_page(request):
    return _sharing_page(request, InvitationForm())


@student_required
@require_POST
def sharing_invite(request):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(student=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            token = services.invitation_token(invitation)
            accept_url = request.build_absolute_uri(reverse("invitation_accept", args=[token]))
            services.invitation_send(invitation=invitation, accept_url=accept_url)
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return _back_to_sharing()
    return _sharing_page(request, form, status=400)


@student_required
@require_POST
def sharing_revoke(request, pk):
    access = access_for_student(request.user, pk)
    services.access_revoke(access=access)
    messages.success(request, f"{access.advisor} can no longer see your map.")
    return _back_to_sharing()


@student_required
@require_POST
def sharing_notes(request, pk):
    access = access_for_student(request.user, pk)
    form = ShareNotesForm(request.POST)
    form.is_valid()  # a missing box means "don't share": the form cannot be invalid
    share = form.cleaned_data.get("share_notes", False)
    services.access_set_share_notes(access=access, share_notes=share)
    shared = "now sees" if share else "no longer sees"
    messages.success(request, f"{access.advisor} {shared} your private notes.")
    return _back_to_sharing()


@student_required
@require_POST
def invitation_cancel(request, pk):
    invitation = pending_invitation_for_student(request.user, pk)
    if services.invitation_cancel(invitation=invitation):
        messages.success(request, f"Invitation to {invitation.email} withdrawn.")
    return _back_to_sharing()


@student_required
@require_POST
def recommendation_done(request, pk):
    recommendation = recommendation_for_student(request.user, pk)
    services.recommendation_mark_done(recommendation=recommendation)
    if request.htmx:
        context = {"recommendation": recommendation}
        return render(request, "advisors/_recommendation_item.html", context)
    messages.success(request, "Marked done. Your advisor will see it.")
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect("home")


# --- The link in the invitation email ----------------------------------------------------------


def _invitation_page(request, check: InvitationCheck, token: str):
    context = {"check": check, "token": token, "invitation": check.invitation}
    return render(
        request, "advisors/sharing_invitation.html", context, status=LINK_STATUS[check.state]
    )


@advisor_allowed
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    check = check_invitation(token, request.user)
    if check.state == LinkState.ALREADY_YOURS:
        return redirect("advisor_student", student_id=check.invitation.student_id)
    if check.state == LinkState.READY and request.method == "POST":
        try:
            services.invitation_accept(invitation=check.invitation, advisor=request.user)
        except services.InvitationUnavailable:
            return _invitation_page(request, InvitationCheck(LinkState.USED), token)
        messages.success(request, f"You can now see {check.invitation.student}'s map.")
        return redirect("advisor_student", student_id=check.invitation.student_id)
    return _invitation_page(request, check, token)


@advisor_allowed
@require_http_methods(["GET", "POST"])
def invitation_signup(request, token):
    check = check_invitation(token, request.user)
    if check.state != LinkState.SIGN_IN or check.account_exists:
        return redirect("invitation_accept", token=token)
    form = AdvisorSignupForm(request.POST or None, email=check.invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            advisor = services.advisor_signup(invitation=check.invitation, **form.cleaned_data)
        except services.InvitationUnavailable:
            return redirect("invitation_accept", token=token)
        login(request, advisor, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome. You can now see {check.invitation.student}'s map.")
        return redirect("advisor_student", student_id=check.invitation.student_id)
    context = {"form": form, "invitation": check.invitation, "token": token}
    return render(request, "advisors/sharing_signup.html", context)
