"""`make bench`: build large students in PostgreSQL and print what the pages and jobs cost.

Runs against DATABASE_URL (default: a scratch database `advocate_bench` on the local
PostgreSQL; any name ending in `_bench` works too), which it drops and recreates. Figures go
to stdout and bench-results/*.json.
Pass section names to run only some: `python -m tests.bench pages engine`.
"""

import atexit
import os
import shutil
import sys
import tempfile

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/advocate_bench"


def main(argv: list[str]) -> int:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ["DEBUG"] = "true"  # Client requests over plain http; hardening is not measured
    os.environ["ALLOWED_HOSTS"] = "testserver"
    if not os.environ.get("REDIS_URL"):
        # A broker of the bench's own: the tasks its writes enqueue (a student's refresh) must
        # not land in `make run`'s queue, and its worker (digests_worker) must not find that
        # queue's tasks ahead of its own. Its database is the bench's, recreated below.
        folder = tempfile.mkdtemp(prefix="advocate-bench-celery-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["CELERY_DATA_DIR"] = folder

    from tests.bench import harness

    harness.recreate_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from tests.bench import (
        cohort,
        cycle_review,
        datafile_import,
        deployed,
        imports,
        inbound,
        live,
        sections,
    )

    sections.ALL.setdefault("datafile", datafile_import.section)
    sections.ALL["datafile_class"] = datafile_import.class_section  # issue 23

    sections.ALL["imports"] = imports.imports  # issue 10

    every = {**sections.ALL, **live.ALL, **cycle_review.ALL, **cohort.ALL, **inbound.ALL}
    every.update(deployed.ALL)  # issue 23: the weekly email and the nightly refresh as deployed
    from tests.bench import match_week  # issue 23

    every.update(match_week.ALL)
    chosen = argv or list(every)
    named = {**every, **sections.BY_NAME_ONLY}
    for name in chosen:
        named[name]()
    harness.write_results()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
