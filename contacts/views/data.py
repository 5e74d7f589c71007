"""The student's own data file: download it, or import one (settings → Your data).

Both views only ever act on request.user: there is no id in the URL to tamper with, and an
imported file's "student.email" is ignored, so a file can never switch accounts.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from crm.views import settings_context

from .. import datafile
from ..datafile_forms import DataFileUploadForm


@login_required
@require_GET
def data_export(request):
    document = datafile.export_document(request.user)
    response = HttpResponse(
        datafile.dumps(document), content_type="application/json; charset=utf-8"
    )
    filename = f"advocate-{request.user.local_today().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def data_import(request):
    if not request.user.is_student:
        return HttpResponseForbidden("Only students keep records.")
    form = DataFileUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = datafile.import_document(form.document, student=request.user)
        except datafile.DataFileError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"{result.summary()}.")
            return redirect("settings")
    context = settings_context(request, data_form=form)
    return render(request, "crm/settings.html", context, status=400)
