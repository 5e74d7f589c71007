"""The baseline the live refresh starts from: the engine's whole answer for a student on one
day (reminders.engine.live.Answer), for the records' change stamp it reflects.

Kept twice: in this process (the last few students, no copy) and in the shared cache, where
every web process, the inbound server and the workers see it. The shared copy is written by
whoever evaluated the student: the worker's full refresh (reminders.tasks.refresh_student)
for networks up to SHARED_MAX_CONTACTS, and a request's own live refresh for networks up to
SHARED_FROM_A_REQUEST_CONTACTS (copying an answer costs about 30 us a contact: a request pays
it only where it is a few milliseconds; above that, it asks the worker to share the new one).

A network larger than SHARED_MAX_CONTACTS is kept in its worker only: reading its answer back
would cost a request more than the work it saves (about 20 ms a thousand contacts), so its
writes are refreshed by the worker alone.
"""

from __future__ import annotations

import datetime
import pickle
import threading
import zlib
from collections import OrderedDict

from crm import resilience
from reminders.engine.live import Answer

SHARED_MAX_CONTACTS = 2_000
SHARED_FROM_A_REQUEST_CONTACTS = 300
SHARED_SECONDS = 60 * 60 * 26  # a day's answer, plus slack for time zones
_KEPT_HERE = 32  # students; a big network's answer is a few megabytes


_here: OrderedDict[int, tuple[str, Answer]] = OrderedDict()
_lock = threading.Lock()


def _key(student_id: int) -> str:
    return f"advocate:baseline:v1:{student_id}"


def remember(student_id: int, stamp: str, answer: Answer, *, in_a_request: bool = False) -> bool:
    """Keep `answer` (the records as of `stamp`) here and, if small enough, in the shared
    cache. Returns whether a network the shared cache takes is left unshared (a request's
    answer too large to copy there at once: the caller asks the worker)."""
    _keep_here(student_id, stamp, answer)
    size = len(answer.scores)
    if size > SHARED_MAX_CONTACTS:
        return False
    if in_a_request and size > SHARED_FROM_A_REQUEST_CONTACTS:
        return True
    blob = zlib.compress(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL), 1)
    resilience.cache_set(_key(student_id), (stamp, answer.today, blob), SHARED_SECONDS)
    return False


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
    _keep_here(student_id, stamp, answer)
    return answer


def _keep_here(student_id: int, stamp: str, answer: Answer) -> None:
    with _lock:
        _here[student_id] = (stamp, answer)
        _here.move_to_end(student_id)
        while len(_here) > _KEPT_HERE:
            _here.popitem(last=False)


def forget(student_id: int | None = None) -> None:
    """Drop what this process keeps (tests; the shared copy expires or is replaced)."""
    with _lock:
        if student_id is None:
            _here.clear()
        else:
            _here.pop(student_id, None)
