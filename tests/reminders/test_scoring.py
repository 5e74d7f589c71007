"""Influence and depth with their parts, tiers and the focus set (pure, in memory)."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from reminders.engine.conf import build_conf
from reminders.engine.scoring import focus_set
from tests.reminders.engine_world import RecordsBuilder

D = datetime.date
DAY = datetime.timedelta(days=1)
CONF = build_conf()


def score_of(b, contact, today):
    return b.evaluate(today).scores[contact.id]


def test_influence_comes_from_the_role_table_discounted_without_trust_history():
    b = RecordsBuilder()
    pd = b.contact("Dr. PD", role="program_director")
    score = score_of(b, pd, D(2026, 7, 1))
    assert (score.influence.base, score.influence.value, score.influence.trusted) == (90, 54, False)
    assert "60%" in score.influence.detail


def test_influence_counts_in_full_for_someone_who_would_vouch():
    b = RecordsBuilder()
    pd = b.contact("Dr. PD", role="program_director", would_vouch=True)
    assert score_of(b, pd, D(2026, 7, 1)).influence.value == 90


def test_influence_counts_in_full_for_a_letter_writer():
    b = RecordsBuilder()
    chief = b.contact("Dr. Chief", role="chief_resident")
    b.letter(chief, "agreed", due=D(2026, 9, 1))
    assert score_of(b, chief, D(2026, 7, 1)).influence.value == 60


def test_a_letter_still_being_considered_is_no_trust_history():
    b = RecordsBuilder()
    chief = b.contact("Dr. Chief", role="chief_resident")
    b.letter(chief, "asked", due=D(2026, 9, 1))
    assert score_of(b, chief, D(2026, 7, 1)).influence.value == 36


def test_depth_is_shown_with_its_parts():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.rotation("Medicine sub-I", D(2026, 6, 1), D(2026, 6, 28), [(rao, 4)])
    b.interaction(rao, D(2026, 6, 10), "meeting", context="clinical")
    b.interaction(rao, D(2026, 6, 14), "feedback", context="clinical")
    b.interaction(rao, D(2026, 6, 20), "email", context="research")
    b.letter(rao, "agreed", due=D(2026, 9, 1))
    depth = score_of(b, rao, D(2026, 7, 1)).depth
    points = {part.name: part.points for part in depth.parts}
    assert points == {
        "weeks_together": 20,  # 4 of 8 weeks, worth 40
        "interactions": 18,  # meeting 8 + feedback 8 + email 2
        "contexts": 7,  # clinical and research
        "feedback_loop": 15,  # asked, then circled back
        "letter": 10,
    }
    assert depth.value == 70 and depth.decay_factor == 1
    assert depth.part("weeks_together").detail == "4 weeks of 8 together (Medicine sub-I)"


def test_weeks_together_are_capped_at_8():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.rotation("Year-long research", D(2025, 9, 1), D(2026, 6, 1), [(rao, 30)], kind="research")
    assert score_of(b, rao, D(2026, 6, 2)).depth.part("weeks_together").points == 40


def test_emails_count_less_than_meetings():
    b = RecordsBuilder()
    emailed, met = b.contact("Dr. Email"), b.contact("Dr. Meet")
    b.interaction(emailed, D(2026, 6, 1), "email")
    b.interaction(met, D(2026, 6, 1), "meeting")
    evaluation = b.evaluate(D(2026, 6, 2))
    assert evaluation.scores[emailed.id].depth.value < evaluation.scores[met.id].depth.value


def test_interactions_older_than_12_months_do_not_count():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.interaction(rao, D(2025, 6, 1), "meeting")
    b.interaction(rao, D(2026, 5, 1), "email")
    part = score_of(b, rao, D(2026, 6, 1)).depth.part("interactions")
    assert part.points == 2


def rotation_contact(last_day):
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.rotation("Sub-I", last_day - datetime.timedelta(days=55), last_day, [(rao, 8)])
    return b, rao


def test_depth_is_halved_after_six_months_without_contact():
    b, rao = rotation_contact(D(2026, 1, 1))
    six_months = D(2026, 1, 1) + 182 * DAY
    assert score_of(b, rao, six_months).depth.value == 40
    assert score_of(b, rao, six_months + DAY).depth.value == 20
    assert score_of(b, rao, six_months + DAY).depth.decay_detail


def test_depth_is_quartered_after_twelve_months_and_the_contact_is_dormant():
    b, rao = rotation_contact(D(2026, 1, 1))
    year = D(2026, 1, 1) + 365 * DAY
    assert score_of(b, rao, year).depth.value == 20
    assert score_of(b, rao, year).tier != "dormant"
    assert score_of(b, rao, year + DAY).depth.value == 10
    assert score_of(b, rao, year + DAY).tier == "dormant"


def test_tiers_follow_depth():
    b = RecordsBuilder()
    deep = b.contact("Dr. Deep")
    mid = b.contact("Dr. Mid")
    met = b.contact("Dr. Met")
    vouch = b.contact("Dr. Vouch", would_vouch=True)
    b.rotation("Sub-I", D(2026, 5, 1), D(2026, 6, 25), [(deep, 8), (mid, 4), (vouch, 8)])
    b.interaction(deep, D(2026, 6, 1), "feedback")
    b.interaction(deep, D(2026, 6, 10), "meeting")
    b.interaction(met, D(2026, 6, 10), "email")
    tiers = {pk: s.tier for pk, s in b.evaluate(D(2026, 7, 1)).scores.items()}
    assert tiers == {
        deep.id: "advocate",  # 40 + 16 + 15
        mid.id: "developing",  # 20
        met.id: "acquaintance",  # 2
        vouch.id: "advocate",  # 40, and they said they would work with you again
    }


def test_a_contact_added_long_ago_and_never_met_is_dormant():
    b = RecordsBuilder()
    old = b.contact("Dr. Old", created_on=D(2024, 1, 1))
    new = b.contact("Dr. New", created_on=D(2026, 6, 1))
    evaluation = b.evaluate(D(2026, 7, 1))
    assert evaluation.scores[old.id].tier == "dormant"
    assert evaluation.scores[new.id].tier == "acquaintance"


def advocates_and_developing(advocates, developing):
    b = RecordsBuilder()
    for number in range(advocates):
        contact = b.contact(f"Dr. A{number}", would_vouch=True)
        b.rotation(f"R{number}", D(2026, 5, 1), D(2026, 6, 25), [(contact, 8)])
    for number in range(developing):
        contact = b.contact(f"Dr. D{number}", role="program_director" if number == 2 else "faculty")
        b.rotation(f"S{number}", D(2026, 5, 1), D(2026, 6, 25), [(contact, 4)])
    return b


def test_the_focus_set_is_the_five_strongest_advocates_when_there_are_more():
    evaluation = advocates_and_developing(7, 2).evaluate(D(2026, 7, 1))
    assert len(evaluation.focus) == 5
    assert all(evaluation.scores[pk].tier == "advocate" for pk in evaluation.focus)


def test_the_focus_set_is_topped_up_to_three_with_the_strongest_developing():
    b = advocates_and_developing(1, 4)
    evaluation = b.evaluate(D(2026, 7, 1))
    names = [evaluation.scores[pk].contact.name for pk in evaluation.focus]
    assert names[0] == "Dr. A0"
    assert names[1] == "Dr. D2"  # a program director: the highest influence x depth
    assert len(names) == 3


def test_progress_says_how_many_advocates_and_what_would_change_it():
    progress = advocates_and_developing(2, 1).evaluate(D(2026, 7, 1)).progress
    assert progress.headline == "2 of 3\u20135 deep advocates"
    assert progress.next_step.startswith("Dr. D0 (attending) is closest")
    assert "asking for feedback" in progress.next_step


def test_archived_contacts_are_never_in_focus():
    b = RecordsBuilder()
    gone = b.contact("Dr. Gone", would_vouch=True, archived=True)
    b.rotation("R", D(2026, 5, 1), D(2026, 6, 25), [(gone, 8)])
    assert b.evaluate(D(2026, 7, 1)).focus == ()


ROLES = ["program_director", "faculty", "senior_resident", "peer", "staff", "fellow"]
contact_strategy = st.tuples(
    st.sampled_from(ROLES),
    st.booleans(),  # would vouch
    st.integers(min_value=0, max_value=10),  # weeks together
    st.lists(st.sampled_from(["meeting", "email", "feedback", "call"]), max_size=6),
    st.integers(min_value=0, max_value=500),  # days since the rotation ended
)


@settings(max_examples=40, deadline=None)
@given(st.lists(contact_strategy, max_size=14))
def test_the_focus_set_never_exceeds_five_and_reaches_three_when_it_can(contacts):
    b = RecordsBuilder()
    today = D(2026, 7, 1)
    for number, (role, vouch, weeks, kinds, days_ago) in enumerate(contacts):
        contact = b.contact(f"Dr. {number}", role=role, would_vouch=vouch)
        end = today - days_ago * DAY
        b.rotation(f"R{number}", end - 27 * DAY, end, [(contact, weeks)])
        for offset, kind in enumerate(kinds):
            b.interaction(contact, end - offset * DAY, kind)
    evaluation = b.evaluate(today)
    focus = evaluation.focus
    assert len(focus) <= 5
    assert len(set(focus)) == len(focus)
    # Peers and staff are never in the focus set (who calls matters).
    eligible = [
        s
        for s in evaluation.scores.values()
        if s.tier in ("advocate", "developing") and s.contact.role not in ("peer", "staff")
    ]
    assert len(focus) >= min(3, len(eligible))
    assert not {evaluation.scores[i].contact.role for i in focus} & {"peer", "staff"}
    assert focus == focus_set(evaluation.scores.values(), CONF)


def test_progress_above_the_goal_says_so_plainly():
    progress = advocates_and_developing(7, 0).evaluate(D(2026, 7, 1)).progress
    assert progress.headline == "7 deep advocates (the goal is 3\u20135)"
    assert "The 5 in your focus get the follow-up reminders" in progress.next_step
