"""The pure engine stays pure: no clock, no database, no models, no app registry."""

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENGINE = ROOT / "reminders" / "engine"
# Every module of the engine package, and the pure plan of a refresh beside the nudges.
PURE = sorted([*ENGINE.rglob("*.py"), ROOT / "reminders" / "nudges" / "lifecycle.py"])


@pytest.mark.parametrize("path", PURE, ids=lambda path: str(path.relative_to(ROOT)))
def test_engine_modules_read_no_clock_and_no_database(path):
    source = path.read_text()
    for forbidden in (
        "django.db import connection",
        "objects.",
        "models import",
        "date.today(",
        "timezone.now(",
        "datetime.now(",
        "time.time(",
    ):
        assert forbidden not in source, f"{path.name} mentions {forbidden}"


def test_importing_the_engine_needs_no_app_registry():
    # Plain settings, no django.setup(): a model import would raise AppRegistryNotReady.
    code = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'crm.settings';"
        "import reminders.engine.rules, reminders.engine.live, reminders.engine.match_week,"
        " reminders.nudges.lifecycle;"
        "print(sorted(m for m in sys.modules if m.endswith('.models') and m.split('.')[0] in "
        "{'crm', 'contacts', 'reminders', 'advisors'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
