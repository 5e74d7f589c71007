"""`make run`'s launcher: runs a command (honcho and its web, worker and beat) in its own
process group and stops that whole group however `make run` ends — Ctrl-C, a TERM sent to
make, or make dying outright — so nothing is left serving.

    python -m crm.devserver honcho start -f Procfile.dev

make does not forward a TERM to its recipe, so the Makefile `exec`s this launcher (make is its
parent) and the launcher asks Linux for a signal when its parent dies (PR_SET_PDEATHSIG),
polling its parent elsewhere.

Everything is gone within about GRACE_SECONDS: honcho starts each process in a session of its
own, out of reach of a signal to honcho's group, and a TERM to that group also ends honcho's
relays, so honcho itself would wait forever for their "stopped" messages. The launcher therefore
signals every process below it, group by group, itself: TERM, then KILL to whatever is left
after the grace period (the Celery worker's warm shutdown alone takes about 5 s)."""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
GRACE_SECONDS = 3


def _die_with_parent() -> None:
    # Not Linux: no prctl, and the watcher thread in main() notices instead.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _descendants(root: int) -> set[int]:
    """Every process below root, from /proc (empty where there is no /proc)."""
    children: dict[int, list[int]] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit() and (fields := _stat(int(entry.name))):
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            if pid not in found:
                found.add(pid)
                todo.append(pid)
    return found


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    if fields is None:  # no /proc: ask the kernel (a zombie counts as alive here)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return fields[0] not in ("Z", "X")


def _signal_all(pids: set[int], groups: set[int], signum: int) -> None:
    for group in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signum)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _stop(child: subprocess.Popen) -> None:
    """TERM to every process below the launcher (and their groups), then KILL whatever is
    still there after the grace period."""
    pids = {child.pid} | _descendants(child.pid)
    groups = {child.pid}
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            groups.add(os.getpgid(pid))
    groups.discard(os.getpgrp())  # never the launcher's own group (make's)
    _signal_all(pids, groups, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        child.poll()  # reap honcho, so it does not count as alive
        pids = {pid for pid in pids if _alive(pid)}
        if not pids:
            break
        time.sleep(0.05)
    else:
        _signal_all(pids, groups, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=0.5)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m crm.devserver COMMAND [ARG...]", file=sys.stderr)
        return 2
    parent = os.getppid()
    _die_with_parent()
    child = subprocess.Popen(argv, start_new_session=True)

    stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def on_signal(signum, frame):
        # Once: a second signal (make's TERM and then the parent-death one, or the watcher's)
        # must not cut the first stop short.
        for other in stop_signals:
            signal.signal(other, signal.SIG_IGN)
        _stop(child)
        sys.exit(128 + signum)

    for signum in stop_signals:
        signal.signal(signum, on_signal)

    def watch_parent():
        while child.poll() is None:
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            time.sleep(0.5)

    threading.Thread(target=watch_parent, daemon=True).start()
    # Polling, not child.wait(): a signal arriving inside wait() would run on_signal while wait
    # holds Popen's lock, and the stop could not reap honcho (it would wait out a timeout).
    while (returncode := child.poll()) is None:
        time.sleep(0.1)
    return returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
