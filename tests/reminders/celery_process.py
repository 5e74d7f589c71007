"""A real Celery worker in another process, for the tests that check the wiring a student relies
on: settings -> broker (Redis) -> worker -> database (PostgreSQL: the worker must see the test's
committed rows)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, as the worker process must reach it."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker on the test's database and broker, plus `extra`."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (REDIS_URL), as in CI")
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **extra,
    }


@contextlib.contextmanager
def celery_worker(**extra_env: str) -> Iterator[str]:
    """One worker on a queue of its own (yielded); its last output is printed when it stops,
    which pytest shows for a failing test."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "crm", "worker", "--pool=solo", "-Q", queue,
         "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT, env=worker_env(**extra_env), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        yield queue
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output[-3000:])


class KillableWorkers:
    """Workers on one queue of their own that a test starts, SIGKILLs and starts again (a
    task's redelivery to another worker); every one still running is stopped at `stop()`."""

    def __init__(self, env: dict[str, str], prefix: str = "test-killed"):
        self.env = env
        self.queue = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self.started: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "crm", "worker", "--pool=solo", "-Q",
             self.queue, "--include", "tests.reminders.worker_tasks", "--without-mingle",
             "--without-gossip", "--without-heartbeat", "--loglevel=INFO"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.started.append(process)
        return process

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def wait_for(condition, *, seconds: float, what: str, every: float = 0.2) -> None:
    """Poll `condition` until it holds, or fail saying what never happened."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    raise AssertionError(f"waited {seconds} s for {what}")
