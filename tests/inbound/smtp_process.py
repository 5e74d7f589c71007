"""The inbound SMTP server (`manage.py inbound_smtp`) in a process of its own, on the test's
PostgreSQL database (the server must see the test's committed rows), and a TCP relay to that
database which a test can cut and restore: the database really unreachable, no mocks."""

from __future__ import annotations

import contextlib
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.reminders.celery_process import database_url

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "advocate.test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def inbound_server(*, db_url: str | None = None, **extra_env: str) -> Iterator[int]:
    """Start the server; yield its port once it answers; stop it (its output is printed,
    which pytest shows for a failing test)."""
    if connection.vendor != "postgresql":
        pytest.skip("the server process needs the test database on PostgreSQL, as in CI")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": db_url or database_url(),
        "INBOUND_DOMAIN": DOMAIN,
        "CACHE_URL": "",
        **extra_env,
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "inbound_smtp", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("inbound_smtp did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output[-4000:])


class DatabaseRelay:
    """Relays TCP from a local port to PostgreSQL. `cut()` closes the listening socket and every
    relayed connection (connecting is then refused, as with a database down); `restore()`
    listens again on the same port."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()
        self.restore()

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{self.port}"
        return parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host).geturl()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            if self._listener is not None:
                self._listener.close()
                self._listener = None
            for pair in self._pairs:
                for sock in pair:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                        sock.close()
            self._pairs.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, 5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        sockets = [a, b]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.close()
