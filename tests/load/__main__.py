"""`make loadtest`: 50 students at once against the app as production runs it.

Starts gunicorn (DEBUG=false, the production settings, PostgreSQL and Redis from the
environment) on 127.0.0.1 and a Celery worker (one process), seeds the demo student and 50
students of 40 contacts and 150 interactions, runs locust headless for 60 s with 50 users
(home, contact list, contact page, quick-log POST, letters), prints requests/s,
p50/p95/p99 and errors per page, and stops everything it started. Exits 1 if any request failed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/advocate_load \\
    REDIS_URL=redis://127.0.0.1:6379/3 make loadtest

Knobs (environment): LOADTEST_PORT (8710), LOADTEST_USERS (50), LOADTEST_SECONDS (60),
WEB_CONCURRENCY (gunicorn workers, 2), CONN_MAX_AGE (production default 60).
"""

import csv
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "loadtest"


def _environment() -> dict[str, str]:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "make loadtest needs DATABASE_URL=postgres://… (a database it may fill with load "
            "students) and REDIS_URL=redis://…"
        )
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("make loadtest needs REDIS_URL=redis://… (the broker and shared cache)")
    port = os.environ.get("LOADTEST_PORT", "8710")
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("LOADTEST_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        # Plain http on loopback: no TLS to redirect to, cookies sent without it.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        # Several web processes share one cache (the engine's cached standing), as in production.
        "CACHE_URL": os.environ.get("CACHE_URL") or os.environ["REDIS_URL"],
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "crm.settings",
    }


def _manage(env, *args) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _seed(env) -> None:
    code = "import django; django.setup(); from tests.load.seed import seed; print(seed())"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def _wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # its own process group: the master and workers
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _report(stats_csv: Path, load_before: str, load_after: str) -> int:
    rows = list(csv.DictReader(stats_csv.open()))
    print(f"\n{'request':<18}{'count':>8}{'errors':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}")
    failures = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        failures += int(row["Failure Count"]) if name == "ALL" else 0
        print(
            f"{name:<18}{row['Request Count']:>8}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
        )
    print("(times in ms)")
    # Everything here (gunicorn, the worker, PostgreSQL, Redis and locust itself) shares the
    # machine: the load average says how busy it was, and whether anything else ran.
    print(f"load average (1, 5, 15 min): {load_before} before the run, {load_after} at its end")
    return 1 if failures else 0


def main() -> int:
    env = _environment()
    port = env.get("LOADTEST_PORT", "8710")
    users = env.get("LOADTEST_USERS", "50")
    seconds = env.get("LOADTEST_SECONDS", "60")
    OUT.mkdir(parents=True, exist_ok=True)
    print("Migrating, collecting static files and seeding…")
    from tests.bench.harness import ensure_database

    ensure_database(env["DATABASE_URL"])  # a fresh machine has no load-test database yet
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    _seed(env)
    server = worker = locust = None
    # The server's access and application logs (~1,500 lines a run) go to a file, so the
    # command ends with its summary table; the file stays for a look afterwards.
    server_log_path = OUT / "server.log"
    server_log = server_log_path.open("w")
    try:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "crm.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", env.get("WEB_CONCURRENCY", "2"), "--timeout", "30",
             "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True, stdout=server_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        # The worker a write's refresh is left to when no baseline is kept (reminders.reactions).
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "crm", "worker", "--concurrency", "1",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, start_new_session=True, stdout=server_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        _wait_until_up(f"http://127.0.0.1:{port}/accounts/login/")
        load_before = _load_average()
        print(f"gunicorn up on 127.0.0.1:{port}; {users} users for {seconds} s…")
        locust = subprocess.Popen(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "tests" / "load" / "locustfile.py"),
             "--headless", "--users", users, "--spawn-rate", users, "--run-time", f"{seconds}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(OUT / "locust"),
             "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
            stderr=server_log,
        )  # fmt: skip
        locust.wait(timeout=int(seconds) + 60)
        load_after = _load_average()
    finally:
        _stop(locust)
        _stop(server)
        _stop(worker)
        server_log.close()
    print(f"Server and locust logs: {server_log_path.relative_to(ROOT)}")
    return _report(OUT / "locust_stats.csv", load_before, load_after)


if __name__ == "__main__":
    sys.exit(main())
