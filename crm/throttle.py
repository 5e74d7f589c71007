"""Simple rate limits for the account pages: how many times a key (a client address, an
account's email) may do something in a window.

    throttle.hit(limit, key)      counts one event
    throttle.exceeded(limit, key) True once the window holds `limit.count` events

Counts live in the cache (fixed windows, `cache.add` + `cache.incr`, atomic on Redis and in
local memory). With several web processes, set CACHE_URL to a shared Redis, or each process
counts on its own. Keys are hashed, so no email address is stored as a cache key.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, round(self.seconds / 60))


def login_failures_per_address() -> Limit:
    return Limit("login-address", settings.LOGIN_FAILURES_PER_ADDRESS, 15 * 60)


def password_resets_per_address() -> Limit:
    return Limit("reset-address", settings.PASSWORD_RESETS_PER_ADDRESS, 60 * 60)


def password_resets_per_account() -> Limit:
    return Limit("reset-account", settings.PASSWORD_RESETS_PER_ACCOUNT, 60 * 60)


def _key(limit: Limit, key: str) -> str:
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{limit.name}:{digest}"


def hit(limit: Limit, key: str) -> int:
    """Count one event for `key`; returns the count in the current window."""
    cache_key = _key(limit, key)
    cache.add(cache_key, 0, timeout=limit.seconds)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(cache_key, 1, timeout=limit.seconds)
        return 1


def exceeded(limit: Limit, key: str) -> bool:
    return (cache.get(_key(limit, key)) or 0) >= limit.count


def client_address(request) -> str:
    # The same address django-axes counts (AXES_IPWARE_META_PRECEDENCE_ORDER).
    return request.META.get("REMOTE_ADDR", "") or "unknown"
