"""Running requests at the same moment, over real database connections (PostgreSQL)."""

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection

on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="races need real concurrent connections: run with DATABASE_URL=postgres://…",
)


def released_together(count: int, act: Callable[[int], object]) -> list[object]:
    """Run act(0) … act(count - 1) in `count` threads released by one barrier; each thread
    has its own database connection. Returns each result (or the exception it raised)."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            prepared = act(index)  # a generator: setup, yield, then the racing step
            next(prepared)
            barrier.wait(timeout=30)
            try:
                next(prepared)
            except StopIteration as done:
                results[index] = done.value
        except Exception as error:  # reported to the test, which asserts on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
