"""`make bench` section "live" (issue 9): log an interaction, then open This week, for one
student with 500, 5,000 and 20,000 contacts (10 interactions each). The POST stores the
interaction and refreshes the student's nudges on commit (reminders.reactions); the GET draws
This week from what that refresh stored and cached. Timed as a pair, in-process."""

import datetime
import random
import statistics
import time

from tests.bench import harness

SIZES = (500, 5_000, 20_000)
RUNS = 40


def live() -> None:
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.urls import reverse

    from tests.bench.sections import _bulk_student, _QueryCounter

    print("\n== Live: log an interaction, then open This week (10 interactions per contact)")
    print(
        f"{'contacts':>8} {'first (full)':>13} {'median ms':>10} {'p95 ms':>8} "
        f"{'queries':>8} {'post ms':>8} {'get ms':>7} {'cpu med':>8} {'cpu p95':>8}"
    )
    request_started.disconnect(reset_queries)
    rng = random.Random(3)
    for size in SIZES:
        student, people = _bulk_student(
            f"live{size}@bench.test", contacts=size, interactions_per_contact=10
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        client = Client()
        client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
        today = student.local_today()

        def log_then_open(client=client, people=people, today=today):
            person = rng.choice(people)
            response = client.post(
                reverse("contacts:interaction_create"),
                {
                    "contact": person.pk,
                    "kind": rng.choice(["email", "meeting", "update", "call"]),
                    "date": today.isoformat(),
                    "direction": "outbound",
                },
            )
            assert response.status_code == 302, response.status_code
            posted = time.perf_counter()
            assert client.get(reverse("home")).status_code == 200
            return posted

        # The day's first change evaluates the whole student (and keeps the answer).
        started = time.perf_counter()
        log_then_open()
        first_ms = (time.perf_counter() - started) * 1000
        for _ in range(3):
            log_then_open()
        counter = _QueryCounter()
        with connection.execute_wrapper(counter):
            log_then_open()
        samples, posts, gets, cpu = [], [], [], []
        for _ in range(RUNS):
            started, cpu_started = time.perf_counter(), time.process_time()
            posted = log_then_open()
            done = time.perf_counter()
            cpu.append((time.process_time() - cpu_started) * 1000)
            samples.append((done - started) * 1000)
            posts.append((posted - started) * 1000)
            gets.append((done - posted) * 1000)
        figures = {
            "contacts": size,
            "interactions": size * 10,
            "first_after_restart_ms": round(first_ms, 1),
            "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(harness.percentile(samples, 0.95), 1),
            "queries": counter.count,
            # This process's own CPU (Python: views, engine, templates), not the database's:
            # steadier than wall time on a shared machine.
            "cpu_median_ms": round(statistics.median(cpu), 1),
            "cpu_p95_ms": round(harness.percentile(cpu, 0.95), 1),
            "post_median_ms": round(statistics.median(posts), 1),
            "get_median_ms": round(statistics.median(gets), 1),
            "runs": RUNS,
            "date": datetime.date.today().isoformat(),
        }
        harness.record("live", f"{size} contacts", figures)
        print(
            f"{size:>8} {figures['first_after_restart_ms']:>13} {figures['median_ms']:>10} "
            f"{figures['p95_ms']:>8} {figures['queries']:>8} {figures['post_median_ms']:>8} "
            f"{figures['get_median_ms']:>7} {figures['cpu_median_ms']:>8} "
            f"{figures['cpu_p95_ms']:>8}"
        )


ALL = {"live": live}
