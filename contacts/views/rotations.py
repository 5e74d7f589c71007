"""Rotations and the people met on them (the team)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from contacts import selectors, services
from contacts.forms import RotationForm, TeamMemberForm, add_service_errors
from contacts.models import Rotation

ROTATIONS_PER_PAGE = 20


def _get_rotation_for_user(request, pk: int) -> Rotation:
    """The signed-in student's rotation, or 404 (also for anyone else's)."""
    rotations = Rotation.objects.owned_by(request.user).select_related("institution")
    return get_object_or_404(rotations, pk=pk)


def _save_rotation(request, form: RotationForm, rotation: Rotation | None = None):
    """Create or update from a valid form; None (with the errors on the form) if refused."""
    fields = dict(form.cleaned_data)
    institution_name = fields.pop("institution_name")
    try:
        with transaction.atomic():
            fields["institution"] = services.institution_get_or_create(
                owner=request.user, name=institution_name
            )
            if rotation is None:
                return services.rotation_create(owner=request.user, **fields)
            return services.rotation_update(rotation=rotation, **fields)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _join_team(form: TeamMemberForm, rotation: Rotation):
    """The new team member, or None with the reason on the form (e.g. already on the team)."""
    try:
        fields = {k: v for k, v in form.cleaned_data.items() if k != "confirm_new"}
        return services.team_member_join(rotation=rotation, **fields)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _rotation_context(request, rotation: Rotation, form: TeamMemberForm | None = None) -> dict:
    """What the rotation page and its team fragment show."""
    timing = selectors.rotation_timing(rotation, request.user.local_today())
    return {
        "rotation": rotation,
        "timing": timing,
        "timing_label": selectors.ROTATION_TIMING_LABELS[timing],
        "members": selectors.rotation_team(rotation),
        "team_form": form or TeamMemberForm(owner=request.user, rotation=rotation),
    }


@login_required
def rotation_list(request):
    today = request.user.local_today()
    paginator = Paginator(selectors.rotations_for_list(request.user, today), ROTATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page_obj": page, "groups": selectors.group_rotations(page.object_list)}
    return render(request, "contacts/rotation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rotation_create(request):
    form = RotationForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        rotation = _save_rotation(request, form)
        if rotation is not None:
            messages.success(request, "Rotation added. Now add the people you work with.")
            return redirect(rotation)
    return render(request, "contacts/rotation_form.html", {"form": form})


@login_required
def rotation_detail(request, pk: int):
    rotation = _get_rotation_for_user(request, pk)
    return render(request, "contacts/rotation_detail.html", _rotation_context(request, rotation))


@login_required
@require_http_methods(["GET", "POST"])
def rotation_edit(request, pk: int):
    rotation = _get_rotation_for_user(request, pk)
    form = RotationForm(request.POST or None, instance=rotation, owner=request.user)
    if request.method == "POST" and form.is_valid() and _save_rotation(request, form, rotation):
        messages.success(request, "Rotation saved.")
        return redirect(rotation)
    return render(request, "contacts/rotation_form.html", {"form": form, "rotation": rotation})


@login_required
@require_http_methods(["GET", "POST"])
def rotation_delete(request, pk: int):
    rotation = _get_rotation_for_user(request, pk)
    if request.method == "POST":
        services.rotation_delete(rotation=rotation)
        messages.success(request, f"Deleted “{rotation.name}”. The people stay in your contacts.")
        return redirect("contacts:rotation_list")
    return render(request, "contacts/rotation_confirm_delete.html", {"rotation": rotation})


@login_required
@require_POST
def team_add(request, pk: int):
    rotation = _get_rotation_for_user(request, pk)
    form = TeamMemberForm(request.POST, owner=request.user, rotation=rotation)
    member = _join_team(form, rotation) if form.is_valid() else None
    if member and not request.htmx:
        messages.success(request, f"{member.contact.name} is on the team.")
        return redirect(rotation)
    # With htmx only the team is swapped; without, the page comes back with the form's errors.
    context = _rotation_context(request, rotation, None if member else form)
    context["added"] = member
    template = "contacts/_team.html" if request.htmx else "contacts/rotation_detail.html"
    return render(request, template, context)


@login_required
@require_POST
def team_remove(request, pk: int, member_pk: int):
    rotation = _get_rotation_for_user(request, pk)
    # Through the rotation, so only a member of the student's own rotation can be found.
    member = get_object_or_404(rotation.members.select_related("contact"), pk=member_pk)
    services.team_member_remove(member=member)
    if request.htmx:
        return render(request, "contacts/_team.html", _rotation_context(request, rotation))
    messages.success(request, f"{member.contact.name} is off this rotation's team.")
    return redirect(rotation)
