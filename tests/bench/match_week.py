"""`make bench` section "match_week" (issue 23): the Match Week page for a student who did not
match, on the Tuesday of SOAP, at 500, 5,000 and 20,000 contacts (10 interactions each), with
40 target programs in Internal Medicine and a tie to each. What it must show: p95 under 150 ms
and under 100 KB of HTML at every size, whatever the size of the network.

"warm" is the page as the student opens it again (the plan kept for the day); "after a change"
is the first view after the student's records changed (a save, the day's first view), which
evaluates the network once for the plan. Timed in-process, like the other page sections."""

import datetime
import logging
import os
import statistics
import time

from tests.bench import harness

SIZES = (500, 5_000, 20_000)
RUNS = int(os.environ.get("BENCH_MATCH_WEEK_RUNS", "40"))
COLD_RUNS = 3
# Tuesday of Match Week 2027 (the bench students' Match year), mid-morning in Chicago: SOAP.
TUESDAY = datetime.datetime(2027, 3, 16, 15, 0, tzinfo=datetime.UTC)
PROGRAMS = 40


def _programs(student, people) -> None:
    """Target programs in range, each with one contact tied to it (a realistic SOAP list)."""
    from contacts.models import Program, Tie

    programs = Program.objects.bulk_create(
        Program(
            owner=student,
            name=f"Program {n:02d} Internal Medicine",
            specialty="Internal Medicine",
            target=True,
        )
        for n in range(PROGRAMS)
    )
    step = max(1, len(people) // PROGRAMS)
    Tie.objects.bulk_create(
        Tie(owner=student, contact=people[n * step], program=program, kind="works_at")
        for n, program in enumerate(programs)
    )


def match_week() -> None:
    import time_machine
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from crm.models import User
    from tests.bench.sections import _bulk_student

    # Each request's access line (and the sign-in's) would bury the table.
    for name in ("advocate.request", "axes"):
        logging.getLogger(name).setLevel(logging.WARNING)
    print("\n== Match Week: the page for a student who did not match (Tuesday of SOAP)")
    print(
        f"{'contacts':>8} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'cpu med':>8} "
        f"{'cpu p95':>8} {'KB':>6} {'inputs':>6} {'after a change ms':>18}"
    )
    url = reverse("reminders:match_week")
    for size in SIZES:
        student, people = _bulk_student(
            f"matchweek{size}@bench.test", contacts=size, interactions_per_contact=10
        )
        _programs(student, people)
        User.objects.filter(pk=student.pk).update(match_outcome="unmatched")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # perf_counter is not travelled: the timings stay real.
        with time_machine.travel(TUESDAY, tick=True):
            client = Client()
            client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
            cold = []
            for _ in range(COLD_RUNS):
                # What a save does to the plan: the records' stamp moves, the plan is worked out
                # again on the next view.
                User.objects.filter(pk=student.pk).update(records_changed_at=timezone.now())
                started = time.perf_counter()
                assert client.get(url).status_code == 200
                cold.append((time.perf_counter() - started) * 1000)
            figures = harness.time_requests(client, url, runs=RUNS)
            # This process's own CPU per view (views, templates), not the database's: steadier
            # than wall time on a shared machine.
            cpu = []
            for _ in range(RUNS):
                started = time.process_time()
                client.get(url)
                cpu.append((time.process_time() - started) * 1000)
            page = client.get(url).content
        figures.update(
            contacts=size,
            kb=round(len(page) / 1024, 1),
            inputs=page.count(b"<input"),
            after_a_change_ms=round(statistics.median(cold), 1),
            cpu_median_ms=round(statistics.median(cpu), 1),
            cpu_p95_ms=round(harness.percentile(cpu, 0.95), 1),
            date=datetime.date.today().isoformat(),
        )
        harness.record("match_week", f"{size} contacts", figures)
        print(
            f"{size:>8} {figures['queries']:>7} {figures['median_ms']:>10} "
            f"{figures['p95_ms']:>8} {figures['cpu_median_ms']:>8} {figures['cpu_p95_ms']:>8} "
            f"{figures['kb']:>6} {figures['inputs']:>6} {figures['after_a_change_ms']:>18}"
        )


ALL = {"match_week": match_week}
