"""The words: plurals and articles from crm.phrases, claims that agree with the progress line,
letters and the Match said as they are. (Issue 9, "Words".)"""

import datetime

import pytest

from crm.phrases import plural, weeks_count, with_article
from reminders.engine.conf import build_conf
from reminders.engine.rules.grouping import group_line
from reminders.engine.scoring import depth_for, index_records
from tests.reminders.engine_world import RecordsBuilder

D = datetime.date
DAY = datetime.timedelta(days=1)


def test_an_attending_never_a_attending():
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao", role="faculty")
    nurse = b.contact("Sam", role="staff")
    scores = b.evaluate(D(2026, 7, 1)).scores
    assert scores[rao.id].influence.detail.startswith("An attending;")
    assert scores[nurse.id].influence.detail.startswith("A staff member;")
    assert with_article("attending") == "an attending"


def test_project_work_and_short_spans_read_as_people_say_them():
    assert plural(2, "day of project work") == "2 days of project work"
    assert weeks_count(0.8) == "under a week"
    assert weeks_count(2.4) == "2 weeks"
    b = RecordsBuilder()
    rao = b.contact("Dr. Rao")
    b.rotation("Medicine sub-I", D(2026, 7, 1), D(2026, 7, 28), [(rao, 4)])
    for day in (2, 3):
        b.interaction(rao, D(2026, 7, day), "worked_together")
    index = index_records(b.records(), D(2026, 7, 5))
    depth = depth_for(rao, index, build_conf())
    assert "2 days of project work" in depth.part("interactions").detail
    assert depth.part("weeks_together").detail.startswith("under a week of 8")


@pytest.mark.parametrize("advocates", [0, 1, 2])
def test_the_invest_nudge_agrees_with_the_progress_line(advocates):
    b = RecordsBuilder(match_year=2030)
    for number in range(advocates):
        person = b.contact(f"Dr. {number}", would_vouch=True)
        b.rotation(f"R{number}", D(2026, 4, 6), D(2026, 5, 31), [(person, 8)])
    evaluation = b.evaluate(D(2026, 6, 1))
    (invest,) = [spec for spec in evaluation.nudges if spec.kind == "invest"]
    assert evaluation.progress.headline.startswith(f"{advocates} of")
    if advocates:
        assert f"You have {plural(advocates, 'deep advocate')}" in invest.reason
        assert "don't have a deep advocate" not in invest.reason
    else:
        assert "You don't have a deep advocate yet" in invest.reason


def match_student(outcome):
    b = RecordsBuilder(match_year=2027, match_outcome=outcome)
    agreed = b.contact("Dr. Agreed", role="faculty")
    b.letter(agreed, "agreed", due=D(2026, 9, 15), agreed_on=D(2026, 7, 1))
    wrote = b.contact("Dr. Wrote", role="faculty")
    b.letter(wrote, "thanked", due=D(2026, 9, 15), submitted_on=D(2026, 9, 1))
    return b, agreed, wrote


def test_wrote_for_you_only_for_a_letter_submitted():
    b, agreed, wrote = match_student("matched")
    reasons = {s.contact_id: s.reason for s in b.nudges(D(2027, 3, 19), "match_thanks")}
    assert "agreed to write for you" in reasons[agreed.id]
    assert "wrote for you" not in reasons[agreed.id]
    assert "Dr. Wrote wrote for you" in reasons[wrote.id]


@pytest.mark.parametrize("outcome", ["unmatched", "partial", None])
def test_the_thanks_of_a_student_who_did_not_match_fit_the_outcome(outcome):
    # None: the student has not recorded the outcome; the thanks must not assume a match.
    b, _agreed, _wrote = match_student(outcome)
    found = b.nudges(D(2027, 3, 19), "match_thanks")
    assert found
    for spec in found:
        assert not spec.reason.startswith("Match Day")
        assert "You matched" not in spec.reason and "where you matched" not in spec.reason
    line = group_line(
        found[0].group, "match_thanks", [s.contact_name for s in found], [s.reason for s in found]
    )
    assert "You matched" not in line and "Dr. Agreed and Dr. Wrote" in line


def test_a_group_reads_as_one_sentence_naming_everyone():
    b = RecordsBuilder(match_year=2027)
    names = ["Dr. A", "Dr. B", "Dr. C", "Dr. D", "Dr. E"]
    for name in names:
        person = b.contact(name, would_vouch=True)
        b.rotation(f"R {name}", D(2026, 7, 4), D(2026, 8, 28), [(person, 8)])
    found = b.nudges(D(2026, 9, 14), "cycle_update")
    assert len({spec.group for spec in found}) == 1 and found[0].group
    line = group_line(
        found[0].group, "cycle_update", [s.contact_name for s in found], [s.reason for s in found]
    )
    assert line == (
        "Interview season starts Oct 1. Tell the five people who know your work best where "
        "you applied, so they're ready when a program asks: Dr. A, Dr. B, Dr. C, Dr. D and "
        "Dr. E."
    )
    assert group_line("g", "cycle_update", ["Dr. A"], ["Its own reason."]) == "Its own reason."


def test_the_rotation_end_and_rank_list_groups_name_the_occasion():
    b = RecordsBuilder(match_year=2027)
    team = [b.contact(name) for name in ("Dr. A", "Dr. B")]
    b.rotation("Medicine sub-I", D(2026, 6, 1), D(2026, 6, 28), [(c, 4) for c in team])
    found = b.nudges(D(2026, 6, 29), "thank_you")
    line = group_line(
        found[0].group, "thank_you", [s.contact_name for s in found], [s.reason for s in found]
    )
    assert line.startswith(
        "Medicine sub-I ended Jun 28. A specific thank-you to each of the "
        "two people you worked beside"
    )
    assert line.endswith(": Dr. A and Dr. B.")


def test_the_midpoint_feedback_asks_read_as_one_line():
    b = RecordsBuilder()
    team = [b.contact("Dr. A"), b.contact("Dr. B", role="senior_resident")]
    b.rotation("Medicine sub-I", D(2026, 6, 1), D(2026, 6, 28), [(c, 4) for c in team])
    found = b.nudges(D(2026, 6, 8), "feedback")
    line = group_line(
        found[0].group, "feedback", [s.contact_name for s in found], [s.reason for s in found]
    )
    assert line == (
        "You're halfway through Medicine sub-I. Ask each of the two people supervising you: "
        "\u201cWhat is one thing I could do better this week?\u201d Then apply it and circle "
        "back: Dr. A and Dr. B."
    )


def test_one_advocate_and_no_one_developing_is_not_no_one_knows_your_work():
    b = RecordsBuilder(match_year=2030)
    rao = b.contact("Dr. Rao", would_vouch=True)
    b.rotation("Medicine sub-I", D(2026, 4, 6), D(2026, 5, 31), [(rao, 8)])
    (invest,) = b.nudges(D(2026, 6, 1), "invest")
    assert invest.reason.startswith("You have 1 deep advocate;")
    assert (
        "No one knows your work" not in invest.reason
        and "No one else is close yet" in invest.reason
    )
