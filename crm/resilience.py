"""What a request does when a part behind it is down: the cache (Redis), the broker (Redis or
the filesystem queue) or a database connection killed under it. None of them may turn a
request into a 500, least of all one whose write has already been committed.

- The cache is an optimisation. `cache_get` answers "not cached" and `cache_set` does nothing
  when the cache cannot be reached; `cache_add` and `cache_incr` say what the caller chose
  for that case. Callers compute the answer themselves instead (crm.throttle,
  reminders.evaluation.standing, the weekly email's preview button).
- A task that cannot be published is not lost: `enqueue` logs it and returns False; the
  caller's row is already written and a beat sweep sends what was not enqueued (the SOAP
  email's hourly sweep) or the caller tells the student to try again (a preview).
- `after_write` reads what a committed write left behind, once more on a fresh connection
  if the first connection was killed in between.

Each kind of outage is logged as a warning at most once a minute per process (a down Redis
would otherwise log on every request)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection, transaction

logger = logging.getLogger("advocate.resilience")

WARN_EVERY_SECONDS = 60
_last_warned: dict[str, float] = {}
_warn_lock = threading.Lock()

T = TypeVar("T")


def warn_once_a_minute(part: str, message: str, *args: Any) -> bool:
    """Log a warning about `part` (e.g. "cache") unless one was logged in the last minute.
    Returns whether it logged."""
    now = time.monotonic()
    with _warn_lock:
        last = _last_warned.get(part)
        if last is not None and now - last < WARN_EVERY_SECONDS:
            return False
        _last_warned[part] = now
    logger.warning(message, *args)
    return True


def _cache_down(operation: str, key: str, error: Exception) -> None:
    warn_once_a_minute(
        "cache",
        "Cache unreachable (%s %s: %s: %s); answering without it.",
        operation,
        key.split(":", 2)[:2],
        type(error).__name__,
        error,
    )


# The cache backends raise their client's own errors (redis.exceptions.ConnectionError,
# TimeoutError, a pickling error on a half-read value...): none of them is the request's
# business, so any exception from the cache counts as "the cache is down".


def cache_get(key: str, default: Any = None) -> Any:
    try:
        return cache.get(key, default)
    except Exception as error:
        _cache_down("get", key, error)
        return default


def cache_set(key: str, value: Any, timeout: int | None) -> bool:
    try:
        cache.set(key, value, timeout)
    except Exception as error:
        _cache_down("set", key, error)
        return False
    return True


def cache_add(key: str, value: Any, timeout: int | None, *, when_down: bool) -> bool:
    """cache.add (true if the key was not there and is now); `when_down` if the cache is down."""
    try:
        return cache.add(key, value, timeout)
    except Exception as error:
        _cache_down("add", key, error)
        return when_down


def cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception as error:
        _cache_down("delete", key, error)


def cache_incr(key: str, *, when_down: int) -> int:
    """cache.incr; ValueError if the key is missing (as Django's); `when_down` if down."""
    try:
        return cache.incr(key)
    except ValueError:
        raise
    except Exception as error:
        _cache_down("incr", key, error)
        return when_down


# --- The broker -------------------------------------------------------------------------------


def enqueue(task, *args: Any, **kwargs: Any) -> bool:
    """Publish `task` now (`task.delay`); False (logged) if the broker cannot take it. Every
    caller has its fallback; CELERY_TASK_PUBLISH_RETRY_POLICY keeps a down broker's refusal
    quick."""
    try:
        task.delay(*args, **kwargs)
    except Exception as error:  # kombu's OperationalError, a missing folder...
        warn_once_a_minute(
            f"broker:{task.name}",
            "Broker unreachable: %s not enqueued (%s: %s); its beat sweep or a retry sends it.",
            task.name,
            type(error).__name__,
            error,
        )
        return False
    return True


def enqueue_on_commit(task, *args: Any, **kwargs: Any) -> None:
    """Publish `task` once the current transaction commits (at once outside one), never
    raising into the request: the write stands whatever the broker says."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


# --- A connection killed after a commit ----------------------------------------------------


def after_write(read: Callable[[], T]) -> T:
    """Run `read` (what a view shows after its write committed); if the database connection
    was lost in between (a restart, a failover, pg_terminate_backend), drop that connection
    and read once more on a fresh one. The write is saved: the student must not see a failure
    for it. A second failure is a real outage and raises."""
    try:
        return read()
    except (OperationalError, InterfaceError) as error:
        if connection.in_atomic_block:
            raise
        warn_once_a_minute(
            "database",
            "Database connection lost after a committed write (%s: %s); reading again on a "
            "fresh connection.",
            type(error).__name__,
            error,
        )
        connection.close()
        return read()
