"""`GET /healthz`: is this web process able to serve? The database and the cache each answer, or
503. For the container's health check and a load balancer: no login, no session, no host check
(the probe asks for 127.0.0.1, not the public name), no HTTPS redirect, two tiny queries.

It is answered by a middleware near the top of MIDDLEWARE, before anything that would read the
session, redirect to HTTPS or check the Host header. `manage.py health` is the other check: it
asks whether reminders are flowing (beat, the worker, emails), which is the worker's concern."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

PATH = "/healthz"


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Health check: the database did not answer", exc_info=True)
        return "error"
    return "ok"


def _cache() -> str:
    try:
        cache.set("advocate:healthz", "ok", timeout=10)
        if cache.get("advocate:healthz") != "ok":
            raise RuntimeError("the cache did not keep a value")
    except Exception:
        logger.warning("Health check: the cache did not answer", exc_info=True)
        return "error"
    return "ok"


def healthz_response() -> JsonResponse:
    checks = {"database": _database(), "cache": _cache()}
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse(checks, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response


class HealthzMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            request.quiet_log = True  # logged at DEBUG when healthy (crm.logs)
            return healthz_response()
        return self.get_response(request)
