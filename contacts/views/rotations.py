"""Placeholder views; replaced by the work on issue 2."""

from django.http import HttpResponse


def rotation_list(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def rotation_create(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def rotation_detail(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def rotation_edit(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def rotation_delete(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def team_add(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def team_remove(request, **kwargs):  # placeholder
    return HttpResponse(status=501)
