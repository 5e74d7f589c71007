"""An SMTP sink in a process of its own, for the mail benchmarks: Postfix's `smtp-sink` (a C
server made for measuring mail throughput; Debian: `apt-get install postfix`, nothing needs to
run) when it is on the PATH, else aiosmtpd with CountingSink below. In its own process, so
the sender measured shares neither its interpreter nor its GIL with the server.

Both print "mesg=N" after each message (smtp-sink's -c counters), read back at the end."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator


class CountingSink:
    """aiosmtpd's handler for the fallback (`python -m aiosmtpd -c ...CountingSink`)."""

    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages += 1
        print(f"mesg={self.messages}", end="\r", flush=True)
        return "250 OK"


@dataclasses.dataclass
class Sink:
    name: str
    port: int
    received: int = 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_sink() -> Iterator[Sink]:
    """A sink listening on 127.0.0.1 until the block ends; `received` is then its count."""
    port = _free_port()
    address = f"127.0.0.1:{port}"
    if postfix := shutil.which("smtp-sink") or shutil.which("/usr/sbin/smtp-sink"):
        as_root = ["-u", "nobody"] if os.geteuid() == 0 else []
        command, name = [postfix, "-c", *as_root, address, "256"], "Postfix smtp-sink"
    else:
        handler = f"{__name__}.{CountingSink.__name__}"
        command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", handler, "-l", address]
        name = "aiosmtpd (a process of its own)"
    sink = Sink(name=name, port=port)
    # Its counters go to a file: a pipe nobody reads until the end fills after a few thousand
    # messages, and the sink then stops answering in the middle of a session.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while True:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), 1),
                ):
                    break
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{name} did not start on {address}")
                time.sleep(0.05)
            yield sink
        finally:
            process.terminate()
            process.wait(timeout=10)
            log.seek(0)
            counts = re.findall(rb"mesg=(\d+)", log.read())
            sink.received = int(counts[-1]) if counts else 0
