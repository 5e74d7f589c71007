"""`make bench` section "live" (issues 9 and 23): log an interaction, then open This week, for
one student with 500, 5,000 and 20,000 contacts (10 interactions each), in-process.

Two writes, as production meets them (reminders.reactions):
- the day's first write: no baseline anywhere (a new day), so the POST closes what it answers
  and leaves the refresh to a worker; This week shows the stored nudges and the last standing;
- a later write served by another web process: the worker has refreshed the student after the
  previous write (untimed here: it is the worker's time, printed apart), this process keeps
  nothing, so the POST starts from the shared baseline when the network is small enough to
  share (reminders.evaluation.baseline.SHARED_MAX_CONTACTS), else it is a first write again.
"""

import datetime
import random
import statistics
import time

from tests.bench import harness

SIZES = (500, 5_000, 20_000)
RUNS = 30


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def live() -> None:
    from django.core.cache import cache
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.urls import reverse

    from reminders import tasks
    from reminders.evaluation import baseline
    from tests.bench.sections import _bulk_student, _QueryCounter

    print("\n== Live: log an interaction, then open This week (10 interactions per contact)")
    print(
        f"{'contacts':>8} | {'first write: POST p50':>21} {'p95':>5} {'GET p95':>8} {'queries':>8}"
        f" | {'later write: POST p50':>21} {'p95':>5} {'GET p95':>8} {'queries':>8}"
        f" | {'worker ms':>9}"
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
        worker_times = []

        def worker(student=student, worker_times=worker_times):
            started = time.perf_counter()
            tasks.refresh_student(student.pk)
            worker_times.append(time.perf_counter() - started)

        def new_day(student=student):
            baseline.forget()
            cache.delete(baseline._key(student.pk))
            cache.delete(tasks._queued_key(student.pk))

        def log_then_open(client=client, people=people, today=today):
            started = time.perf_counter()
            response = client.post(
                reverse("contacts:interaction_create"),
                {
                    "contact": rng.choice(people).pk,
                    "kind": rng.choice(["email", "meeting", "update", "call"]),
                    "date": today.isoformat(),
                    "direction": "outbound",
                },
            )
            assert response.status_code == 302, response.status_code
            posted = time.perf_counter()
            assert client.get(reverse("home")).status_code == 200
            return posted - started, time.perf_counter() - posted

        def measure(before_each):
            before_each()
            counter = _QueryCounter()
            with connection.execute_wrapper(counter):
                log_then_open()
            posts, gets = [], []
            for _ in range(RUNS):
                before_each()
                post, get = log_then_open()
                posts.append(post)
                gets.append(get)
            return {
                "post_median_ms": _ms(statistics.median(posts)),
                "post_p95_ms": _ms(harness.percentile(posts, 0.95)),
                "get_median_ms": _ms(statistics.median(gets)),
                "get_p95_ms": _ms(harness.percentile(gets, 0.95)),
                "queries": counter.count,
            }

        worker()  # last night's refresh
        first = measure(new_day)

        def another_process():
            worker()  # the worker's refresh after the previous write
            baseline.forget()

        later = measure(another_process)
        figures = {
            "contacts": size,
            "interactions": size * 10,
            "first_write_of_the_day": first,
            "later_write_on_another_process": later,
            "worker_refresh_median_ms": _ms(statistics.median(worker_times)),
            "runs": RUNS,
            "date": datetime.date.today().isoformat(),
        }
        harness.record("live", f"{size} contacts", figures)
        print(
            f"{size:>8} | {first['post_median_ms']:>21} {first['post_p95_ms']:>5} "
            f"{first['get_p95_ms']:>8} {first['queries']:>8} | {later['post_median_ms']:>21} "
            f"{later['post_p95_ms']:>5} {later['get_p95_ms']:>8} {later['queries']:>8} | "
            f"{figures['worker_refresh_median_ms']:>9}"
        )


ALL = {"live": live}
