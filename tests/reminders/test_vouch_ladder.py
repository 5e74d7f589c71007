"""Issue 18: who speaks for the student, by the articles' ladder, on a hand-built network: the
home program director in the specialty first (seed 002: "your home specialty PD"), then a
PD/APD with a personal tie to the program's leadership (001: a trusted PD/APD peer, "Very
High"), then the letter writers and would-vouch faculty who know the work best; never a PD
who saw the student for one week (below the depth floor, not would-vouch), never a peer, and
never aimed at the student's own home program."""

from __future__ import annotations

import dataclasses
import datetime

from reminders.engine.conf import build_conf
from reminders.engine.cycle import match_calendar
from reminders.engine.match_week import ladder_for, soap_plan, speakers
from reminders.engine.scoring import index_records, score_contacts
from reminders.engine.vouch import HOME_PD, KNOWS_THE_WORK, TIED_LEADER, program_vouching
from tests.reminders.engine_world import RecordsBuilder
from tests.reminders.test_engine_rules import developing

D = datetime.date
CONF = build_conf()
TODAY = D(2027, 3, 19)  # Match Day: SOAP is over, the free-contact plan


def network():
    b = RecordsBuilder(
        match_year=2027, match_outcome="unmatched", target_specialties=("Internal Medicine",)
    )
    b.student["school"] = "Lakeshore University Hospital"
    home = dict(institution="Lakeshore University Hospital", specialty="Internal Medicine")
    feld = developing(b, "Dr. Feld", D(2027, 1, 29), role="program_director", weeks=5, **home)
    osei = developing(
        b, "Dr. Osei", D(2026, 11, 27), role="associate_program_director", weeks=2,
        would_vouch=True, **home,
    )  # fmt: skip
    raman = developing(b, "Dr. Raman", D(2026, 12, 27), role="clerkship_director", weeks=8, **home)
    b.letter(raman, "submitted", submitted_on=D(2026, 9, 10), agreed_on=D(2026, 7, 22))
    lund = developing(
        b, "Dr. Lund", D(2026, 8, 7), role="program_director", weeks=1,
        institution="Willamette University Hospital", specialty="Internal Medicine",
    )  # fmt: skip
    peer = developing(b, "Jonah Weiss", D(2027, 2, 26), role="peer", weeks=8)
    prairie = b.program("Prairie State IM", institution="Prairie State University Hospital")
    lakeshore = b.program("Lakeshore IM", institution="Lakeshore University Hospital")
    b.tie(osei, prairie, "knows_someone", note="Dr. Ames, their APD: residency classmates")
    for person in (feld, raman, lund, peer):
        b.tie(person, prairie, "knows_someone")
    b.tie(raman, lakeshore, "trained_at")
    return b, prairie, lakeshore


def scored(b):
    records = b.records()
    return records, score_contacts(index_records(records, TODAY), CONF)


def test_the_ladder_orders_one_program_and_says_why():
    b, prairie, _lakeshore = network()
    records, scores = scored(b)
    ladder = ladder_for(records, match_calendar(2027, CONF), CONF)
    (vouching,) = program_vouching([prairie], scores, records.ties, CONF, ladder)
    ranked = [(v.contact.name, v.rung) for v in vouching.who_can_vouch]
    assert ranked == [
        ("Dr. Feld", HOME_PD),
        ("Dr. Osei", TIED_LEADER),
        ("Dr. Raman", KNOWS_THE_WORK),
    ]
    why = {v.contact.name: v.why for v in vouching.who_can_vouch}
    assert why["Dr. Feld"].startswith("your home program director in Internal Medicine")
    assert why["Dr. Osei"] == (
        "associate program director, knows someone in this program "
        "(Dr. Ames, their APD: residency classmates)"
    )
    assert why["Dr. Raman"].startswith("knows someone in this program; wrote a letter for you")
    assert "knows your work: 8 weeks" in why["Dr. Raman"]
    # The one-week PD and the peer are tied, but never speak for the student.
    tied_but_silent = {v.contact.name for v in vouching.not_yet_voices}
    assert tied_but_silent == {"Dr. Lund", "Jonah Weiss"}


def test_the_plan_and_the_people_follow_the_same_ladder_and_spare_the_home_program():
    b, prairie, lakeshore = network()
    records, scores = scored(b)
    cal = match_calendar(2027, CONF)
    assert [s.name for s in speakers(records, scores, cal, CONF)] == [
        "Dr. Feld",
        "Dr. Osei",
        "Dr. Raman",
    ]
    plan = soap_plan(records, scores, cal, TODAY, CONF)
    calls = {h.name: [c.program.name for c in h.calls] for h in plan.helpers}
    # Prairie State is one person's call: the APD whose classmate is its APD (a tie to its
    # leadership); the home PD's call, taken anywhere, goes where nobody has such a tie.
    # Lakeshore IM, the student's own home program, is nobody's, though Dr. Raman trained there.
    assert calls == {"Dr. Feld": [], "Dr. Osei": ["Prairie State IM"], "Dr. Raman": []}


def test_a_letter_writer_quiet_for_a_year_still_speaks_in_the_cycle_they_wrote():
    b, prairie, _lakeshore = network()
    raman = next(c for c in b.contacts if c.name == "Dr. Raman")
    # Their weeks together long ago: dormant by the scores, yet they wrote this cycle.
    b.rotations = [
        dataclasses.replace(r, start=D(2025, 1, 6), end=D(2025, 3, 2))
        if r.team and r.team[0][0] == raman.id
        else r
        for r in b.rotations
    ]
    records, scores = scored(b)
    assert scores[raman.id].tier == "dormant"
    names = [s.name for s in speakers(records, scores, match_calendar(2027, CONF), CONF)]
    assert "Dr. Raman" in names
