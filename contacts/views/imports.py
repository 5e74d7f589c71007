"""Import contacts: upload a file, check the preview (change a guessed role, merge or skip a
match), confirm. Plus the spreadsheet template and the CSV and Excel exports.

The uploaded bytes stay on the server (contacts.ImportUpload, the signed-in student's own,
expiring); the preview and the confirm each parse them again and plan against the contacts
as they are then, so the browser sends back nothing but the per-row choices."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm import throttle
from crm.roles import student_required

from .. import exports
from ..import_forms import ImportUploadForm
from ..importers import (
    Format,
    ImportFileError,
    apply_plan,
    choices_from_post,
    plan_import,
    read_file,
)
from ..importers.spreadsheet import template_csv
from ..importers.uploads import upload_claim, upload_expired, upload_for, upload_store
from ..vocabulary import Role


@student_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    if request.method == "POST":
        # Checked before the file is read: a flood of uploads costs a cache lookup each.
        limit = throttle.uploads_per_student()
        student_key = str(request.user.pk)
        if throttle.exceeded(limit, student_key):
            form = ImportUploadForm()
            form.full_clean()  # an unbound form, ready to carry the one error
            form.cleaned_data = {}
            form.add_error(
                None,
                f"That's a lot of uploads in a short time. Please wait {limit.minutes} minutes "
                "and try again.",
            )
            return render(request, "contacts/imports/start.html", {"form": form}, status=429)
        throttle.hit(limit, student_key)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = upload_store(
            owner=request.user,
            filename=request.FILES["file"].name,
            format=form.parsed.format,
            content=form.content,
            now=timezone.now(),
        )
        return redirect("contacts:import_preview", token=upload.token)
    status = 400 if request.method == "POST" else 200
    return render(request, "contacts/imports/start.html", {"form": form}, status=status)


def _plan_for(request, token):
    """(upload, plan), or a response when the upload is gone or unreadable."""
    upload = upload_for(owner=request.user, token=token)
    if upload is None:  # someone else's, or already imported (which deletes it)
        raise Http404("No such import.")
    if upload_expired(upload, now=timezone.now()):
        upload.delete()
        messages.error(request, "That preview has expired. Upload the file again.")
        return None, redirect("contacts:import_start")
    try:
        parsed = read_file(bytes(upload.content), upload.format)
    except ImportFileError as error:  # read once already; only a change in the rules gets here
        messages.error(request, str(error))
        return None, redirect("contacts:import_start")
    return (upload, plan_import(request.user, parsed, request.user.local_today())), None


def _role_options() -> dict[str, str]:
    """The <option>s of the role select, once per chosen role: a preview of 5,000 rows would
    otherwise loop over 65,000 options in the template (two seconds, measured)."""
    return {
        chosen: format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, " selected" if value == chosen else "", label)
                for value, label in Role.choices
            ),
        )
        for chosen in Role.values
    }


def _preview(request, upload, plan, *, problems=(), status=200):
    posted = request.POST if request.method == "POST" else {}
    options = _role_options()
    creates = []
    for planned in plan.creates:
        chosen = posted.get(f"role-{planned.line}", planned.row.role)
        creates.append((planned, options.get(chosen, options[planned.row.role])))
    context = {
        "upload": upload,
        "plan": plan,
        "format_words": Format.WORDS.get(plan.format, plan.format),
        "problems": problems,
        "posted": posted,
        "creates": creates,
        "matches": plan.matches,
        "good_rows": len(plan.creates) + len(plan.matches),
        "skipped_reasons": plan.skipped_by_reason(),
    }
    return render(request, "contacts/imports/preview.html", context, status=status)


@student_required
@require_GET
def import_preview(request, token):
    found, response = _plan_for(request, token)
    if response:
        return response
    upload, plan = found
    return _preview(request, upload, plan)


@student_required
@require_POST
def import_confirm(request, token):
    found, response = _plan_for(request, token)
    if response:
        return response
    upload, plan = found
    # All or nothing, unless the student chose "Import the good rows, skip the listed".
    skip_errors = request.POST.get("skip_errors") == "1"
    if not plan.ok and not skip_errors:
        return _preview(request, upload, plan, status=400)
    choices, problems = choices_from_post(plan, request.POST)
    if problems:
        return _preview(request, upload, plan, problems=problems, status=400)
    with transaction.atomic():
        if not upload_claim(upload):
            messages.info(request, "This file was already imported.")
            return redirect("contacts:list")
        result = apply_plan(owner=request.user, plan=plan, choices=choices, skip_errors=skip_errors)
    messages.success(request, f"{result.summary()}.")
    return redirect("contacts:list")


@student_required
@require_GET
def import_template(request):
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="advocate-contacts-template.csv"'
    return response


@student_required
@require_GET
def export_csv(request):
    body = exports.csv_zip(request.user)
    response = HttpResponse(body, content_type="application/zip")
    filename = f"advocate-{request.user.local_today().isoformat()}-csv.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@student_required
@require_GET
def export_xlsx(request):
    response = HttpResponse(exports.workbook(request.user), content_type=XLSX_TYPE)
    filename = f"advocate-{request.user.local_today().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
