"""Logs an operator can read: every line carries the request id (or the task's) and the user's
id, never an email, a name or a note; one line per request and one per task; JSON with
LOG_FORMAT=json (crm.settings, LOGGING).

A request keeps the id its proxy sent in X-Request-ID when it looks like an id (letters, digits
and `._:-`, at most 64 characters); otherwise it gets a new one. Either way the response says it
in X-Request-ID, and a task queued during the request carries it to the worker."""

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
user_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")

request_logger = logging.getLogger("advocate.request")
task_logger = logging.getLogger("advocate.task")

# The extra fields a request's or a task's line carries (and nothing else a record holds: a
# record of django.request carries the whole request, which must never be written out).
EXTRA_FIELDS = ("method", "route", "view", "status", "duration_ms", "task", "task_id", "state")


def safe_request_id(value: str | None) -> str:
    """The incoming id if it looks like one, else a new one."""
    if value and _SAFE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class ContextFilter(logging.Filter):
    """Puts the current request (or task) id and user id on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "user_id"):
            record.user_id = user_id_var.get()
        return True


class TextFormatter(logging.Formatter):
    """`2026-12-07T18:20:01.123Z INFO advocate.request [rid user=7] GET ... 200 12ms`"""

    def format(self, record: logging.LogRecord) -> str:
        line = (
            f"{_timestamp(record)} {record.levelname} {record.name} "
            f"[{getattr(record, 'request_id', '-')} user={getattr(record, 'user_id', '-')}] "
            f"{record.getMessage()}"
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, request_id, user_id, message, and the
    request's or task's fields."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", "-"),
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                data[field] = getattr(record, field)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class RequestLogMiddleware:
    """First in MIDDLEWARE: gives the request its id, answers it in X-Request-ID, and writes one
    line when the response is ready: method, route (the URL pattern, never the path, which may
    hold a reset token or a search), view, status, duration and the user's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request_id = safe_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        rid_token = request_id_var.set(request_id)
        user_token = user_id_var.set("-")
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            user = getattr(request, "user", None)
            if user is not None and getattr(user, "is_authenticated", False):
                user_id_var.set(str(user.pk))
            match = getattr(request, "resolver_match", None)
            level = logging.INFO
            if getattr(request, "quiet_log", False) and response.status_code < 400:
                level = logging.DEBUG  # a health probe every few seconds would drown the rest
            request_logger.log(
                level,
                "%s %s %s %dms",
                request.method,
                f"/{match.route}" if match else "-",
                response.status_code,
                (time.monotonic() - started) * 1000,
                extra={
                    "request_id": request_id,
                    "user_id": user_id_var.get(),
                    "method": request.method,
                    "route": f"/{match.route}" if match else None,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(rid_token)
            user_id_var.reset(user_token)


# Celery: the request id travels with a task queued during a request; the worker writes one
# line per task with its name, id, outcome and duration (crm.celery connects these).
_task_started: dict[str, float] = {}


def add_request_id_header(headers=None, **kwargs) -> None:
    if headers is not None and request_id_var.get() != "-":
        headers.setdefault("request_id", request_id_var.get())


def task_started(task_id=None, task=None, **kwargs) -> None:
    incoming = getattr(getattr(task, "request", None), "request_id", None)
    request_id_var.set(incoming if incoming and _SAFE_ID.fullmatch(incoming) else str(task_id))
    user_id_var.set("-")
    _task_started[task_id] = time.monotonic()


def task_finished(task_id=None, task=None, state=None, **kwargs) -> None:
    started = _task_started.pop(task_id, None)
    duration = (time.monotonic() - started) * 1000 if started is not None else 0.0
    name = getattr(task, "name", "?")
    task_logger.log(
        logging.INFO if state in ("SUCCESS", "RETRY", None) else logging.WARNING,
        "%s %s %dms",
        name,
        state,
        duration,
        extra={
            "request_id": request_id_var.get(),
            "user_id": "-",
            "task": name,
            "task_id": task_id,
            "state": state,
            "duration_ms": round(duration, 1),
        },
    )
    request_id_var.set("-")


class StderrHandler(logging.StreamHandler):
    """A StreamHandler that writes to whatever sys.stderr is when a line is emitted, not the
    stream it found at start-up: a thread that logs after a test runner swapped stderr back
    (a live server, an SMTP server) then writes to the real one instead of a closed file."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass
