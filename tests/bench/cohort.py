"""Issue 25: the advisor's class view and its export for a class of 30 and of 300 students,
each with 200 contacts (3 interactions each), read from the standing rows the refresh writes.
Budget: at most 15 queries whatever the class size, p95 under 300 ms at 300."""

from tests.bench import harness, sections

CLASS_SIZES = (30, 300)
CONTACTS = 200


def cohort() -> None:
    import os
    import time

    from django.test import Client
    from django.urls import reverse

    from advisors.models import AdvisorAccess
    from crm.models import User
    from reminders.nudges.services import refresh_students

    print(f"\n== Class view: classes of {CLASS_SIZES} students, {CONTACTS} contacts each")
    sections.ENGINE_CONTACTS, sections.ENGINE_INTERACTIONS = CONTACTS, 3
    student_ids = sections._engine_world(max(CLASS_SIZES), seed=25, prefix="classmate")
    User.objects.filter(pk__in=student_ids).update(match_year=2027)  # one class
    started = time.perf_counter()
    for start in range(0, len(student_ids), 100):
        refresh_students(student_ids[start : start + 100], today=sections.TODAY)
    refresh_s = round(time.perf_counter() - started, 1)
    harness.record("cohort", "refresh writing standing rows (300 students)", {"seconds": refresh_s})
    print(f"refresh of {len(student_ids)} students (standing rows written): {refresh_s} s")
    print(f"{'page':40} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
    for size in CLASS_SIZES:
        advisor = User.objects.create_user(
            email=f"class{size}@bench.test", password="bench-password-123",
            name=f"Dr. Class {size}", role=User.Role.ADVISOR,
        )  # fmt: skip
        AdvisorAccess.objects.bulk_create(
            AdvisorAccess(student_id=pk, advisor=advisor) for pk in student_ids[:size]
        )
        client = Client()
        client.force_login(advisor, backend="django.contrib.auth.backends.ModelBackend")
        for label, url in {
            f"class view ({size} students)": reverse("advisor_cohort") + "?year=2027",
            f"class CSV ({size} students)": reverse("advisor_cohort_csv") + "?year=2027",
            f"class Excel ({size} students)": reverse("advisor_cohort_xlsx") + "?year=2027",
        }.items():
            figures = harness.time_requests(client, url, runs=30)
            harness.record("cohort", label, figures)
            print(
                f"{label:40} {figures['queries']:>7} {figures['median_ms']:>10} "
                f"{figures['p95_ms']:>8}"
            )
    harness.record("cohort", "load average", {"1-5-15 min": list(os.getloadavg())})
    print(f"load average: {os.getloadavg()}")


ALL = {"cohort": cohort}
