"""Development: `make run` stops everything it started however it ends, links in emails follow
the port it serves, and the filesystem broker keeps all its folders under var/."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Stands in for honcho: a process that starts a grandchild (runserver, celery) and writes both
# pids down.
TREE = textwrap.dedent(
    """
    import subprocess, sys, time
    grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    with open(sys.argv[1], "w") as f:
        f.write(f"{__import__('os').getpid()} {grandchild.pid}")
    time.sleep(300)
    """
)

# Stands in for make: runs the launcher as its child, the way the Makefile's `exec` does.
MAKE = textwrap.dedent(
    """
    import subprocess, sys
    subprocess.Popen([sys.executable, "-m", "crm.devserver", *sys.argv[1:]]).wait()
    """
)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has stopped


def _wait_for(path: Path) -> list[int]:
    for _ in range(100):
        if path.exists() and path.read_text():
            return [int(pid) for pid in path.read_text().split()]
        time.sleep(0.1)
    raise AssertionError("the process tree never started")


def _all_stopped(pids: list[int]) -> bool:
    for _ in range(100):
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc")
@pytest.mark.parametrize("how", ["term_to_make", "kill_make", "ctrl_c"])
def test_stopping_make_run_any_way_stops_everything_it_started(tmp_path, how):
    pids_file = tmp_path / "pids"
    tree = [sys.executable, "-c", TREE, str(pids_file)]
    make = subprocess.Popen([sys.executable, "-c", MAKE, *tree], cwd=ROOT, start_new_session=True)
    pids = _wait_for(pids_file)
    try:
        if how == "term_to_make":
            make.send_signal(signal.SIGTERM)
        elif how == "kill_make":
            make.kill()
        else:
            os.killpg(make.pid, signal.SIGINT)  # the terminal's Ctrl-C, to the foreground group
        assert _all_stopped(pids), f"still running after {how}: {pids}"
    finally:
        for pid in pids:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        make.kill()
        make.wait()


# Stands in for honcho at its worst: a process that starts a grandchild in a session of its own
# (as honcho starts each process) which, like a Celery worker's warm shutdown, ignores TERM.
STUBBORN_TREE = textwrap.dedent(
    """
    import subprocess, sys, time
    grandchild = subprocess.Popen(
        [sys.executable, "-c",
         "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)"],
        start_new_session=True,
    )
    with open(sys.argv[1], "w") as f:
        f.write(f"{__import__('os').getpid()} {grandchild.pid}")
    time.sleep(300)
    """
)


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc")
def test_make_run_is_gone_within_five_seconds_of_a_term_to_make(tmp_path):
    from crm.devserver import GRACE_SECONDS

    pids_file = tmp_path / "pids"
    tree = [sys.executable, "-c", STUBBORN_TREE, str(pids_file)]
    make = subprocess.Popen([sys.executable, "-c", MAKE, *tree], cwd=ROOT, start_new_session=True)
    pids = _wait_for(pids_file)
    time.sleep(0.5)  # the grandchild has set its TERM aside
    try:
        started = time.monotonic()
        make.send_signal(signal.SIGTERM)
        make.wait(timeout=10)
        assert _all_stopped(pids)
        took = time.monotonic() - started
        assert took < 5, f"took {took:.1f} s"
        assert took >= GRACE_SECONDS - 0.5  # the stubborn one was given its grace, then killed
    finally:
        for pid in pids:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        make.kill()
        make.wait()


def _settings_with(**env) -> dict:
    code = (
        "import json, django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'crm.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SITE_URL, s.CELERY_BROKER_TRANSPORT_OPTIONS]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "REDIS_URL"}}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def test_links_in_emails_follow_the_port_make_run_serves():
    site_url, _ = _settings_with(ADVOCATE_PORT="8310", SITE_URL="")
    assert site_url == "http://127.0.0.1:8310"
    site_url, _ = _settings_with(ADVOCATE_PORT="8310", SITE_URL="https://advocate.example.edu")
    assert site_url == "https://advocate.example.edu"


def test_every_folder_of_the_filesystem_broker_is_under_var():
    _, options = _settings_with(SITE_URL="")
    folders = [value for key, value in options.items() if key.endswith("_folder")]
    assert {"data_folder_in", "processed_folder", "control_folder"} <= set(options)
    assert all(Path(folder).is_relative_to(ROOT / "var") for folder in folders)
