"""Properties of the engine, checked on many generated students (pure, in memory, fast)."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from reminders.engine import scoring
from reminders.engine.conf import build_conf
from reminders.engine.rules import NudgeSpec
from reminders.nudges import lifecycle
from reminders.vocabulary import shown_due
from tests.reminders.engine_world import RecordsBuilder, apply_plan

D = datetime.date
DAY = datetime.timedelta(days=1)
START = D(2026, 1, 1)
CONF = build_conf()

interaction_strategy = st.tuples(
    st.integers(min_value=0, max_value=4),  # which contact
    st.integers(min_value=0, max_value=500),  # day offset
    st.sampled_from(["meeting", "email", "update", "call", "feedback", "thank_you"]),
    st.sampled_from(["outbound", "inbound"]),
    st.one_of(st.none(), st.integers(min_value=1, max_value=60)),  # follow up by, days later
)


def build(interactions, rotations):
    b = RecordsBuilder(match_year=2027)
    contacts = [
        b.contact(f"Dr. {n}", role=role, would_vouch=n == 0)
        for n, role in enumerate(["faculty", "program_director", "fellow", "peer", "chair"])
    ]
    for index, offset, weeks in rotations:
        end = START + offset * DAY
        b.rotation(f"R{offset}", end - 27 * DAY, end, [(contacts[index], weeks)])
    for index, offset, kind, direction, follow_up in interactions:
        day = START + offset * DAY
        follow_up_by = day + follow_up * DAY if follow_up else None
        b.interaction(contacts[index], day, kind, direction=direction, follow_up_by=follow_up_by)
    return b


@settings(max_examples=60, deadline=None)
@given(
    st.lists(interaction_strategy, max_size=25),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=4),
            st.integers(min_value=0, max_value=500),
            st.integers(min_value=1, max_value=8),
        ),
        max_size=3,
    ),
    st.integers(min_value=0, max_value=700),
)
def test_no_follow_up_is_ever_due_within_30_days_of_outreach(interactions, rotations, day):
    b = build(interactions, rotations)
    today = START + day * DAY
    evaluation = b.evaluate(today)
    for spec in evaluation.nudges:
        if spec.kind != "follow_up":
            continue
        outreach = [
            i.date
            for i in b.interactions
            if i.contact_id == spec.contact_id and i.direction == "outbound" and i.date <= today
        ]
        if outreach:
            assert spec.due >= max(outreach) + 30 * DAY, spec
    assert len(evaluation.focus) <= 5
    # Every nudge is well formed: a known kind, a reason, one per occasion.
    keys = [spec.key for spec in evaluation.nudges]
    assert len(keys) == len(set(keys))
    assert all(spec.reason and spec.kind in spec.key for spec in evaluation.nudges)


STATES = ["open", "done", "snoozed", "dismissed", "expired"]
spec_strategy = st.builds(
    lambda n, due, contact: NudgeSpec(
        kind="follow_up",
        key=f"k{n}",
        contact_id=contact,
        contact_name=None,
        due=START + due * DAY,
        reason=f"reason {due}",
        occasion_on=START,
    ),
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=0, max_value=30),
    st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
)
stored_strategy = st.builds(
    lambda n, state, due, snooze: lifecycle.StoredNudge(
        id=n + 1,
        key=f"k{n}",
        kind="follow_up",
        state=state,
        due=START + due * DAY,
        reason="old",
        contact_id=None,
        occasion_on=START,
        snoozed_until=START + snooze * DAY if state == "snoozed" else None,
    ),
    st.integers(min_value=0, max_value=12),
    st.sampled_from(STATES),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=30),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(spec_strategy, max_size=10, unique_by=lambda spec: spec.key),
    st.lists(stored_strategy, max_size=10, unique_by=lambda row: row.key),
    st.integers(min_value=0, max_value=30),
)
def test_a_refresh_is_idempotent(produced, stored, day):
    today = START + day * DAY
    first = lifecycle.plan_refresh(produced, stored, today)
    after = apply_plan(first, stored)
    second = lifecycle.plan_refresh(produced, after, today)
    assert second.is_empty, second
    by_key = {row.key: row for row in after}
    for spec in produced:
        row = by_key[spec.key]
        before = next((old for old in stored if old.key == spec.key), None)
        if before is not None and before.state in ("done", "dismissed"):
            assert row.state == before.state  # a dismissal is final for its occasion
        else:
            # Shown with the engine's date; a late one keeps the first day it was due stored.
            shown = shown_due(row.due, today)
            assert shown == shown_due(spec.due, today) and row.reason == spec.reason
    produced_keys = {spec.key for spec in produced}
    assert not [r for r in after if r.state in ("open", "snoozed") and r.key not in produced_keys]


def test_a_snoozed_nudge_reopens_on_its_date_not_before():
    spec = NudgeSpec("follow_up", "k", None, None, START, "r", START)
    row = lifecycle.StoredNudge(
        1, "k", "follow_up", "snoozed", START, "r", None, START, START + 7 * DAY
    )
    assert lifecycle.plan_refresh([spec], [row], START + 6 * DAY).is_empty
    (change,) = lifecycle.plan_refresh([spec], [row], START + 7 * DAY).change
    assert change.state == "open" and change.reopened


def _scored_part_by_part(index, conf):
    """score_contacts as its parts say it, one function each (the one-pass version must agree)."""
    in_cycle = index.evidence_until is None or index.today < index.evidence_until
    scores = {}
    for contact in index.contacts.values():
        letters = index.letters.get(contact.id, ())
        depth = scoring.depth_for(contact, index, conf)
        evidence = scoring.has_evidence(contact, letters, index.today)
        scores[contact.id] = scoring.ContactScore(
            contact,
            scoring.influence_for(contact, letters, conf),
            depth,
            scoring.tier_for(contact, depth, conf, held=evidence and in_cycle),
            evidence,
            tuple(letters),
        )
    return scores


@settings(max_examples=80, deadline=None)
@given(
    st.lists(interaction_strategy, max_size=25),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=4),
            st.integers(min_value=0, max_value=500),
            st.integers(min_value=1, max_value=8),
        ),
        max_size=3,
    ),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=4),
            st.sampled_from(["considering", "asked", "agreed", "submitted", "declined"]),
            st.integers(min_value=0, max_value=500),
        ),
        max_size=3,
    ),
    st.sampled_from(["clinical", "research", "teaching", ""]),
    st.integers(min_value=0, max_value=700),
)
def test_scoring_in_one_pass_says_what_each_part_says(
    interactions, rotations, letters, context, day
):
    b = build(interactions, rotations)
    contacts = list(b.contacts)
    for index, status, offset in letters:
        b.letter(contacts[index], status, asked_on=START + offset * DAY)
    b.interactions = [i._replace(context=context) if i.id % 2 else i for i in b.interactions]
    index = scoring.index_records(b.records(), START + day * DAY)
    for conf in (CONF, build_conf({"decay_half_after_days": 30, "interaction_window_days": 90})):
        assert scoring.score_contacts(index, conf) == _scored_part_by_part(index, conf)
