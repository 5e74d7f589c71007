"""Helpers for the weekly email tests (tests/test_digest_*.py): nudges, visible text of an
HTML email, and a real local SMTP server."""

from __future__ import annotations

import datetime
import re
import socket
import threading
from collections.abc import Callable
from html.parser import HTMLParser
from typing import TypeVar

import pytest
from django.db import connections

from reminders.models import Nudge

T = TypeVar("T")


def make_nudge(owner, *, contact=None, kind="follow_up", due, reason=None, key=None, **fields):
    number = Nudge.objects.count() + 1
    return Nudge.objects.create(
        owner=owner,
        contact=contact,
        kind=kind,
        key=key or f"{kind}:{number}:{due.isoformat()}",
        occasion_on=fields.pop("occasion_on", due - datetime.timedelta(days=7)),
        due=due,
        reason=reason or f"Reason number {number}: send a short, friendly note.",
        **fields,
    )


class _TextOf(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title", "head"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title", "head"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader sees in an HTML email, whitespace collapsed (entities decoded)."""
    parser = _TextOf()
    parser.feed(html)
    return squash(" ".join(parser.parts))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def free_port() -> int:
    """aiosmtpd's Controller(port=0) does not work: ask the OS for a free port first."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture(name="smtp_server")
def smtp_server_fixture(settings):
    """A real SMTP server on a free local port, with Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    # pytest-django forces the locmem backend: a real-SMTP test must choose SMTP itself.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


def at_once(workers: int, work: Callable[[], T]) -> list[T]:
    """Run `work` in `workers` threads let go together (a barrier), as that many workers would
    meet the same rows, each on its own database connection; what each returned (the test
    fails on any error one raised)."""
    barrier, results, errors = threading.Barrier(workers), [], []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results
