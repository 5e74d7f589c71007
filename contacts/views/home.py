"""Home: the quick-log within thumb reach, and what was logged lately below it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .interactions import quick_log_context


@login_required
@require_GET
def home(request):
    return render(request, "contacts/home.html", quick_log_context(request))
