"""Settings → Red flags: the student adds, edits and deletes the red flags on their record.

Only the signed-in student's own (another student's is a 404; advisors are refused by the
advisor middleware). Never shown to anyone else but an advisor they share with, when marked;
never in an email subject (reminders.engine.red_flags)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from contacts import services
from contacts.forms import RedFlagForm, add_service_errors
from contacts.models import RedFlag


def _get_red_flag_for_user(request, pk: int) -> RedFlag:
    return get_object_or_404(RedFlag.objects.owned_by(request.user), pk=pk)


@login_required
@require_POST
def red_flag_create(request):
    form = RedFlagForm(request.POST)
    if form.is_valid():
        try:
            services.red_flag_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Red flag saved. Only you see it.")
            return redirect("settings_section", "red-flags")
    return render(request, "contacts/red_flag_form.html", {"form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def red_flag_edit(request, pk: int):
    red_flag = _get_red_flag_for_user(request, pk)
    form = RedFlagForm(request.POST or None, instance=red_flag)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.red_flag_update(red_flag=red_flag, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Red flag saved.")
                return redirect("settings_section", "red-flags")
        return render(
            request, "contacts/red_flag_form.html", {"form": form, "red_flag": red_flag}, 400
        )
    return render(request, "contacts/red_flag_form.html", {"form": form, "red_flag": red_flag})


@login_required
@require_POST
def red_flag_delete(request, pk: int):
    services.red_flag_delete(red_flag=_get_red_flag_for_user(request, pk))
    messages.success(request, "Red flag deleted.")
    return redirect("settings_section", "red-flags")
