"""Placeholder views; replaced by the work on issue 2."""

from django.http import HttpResponse


def interaction_create(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def interaction_edit(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def interaction_delete(request, **kwargs):  # placeholder
    return HttpResponse(status=501)
