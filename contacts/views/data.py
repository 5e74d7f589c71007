"""The student's own data file, downloaded (settings → Your data). The upload re-renders the
settings page when it refuses a file, so it lives with that page (pages/settings.py).

It only ever acts on request.user: there is no id in the URL to tamper with.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from .. import datafile


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
