"""Issue 10: import a 5,000-row CSV spreadsheet. Parse, plan (the preview) and apply times and
their queries; then the same file again (every row matches: nothing new), and the web preview
page for 5,000 rows."""

import datetime
import random
import statistics
import time

from tests.bench import harness

ROWS = 5_000
RUNS = 5


class _QueryCounter:
    """Counts every query (connection.execute_wrapper)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def spreadsheet(rows: int, *, seed: int = 10) -> bytes:
    rng = random.Random(seed)
    roles = ["PD", "APD", "attending", "chief", "PGY-1", "resident", "nurse", "classmate", "fellow"]
    lines = ["Name,Email,Role,Specialty,Institution,City,State,How met,Last contact,Notes"]
    start = datetime.date(2024, 1, 1)
    for n in range(rows):
        last = start + datetime.timedelta(days=rng.randint(0, 600))
        lines.append(
            f"Dr. Person {n:05d},person{n}@example.edu,{rng.choice(roles)},Internal Medicine,"
            f"Hospital {n % 60},Chicago,IL,Rotation {n % 12},{last.month}/{last.day}/{last.year},"
            f'"Met on wards, week {n % 8}"'
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _measure(step):
    from django.db import connection

    counter = _QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = step()
    return result, (time.perf_counter() - started) * 1000, counter.count


def imports() -> None:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from contacts.importers import apply_plan, plan_import, read_file
    from contacts.models import Contact, ImportUpload
    from crm.models import User

    print(f"\n== Imports: a {ROWS:,}-row CSV spreadsheet")
    data = spreadsheet(ROWS)
    today = datetime.date(2025, 12, 1)
    print(f"file: {len(data) / 1024:.0f} KB")
    figures: dict[str, dict] = {}

    def record(label, samples, queries):
        figures[label] = {
            "queries": queries,
            "median_ms": round(statistics.median(samples), 1),
            "max_ms": round(max(samples), 1),
            "runs": len(samples),
        }

    parse_times, plan_times, apply_times, again_plan, again_apply = [], [], [], [], []
    for run in range(RUNS):
        student = User.objects.create_user(email=f"import{run}@bench.test", password="x" * 12)
        parsed, ms, _ = _measure(lambda: read_file(data))
        parse_times.append(ms)
        plan, ms, plan_queries = _measure(lambda s=student, p=parsed: plan_import(s, p, today))
        plan_times.append(ms)
        assert plan.ok and len(plan.creates) == ROWS, plan.errors[:3]
        result, ms, apply_queries = _measure(lambda s=student, p=plan: apply_plan(owner=s, plan=p))
        apply_times.append(ms)
        assert result.created == ROWS and result.interactions == ROWS
        # The same file again: every row matches, nothing to write.
        plan, ms, again_plan_queries = _measure(
            lambda s=student, p=parsed: plan_import(s, p, today)
        )
        again_plan.append(ms)
        assert len(plan.matches) == ROWS and not any(row.adds for row in plan.matches)
        result, ms, again_apply_queries = _measure(
            lambda s=student, p=plan: apply_plan(owner=s, plan=p)
        )
        again_apply.append(ms)
        assert (result.created, result.merged) == (0, 0)
        assert Contact.objects.filter(owner=student).count() == ROWS
    record("parse 5,000 rows", parse_times, 0)
    record("plan (the preview), new student", plan_times, plan_queries)
    record("apply: 5,000 contacts + 5,000 interactions", apply_times, apply_queries)
    record("plan, same file again (5,000 matches)", again_plan, again_plan_queries)
    record("apply, same file again (nothing new)", again_apply, again_apply_queries)

    # The web: upload (parse + store), the preview page (parse + plan + render 5,000 rows).
    student = User.objects.create_user(email="import-web@bench.test", password="x" * 12)
    client = Client()
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload_times, preview_times = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.post(
            reverse("contacts:import_start"),
            {"file": SimpleUploadedFile("contacts.csv", data), "format": ""},
        )
        upload_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, response.status_code
        started = time.perf_counter()
        page = client.get(response["Location"])
        preview_times.append((time.perf_counter() - started) * 1000)
        assert page.status_code == 200
    record("web: upload 5,000 rows (POST)", upload_times, None)
    record("web: preview page, 5,000 rows (GET)", preview_times, None)
    print(f"preview page: {len(page.content) / 1024:.0f} KB of HTML")
    with transaction.atomic():
        ImportUpload.objects.filter(owner=student).delete()

    print(f"{'step':45} {'queries':>7} {'median ms':>10} {'max ms':>8}")
    for label, figure in figures.items():
        queries = "" if figure["queries"] is None else figure["queries"]
        print(f"{label:45} {queries:>7} {figure['median_ms']:>10} {figure['max_ms']:>8}")
        harness.record("imports", label, figure)
