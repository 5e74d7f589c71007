"""Python's cyclic garbage collector, paused for work that builds many objects at once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many small objects are built and used.

    A chunk of the engine's refresh builds about a million small records (a big student on a
    page, tens of thousands), a class import as many parsed rows: tuples and dicts with no
    reference cycles, freed by reference counting alone. Left on, the collector would run
    hundreds of times, rescanning all of them: a third of the refresh's time, a tenth of a class
    import's. What cyclic garbage the work leaves is collected once it resumes. Best used as a
    decorator: the function's objects are freed before collection resumes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
