"""The baseline the live refresh starts from: the engine's whole answer for a student on one
day (reminders.engine.live.Answer), for the records' change stamp it reflects.

Kept twice: in this process (the last few students, no copy) and in the shared cache, where
every web process, the inbound server and the workers see it. The shared copy is written by
whoever evaluated the student in full, which is never a user's request: the refresh task after
a write or after a page found nothing for today (reminders.tasks.refresh_student_soon), and a
request's own live refresh, which starts from a baseline and leaves the next one.

A network larger than SHARED_MAX_CONTACTS is kept in its worker only: reading its answer back
would cost a request more than the work it saves (about 20 ms a thousand contacts), so its
writes are refreshed by the task alone.
"""

from __future__ import annotations

import copyreg
import datetime
import pickle
import threading
import types
import zlib
from collections import OrderedDict

from crm import resilience
from reminders.engine.live import Answer

SHARED_MAX_CONTACTS = 2_000
SHARED_SECONDS = 60 * 60 * 26  # a day's answer, plus slack for time zones
_KEPT_HERE = 32  # students; a big network's answer is a few megabytes


def _mapping_proxy(mapping: dict) -> types.MappingProxyType:
    return types.MappingProxyType(mapping)


# The engine's conf hands its read-only mappings to the scores (the weights a part used);
# pickle copies each once per answer.
copyreg.pickle(types.MappingProxyType, lambda proxy: (_mapping_proxy, (dict(proxy),)))

_here: OrderedDict[int, tuple[str, Answer]] = OrderedDict()
_lock = threading.Lock()


def _key(student_id: int) -> str:
    return f"advocate:baseline:v1:{student_id}"


def remember(student_id: int, stamp: str, answer: Answer, *, share: bool = True) -> None:
    """Keep `answer` (the records as of `stamp`) here and, if `share` and small enough, in the
    shared cache."""
    with _lock:
        _here[student_id] = (stamp, answer)
        _here.move_to_end(student_id)
        while len(_here) > _KEPT_HERE:
            _here.popitem(last=False)
    if share and len(answer.scores) <= SHARED_MAX_CONTACTS:
        blob = zlib.compress(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL), 1)
        resilience.cache_set(_key(student_id), (stamp, answer.today, blob), SHARED_SECONDS)


def recall(student_id: int, stamp: str, today: datetime.date) -> Answer | None:
    """The answer for exactly this state of the records (stamp) and day, from this process or
    the shared cache; None if neither has it."""
    with _lock:
        kept = _here.get(student_id)
    if kept is not None and kept[0] == stamp and kept[1].today == today:
        return kept[1]
    shared = resilience.cache_get(_key(student_id))
    if shared is None or shared[0] != stamp or shared[1] != today:
        return None
    try:
        answer = pickle.loads(zlib.decompress(shared[2]))
    except Exception:  # written by another release of the engine: evaluate again
        return None
    with _lock:
        _here[student_id] = (stamp, answer)
        _here.move_to_end(student_id)
    return answer


def has_for(student_id: int, today: datetime.date) -> bool:
    """Whether any process has left a baseline for this student's `today` (whatever stamp)."""
    with _lock:
        kept = _here.get(student_id)
    if kept is not None and kept[1].today == today:
        return True
    shared = resilience.cache_get(_key(student_id))
    return shared is not None and shared[1] == today


def forget(student_id: int | None = None) -> None:
    """Drop what this process keeps (tests; the shared copy expires or is replaced)."""
    with _lock:
        if student_id is None:
            _here.clear()
        else:
            _here.pop(student_id, None)
