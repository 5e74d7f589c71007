"""Placeholder views; replaced by the work on issue 2."""

from django.http import HttpResponse


def letter_board(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def letter_create(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def letter_detail(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def letter_edit(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def letter_delete(request, **kwargs):  # placeholder
    return HttpResponse(status=501)


def letter_advance(request, **kwargs):  # placeholder
    return HttpResponse(status=501)
