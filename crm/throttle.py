"""Simple rate limits for the account pages: how many times a key (a client address, an
account's email) may do something in a window.

    throttle.hit(limit, key)      counts one event
    throttle.exceeded(limit, key) True once the window holds `limit.count` events

Counts live in the cache (fixed windows, `cache.add` + `cache.incr`, atomic on Redis and in
local memory). With several web processes, set CACHE_URL to a shared Redis, or each process
counts on its own. Keys are hashed, so no email address is stored as a cache key.

The cache down, the throttles fail open: nothing is counted and nothing is refused (a warning
is logged once a minute, crm.resilience). Refusing everyone because Redis restarted would be
the outage the limits exist to prevent; the limits that must hold without the cache live in
the database (django-axes' per-account failures, the per-student upload bytes).

The client address: behind PROXY_COUNT reverse proxies (settings), the address the nearest of
them saw, read from X-Forwarded-For (see `client_address`); django-axes reads the same.
"""

import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings

from crm import resilience


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


def uploads_per_student() -> Limit:
    return Limit("upload-student", settings.IMPORT_UPLOADS_PER_STUDENT, 10 * 60)


def _key(limit: Limit, key: str) -> str:
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{limit.name}:{digest}"


def hit(limit: Limit, key: str) -> int:
    """Count one event for `key`; returns the count in the current window."""
    cache_key = _key(limit, key)
    resilience.cache_add(cache_key, 0, limit.seconds, when_down=False)
    try:
        return resilience.cache_incr(cache_key, when_down=0)
    except ValueError:  # expired between add and incr: a new window
        resilience.cache_add(cache_key, 1, limit.seconds, when_down=False)
        return 1


def exceeded(limit: Limit, key: str) -> bool:
    return (resilience.cache_get(_key(limit, key)) or 0) >= limit.count


def client_address(request) -> str:
    """The client's address as this site can know it. With PROXY_COUNT = 0 (the default):
    REMOTE_ADDR, and X-Forwarded-For is ignored (anyone can send one). With N reverse proxies
    in front (the TLS proxy, a load balancer), each appends the address it received from, so
    the client is the Nth entry from the right; entries further left were written by the
    client and are not trusted. A header with fewer entries than proxies (a request that
    bypassed them), or not an address there, falls back to REMOTE_ADDR."""
    return axes_client_address(request) or "unknown"


def axes_client_address(request) -> str | None:
    """The same address for django-axes (AXES_CLIENT_IP_CALLABLE), None when there is none."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote
