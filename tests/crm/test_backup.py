"""Backups that are tested: the README's pg_dump / pg_restore commands, run against a database
holding several students, restore into a new database whose every student exports the same
advocate/v1 data file, byte for byte.

PostgreSQL only (pg_dump has nothing to say about SQLite). The scratch database is named after
the test database, which pytest-django already names per xdist worker (test_<name>_gw0, ...),
so parallel workers never share one; the test creates it and always drops it."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from contacts import datafile
from crm.models import User
from tests.factories import (
    InteractionFactory,
    LetterRequestFactory,
    RotationFactory,
    TeamMemberFactory,
    TieFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="backups are pg_dump/pg_restore: needs DATABASE_URL=postgres://... (SQLite here)",
    ),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="pg_dump and pg_restore are not installed",
    ),
]

EXPORT_ALL = """
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "crm.settings"
django.setup()
from contacts import datafile
from crm.models import User
print(json.dumps({u.email: datafile.dumps(datafile.export_document(u))
                  for u in User.objects.filter(role="student").order_by("pk")}))
"""


def _libpq_env(settings: dict) -> dict:
    env = dict(os.environ)
    env.update(
        PGHOST=str(settings.get("HOST") or "127.0.0.1"),
        PGPORT=str(settings.get("PORT") or 5432),
        PGUSER=str(settings.get("USER") or ""),
    )
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return env


def _admin(settings: dict, sql: str) -> None:
    with psycopg.connect(
        host=settings.get("HOST") or "127.0.0.1",
        port=settings.get("PORT") or 5432,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(sql)


def _students_with_records() -> list[User]:
    students = [UserFactory(email=f"backup{n}@example.edu", name=f"Backup {n}") for n in range(3)]
    for student in students:
        InteractionFactory.create_batch(2, owner=student)
        LetterRequestFactory(owner=student)
        TieFactory(owner=student)
        TeamMemberFactory(rotation=RotationFactory(owner=student))
    return students


@pytest.mark.django_db(transaction=True)  # committed, so pg_dump's own connection sees it
def test_dump_and_restore_give_every_student_the_same_export(tmp_path):
    students = _students_with_records()
    before = {s.email: datafile.dumps(datafile.export_document(s)) for s in students}
    assert all(json.loads(text)["contacts"] for text in before.values())

    settings = connection.settings_dict
    source = settings["NAME"]
    scratch = f"{source}_restore"[:63]
    env = _libpq_env(settings)
    dump = tmp_path / "advocate.dump"
    _admin(settings, f'DROP DATABASE IF EXISTS "{scratch}"')
    try:
        # The README's commands (Running it in production, Backups).
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source],
            env=env,
            check=True,
        )
        _admin(settings, f'CREATE DATABASE "{scratch}"')
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch}", str(dump)],
            env=env,
            check=True,
        )
        url = (
            f"postgres://{settings.get('USER') or ''}"
            f"{':' + settings['PASSWORD'] if settings.get('PASSWORD') else ''}"
            f"@{env['PGHOST']}:{env['PGPORT']}/{scratch}"
        )
        restored = subprocess.run(
            [sys.executable, "-c", EXPORT_ALL],
            cwd=ROOT,
            env={**env, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=True,
        )
        after = json.loads(restored.stdout.strip().splitlines()[-1])
    finally:
        _admin(settings, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    assert after == before
