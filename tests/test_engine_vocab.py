"""The pure engine stays pure, and its copy of the vocabulary matches the records'."""

import pathlib
import subprocess
import sys

import pytest

from contacts import vocabulary
from reminders import vocab
from reminders.models import NudgeKind

ROOT = pathlib.Path(__file__).resolve().parent.parent
PURE = ["rules", "scoring", "cycle", "records", "lifecycle", "vocab"]


def test_role_groups_match_the_records_vocabulary():
    assert {str(k): str(v) for k, v in vocabulary.ROLE_GROUPS.items()} == vocab.ROLE_GROUPS
    assert set(vocab.ROLE_LABELS) == set(vocabulary.Role.values)
    assert set(vocab.LETTER_PURPOSE_LABELS) == set(vocabulary.LetterPurpose.values)
    assert set(vocabulary.LetterStatus.values) >= vocab.WRITTEN_STATUSES
    kinds = {
        vocab.MEETING,
        vocab.FEEDBACK_SESSION,
        vocab.EMAIL,
        vocab.UPDATE,
        vocab.CALL,
        vocab.THANK_YOU_NOTE,
        vocab.CONFERENCE,
        vocab.LETTER,
        vocab.WORKED_TOGETHER,
    }
    assert kinds == set(vocabulary.InteractionKind.values)


def test_nudge_kinds_match_the_model_choices():
    assert list(vocab.NUDGE_KINDS) == list(NudgeKind.values)


@pytest.mark.parametrize("module", PURE)
def test_engine_modules_read_no_clock_and_no_database(module):
    source = (ROOT / "reminders" / f"{module}.py").read_text()
    for forbidden in ("django.db", "date.today(", "timezone.now(", "datetime.now(", "time.time("):
        assert forbidden not in source, f"{module}.py mentions {forbidden}"


def test_importing_the_engine_loads_no_orm():
    code = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'crm.settings';"
        "import reminders.rules, reminders.lifecycle;"
        "print('django.db' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
