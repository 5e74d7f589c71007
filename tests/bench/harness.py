"""Timing and query counting for the benchmarks."""

import json
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

RESULTS: dict[str, dict] = {}
OUT_DIR = Path(__file__).resolve().parents[2] / "bench-results"


def recreate_database(url: str) -> None:
    """Drop and recreate the benchmark's own database so every run starts from nothing."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not (name.startswith("advocate_bench") or name.endswith("_bench")):
        raise SystemExit(
            f"Refusing to drop {name!r}: the benchmark only recreates advocate_bench* or *_bench"
        )
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_database(url: str) -> None:
    """Create a PostgreSQL database named by `url` if it does not exist yet (never drops)."""
    import psycopg

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_requests(client, url: str, *, runs: int = 40, warmup: int = 3) -> dict:
    """Median and p95 server time (in-process, middleware and templates included) and queries."""
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # Each request would otherwise clear the log that CaptureQueriesContext counts.
    request_started.disconnect(reset_queries)
    reset_queries()  # a full log (9,000 entries) would hide every new query

    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    query_count = len(captured)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return {
        "queries": query_count,
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "runs": runs,
    }


def record(section: str, key: str, value) -> None:
    RESULTS.setdefault(section, {})[key] = value


def write_results() -> None:
    OUT_DIR.mkdir(exist_ok=True)
    for section, figures in RESULTS.items():
        (OUT_DIR / f"{section}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nFigures written to {OUT_DIR}/")
