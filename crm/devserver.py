"""`make run`'s launcher: runs a command (honcho and its web, worker and beat) in its own
process group and stops that whole group however `make run` ends — Ctrl-C, a TERM sent to
make, or make dying outright — so nothing is left serving.

    python -m crm.devserver honcho start -f Procfile.dev

make does not forward a TERM to its recipe, so the Makefile `exec`s this launcher (make is its
parent) and the launcher asks Linux for a signal when its parent dies (PR_SET_PDEATHSIG),
polling its parent elsewhere."""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
GRACE_SECONDS = 10


def _die_with_parent() -> None:
    # Not Linux: no prctl, and the watcher thread in main() notices instead.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop(child: subprocess.Popen) -> None:
    """TERM to the whole group, then KILL whatever is still there after a grace period."""
    if child.poll() is not None:
        return
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m crm.devserver COMMAND [ARG...]", file=sys.stderr)
        return 2
    parent = os.getppid()
    _die_with_parent()
    child = subprocess.Popen(argv, start_new_session=True)

    def on_signal(signum, frame):
        _stop(child)
        sys.exit(128 + signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)

    def watch_parent():
        while child.poll() is None:
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            time.sleep(0.5)

    threading.Thread(target=watch_parent, daemon=True).start()
    return child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
