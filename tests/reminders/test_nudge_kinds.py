"""Every nudge kind has one complete spec (reminders.engine.kinds), and nothing falls back.

A new NudgeKind without a spec, or with a hole in one, fails here rather than getting stakes
50, the noun "thing" or no quick-log somewhere downstream.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import pathlib

import pytest

from contacts.forms import QUICK_LOG_KINDS
from contacts.vocabulary import InteractionKind
from reminders.engine import kinds
from reminders.engine.kinds import KIND_SPECS, KindSpec, spec_for
from reminders.engine.records import InteractionRecord
from reminders.engine.rules import answers
from reminders.vocabulary import NudgeKind

# Fields that may be None on purpose; every other field must be given.
_OPTIONAL = {"log_as", "alone"}


def incomplete_kinds(specs: dict[str, KindSpec]) -> list[str]:
    """The kinds (by slug) that lack a spec, or whose spec has an empty field."""
    problems = []
    for kind in NudgeKind:
        spec = specs.get(kind)
        if spec is None:
            problems.append(f"{kind}: no spec")
            continue
        if spec.kind != kind:
            problems.append(f"{kind}: filed under another kind ({spec.kind})")
        for field in dataclasses.fields(KindSpec):
            value = getattr(spec, field.name)
            if value is None and field.name not in _OPTIONAL:
                problems.append(f"{kind}: {field.name} is missing")
        if not spec.family or not (0 <= spec.stakes <= 100) or len(spec.nouns) != 2:
            problems.append(f"{kind}: family, stakes or nouns not filled in")
    return problems


def test_every_nudge_kind_has_a_complete_spec():
    assert incomplete_kinds(KIND_SPECS) == []
    assert set(KIND_SPECS) == set(NudgeKind.values)


def test_a_kind_left_out_of_the_table_is_caught():
    # The check above is not vacuous: one deliberate omission makes it fail.
    without_gap = {kind: spec for kind, spec in KIND_SPECS.items() if kind != NudgeKind.GAP}
    assert incomplete_kinds(without_gap) == ["gap: no spec"]
    holed = {**KIND_SPECS, NudgeKind.GAP: dataclasses.replace(KIND_SPECS[NudgeKind.GAP], task=None)}
    assert incomplete_kinds(holed) == ["gap: task is missing"]


def test_a_kind_without_a_spec_raises_instead_of_defaulting():
    with pytest.raises(LookupError, match="no_such_kind"):
        spec_for("no_such_kind")
    interaction = InteractionRecord(1, 1, datetime.date(2026, 7, 2), InteractionKind.EMAIL)
    with pytest.raises(LookupError):
        answers("no_such_kind", datetime.date(2026, 7, 1), interaction)


@pytest.mark.parametrize("kind", NudgeKind.values)
def test_each_kind_is_written_by_the_family_its_spec_names(kind):
    spec = spec_for(kind)
    family = importlib.import_module(f"reminders.engine.rules.{spec.family}")
    source = pathlib.Path(family.__file__).read_text()
    assert f"NudgeKind.{NudgeKind(kind).name}" in source


def test_the_quick_log_is_prefilled_only_with_a_chip_it_offers():
    # The quick-log ignores a `?kind=` that is not one of its chips: the link would lie.
    chips = dict(QUICK_LOG_KINDS)
    for spec in KIND_SPECS.values():
        assert spec.log_as is None or spec.log_as in chips


def test_the_table_stays_in_the_vocabulary_order():
    # A day's nudges due together are ordered by NudgeKind; the table reads the same way.
    assert list(KIND_SPECS) == list(NudgeKind.values)
    assert [spec.order for spec in KIND_SPECS.values()] == list(range(len(NudgeKind)))
    assert kinds.THINGS == ("thing", "things")
