"""Placeholder home; replaced by the quick-log page."""

from django.http import HttpResponse


def home(request):  # placeholder
    return HttpResponse(status=501)
