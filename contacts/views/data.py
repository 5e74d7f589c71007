"""Placeholder views; replaced by the work on issue 2."""

from django.http import HttpResponse


def data_export(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def data_import(request, **kwargs):  # placeholder
    return HttpResponse(status=501)
