"""Who could vouch for me at a program: the ranking on a hand-built network, with the reasons.

Pure (reminders.engine.vouch): records built by hand, no database. The order is written out below
with why; every figure comes from the engine's own scores (influence x depth) times the tie
strength of EngineConf.tie_strength."""

import datetime

from reminders.engine.conf import build_conf
from reminders.engine.records import (
    ContactRecord,
    InteractionRecord,
    LetterRecord,
    RotationRecord,
    StudentRecords,
)
from reminders.engine.scoring import index_records, score_contacts
from reminders.engine.vouch import ProgramRecord, TieRecord, nobody_can_vouch, program_vouching

TODAY = datetime.date(2026, 11, 2)
CONF = build_conf()
HOME = "Lakeshore University Hospital"
CASCADE = "Cascade University Medical Center"

CASCADE_IM = ProgramRecord(1, "Cascade Internal Medicine", "Internal Medicine", CASCADE,
                           "Seattle, WA", target=True)  # fmt: skip
PRAIRIE = "Prairie State University Hospital"
PRAIRIE_IM = ProgramRecord(2, "Prairie Internal Medicine", "Internal Medicine", PRAIRIE,
                           "Chicago, IL", target=True)  # fmt: skip
COASTAL_IM = ProgramRecord(3, "Coastal Internal Medicine", "Internal Medicine",
                           "Coastal General", "Portland, OR", target=False)  # fmt: skip


def contact(pk, name, role, institution, specialty="Internal Medicine", would_vouch=False):
    return ContactRecord(pk, name, role, specialty, institution, would_vouch=would_vouch,
                         created_on=datetime.date(2025, 1, 1))  # fmt: skip


PATEL = contact(1, "Dr. Maya Patel", "program_director", HOME, would_vouch=True)
CHO = contact(2, "Dr. Daniel Cho", "faculty", CASCADE, would_vouch=True)
STONE = contact(3, "Dr. Rebecca Stone", "chief_resident", CASCADE)
RUIZ = contact(4, "Dr. Marcus Ruiz", "chair", HOME)
NGUYEN = contact(5, "Kim Nguyen, RN", "staff", CASCADE, specialty="")
OLD = contact(6, "Dr. Walter Old", "faculty", HOME)
LONER = contact(7, "Dr. No Tie", "program_director", HOME, would_vouch=True)
AMES = contact(8, "Dr. Caroline Ames", "faculty", "Prairie State University Hospital",
               specialty="Cardiology")  # fmt: skip

SUB_I = RotationRecord(1, "Medicine sub-I", "sub_internship", datetime.date(2026, 7, 1),
                       datetime.date(2026, 7, 28), team=((1, 4), (4, 1), (7, 4)))  # fmt: skip
AWAY = RotationRecord(2, "IM away rotation (Seattle)", "away", datetime.date(2026, 8, 3),
                      datetime.date(2026, 8, 30), team=((2, 4), (3, 2), (5, 3)))  # fmt: skip


def meeting(pk, contact_id, day, kind="meeting", context="clinical"):
    return InteractionRecord(pk, contact_id, day, kind, "outbound", context)


INTERACTIONS = (
    meeting(1, 1, datetime.date(2026, 7, 14)),
    meeting(2, 1, datetime.date(2026, 7, 27), kind="feedback"),
    meeting(3, 1, datetime.date(2026, 9, 10), context="research"),
    meeting(4, 2, datetime.date(2026, 8, 20), kind="feedback"),
    meeting(5, 2, datetime.date(2026, 10, 1), kind="email"),
    meeting(6, 4, datetime.date(2026, 9, 1)),
    meeting(7, 6, datetime.date(2025, 6, 1)),  # 17 months ago: dormant
    meeting(8, 8, datetime.date(2026, 10, 20), kind="conference"),
)
LETTERS = (LetterRecord(1, 1, "submitted"),)

TIES = (
    TieRecord(1, PATEL.id, "trained_at", program_id=CASCADE_IM.id, note="residency, 2009"),
    TieRecord(2, RUIZ.id, "knows_someone", program_id=CASCADE_IM.id, note="the APD, Dr. Lee"),
    TieRecord(3, OLD.id, "trained_at", program_id=CASCADE_IM.id),
    TieRecord(4, PATEL.id, "knows_someone", institution="prairie state university hospital"),
)


def scores():
    records = StudentRecords(
        id=1,
        contacts=(PATEL, CHO, STONE, RUIZ, NGUYEN, OLD, LONER, AMES),
        interactions=INTERACTIONS,
        rotations=(SUB_I, AWAY),
        letters=LETTERS,
    )
    return score_contacts(index_records(records, TODAY), CONF)


def ranking(program):
    answers = program_vouching([CASCADE_IM, PRAIRIE_IM, COASTAL_IM], scores(), TIES, CONF)
    return next(answer for answer in answers if answer.program == program)


def test_the_strongest_voice_at_a_program_comes_first_and_weak_ties_last():
    vouchers = ranking(CASCADE_IM).vouchers
    assert [v.contact.name for v in vouchers] == [
        # A program director who has written for the student (influence 90, in full), deep from
        # a 4-week sub-I, meetings and a feedback loop: trained in this program (x 0.8).
        "Dr. Maya Patel",
        # Faculty in Internal Medicine at Cascade itself (x 0.9, inside the department), who
        # offered to vouch (70 in full) and supervised the 4-week away rotation.
        "Dr. Daniel Cho",
        # The chief resident there (x 0.9), but without trust history 60 counts at 60% and two
        # weeks together is less depth.
        "Dr. Rebecca Stone",
        # A chair at home who knows the APD there: a weak tie (x 0.5), little shared work.
        "Dr. Marcus Ruiz",
        # Staff at Cascade, another department (x 0.3): thanked and kept warm, not a voice.
        "Kim Nguyen, RN",
        # Trained there, but quiet for 17 months: a quarter of their depth, dormant.
        "Dr. Walter Old",
    ]
    values = [v.value for v in vouchers]
    assert values == sorted(values, reverse=True)
    # Dr. No Tie is the student's strongest voice overall, but has no tie to this program.
    assert "Dr. No Tie" not in [v.contact.name for v in vouchers]


def test_only_people_who_know_the_work_and_carry_weight_can_vouch():
    vouchers = {v.contact.name: v for v in ranking(CASCADE_IM).vouchers}
    assert vouchers["Dr. Maya Patel"].can_vouch
    assert vouchers["Dr. Daniel Cho"].can_vouch
    assert not vouchers["Kim Nguyen, RN"].can_vouch  # staff
    assert not vouchers["Dr. Walter Old"].can_vouch  # dormant
    # Two weeks on the away rotation, no trust history yet: an acquaintance, said honestly.
    assert not vouchers["Dr. Rebecca Stone"].can_vouch
    assert (
        "has seen a little of your work: 2 weeks together" in vouchers["Dr. Rebecca Stone"].reason
    )
    assert vouchers["Dr. Walter Old"].reason.endswith(
        "has not seen your work yet, quiet for over a year"
    )


def test_the_score_is_influence_times_depth_times_tie_strength():
    patel = ranking(CASCADE_IM).vouchers[0]
    influence, depth = patel.score.influence.value, patel.score.depth.value
    assert influence == 90
    assert patel.value == round(influence * depth / 100 * 0.8, 1)
    # Her strongest tie decides: trained here (0.8); the institution tie to Prairie is elsewhere.
    assert [link.slug for link in patel.links] == ["trained_at"]


def test_the_reason_says_who_they_are_how_they_are_tied_and_what_they_know():
    patel, cho = ranking(CASCADE_IM).vouchers[:2]
    assert patel.reason == (
        "program director at Lakeshore University Hospital, trained in this program "
        "(residency, 2009), has written for you, knows your work: 4 weeks together on "
        "Medicine sub-I"
    )
    assert cho.reason.startswith(
        "attending in Internal Medicine at Cascade University Medical Center, offered to vouch"
    )


def test_a_tie_to_an_institution_ties_the_contact_to_each_of_its_programs():
    vouchers = ranking(PRAIRIE_IM).vouchers
    assert [v.contact.name for v in vouchers] == ["Dr. Maya Patel", "Dr. Caroline Ames"]
    patel, ames = vouchers
    assert patel.links[0].words == (
        "knows someone at Prairie State University Hospital"
    )  # matched by name in any case
    # Another department of the program's hospital: the weakest tie of all.
    assert [link.slug for link in ames.links] == ["own_institution"]


def test_target_programs_where_nobody_can_vouch_are_the_gap():
    answers = program_vouching([CASCADE_IM, PRAIRIE_IM, COASTAL_IM], scores(), TIES, CONF)
    gaps = nobody_can_vouch(answers)
    # Prairie: Patel can. Coastal: nobody has a tie, but it is not a target, so not a gap.
    assert [gap.program.name for gap in gaps] == []
    without_patel = [tie for tie in TIES if tie.id != 4]
    gaps = nobody_can_vouch(program_vouching([PRAIRIE_IM], scores(), without_patel, CONF))
    assert [gap.program.name for gap in gaps] == ["Prairie Internal Medicine"]
    # Dr. Ames has a tie (she works there) but has met the student once: not yet a voice.
    assert "Dr. Caroline Ames has a tie" in gaps[0].gap_text


def test_a_program_nobody_has_a_tie_to_has_no_one_at_all():
    (coastal,) = program_vouching([COASTAL_IM], scores(), TIES, CONF)
    assert coastal.vouchers == ()
    assert (
        coastal.gap_text
        == "Nobody you know has a tie to Coastal Internal Medicine (Portland, OR) yet."
    )


def test_archived_contacts_are_left_out():
    archived = {pk: s._replace(contact=s.contact._replace(archived=True)) if pk == PATEL.id else s
                for pk, s in scores().items()}  # fmt: skip
    (cascade,) = program_vouching([CASCADE_IM], archived, TIES, CONF)
    assert "Dr. Maya Patel" not in [v.contact.name for v in cascade.vouchers]
