"""Placeholder views; replaced by the work on issue 2."""

from django.http import HttpResponse


def contact_list(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def contact_create(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def contact_picker(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def contact_detail(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def contact_edit(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def contact_delete(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def contact_archive(request, **kwargs):  # placeholder
    return HttpResponse(status=501)
