"""The letter services and selectors behind the board: the flow, step dates, due dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from contacts import selectors, services
from contacts.vocabulary import LETTER_FLOW, LetterStatus
from tests.factories import ContactFactory, LetterRequestFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 9, 1)


def test_next_status_follows_the_letter_flow():
    letter = LetterRequestFactory.build(status="considering")
    seen = [letter.status]
    while (status := services.letter_next_status(letter)) is not None:
        letter.status = status
        seen.append(status)
    assert seen == LETTER_FLOW


def test_a_declined_letter_has_no_next_status():
    assert services.letter_next_status(LetterRequestFactory.build(status="declined")) is None


def test_allowed_moves_are_the_next_step_and_declined_once_asked():
    def moves(status):
        return services.letter_allowed_moves(LetterRequestFactory.build(status=status))

    assert moves("considering") == ["asked"]
    assert moves("asked") == ["agreed", "declined"]
    assert moves("agreed") == ["materials_sent"]
    assert moves("thanked") == []
    assert moves("declined") == []


def test_set_status_records_the_date_of_the_step():
    letter = LetterRequestFactory(status="asked")

    services.letter_set_status(letter=letter, status="agreed", on=TODAY)

    letter.refresh_from_db()
    assert (letter.status, letter.agreed_on) == ("agreed", TODAY)


def test_set_status_keeps_a_date_already_recorded():
    earlier = datetime.date(2027, 8, 20)
    letter = LetterRequestFactory(status="agreed", materials_sent_on=earlier)

    services.letter_set_status(letter=letter, status="materials_sent", on=TODAY)

    assert letter.materials_sent_on == earlier


def test_set_status_refuses_a_move_the_status_machine_does_not_allow():
    # The board offers only LETTER_MOVES; the service holds scripts and stale forms to it too.
    letter = LetterRequestFactory(status="asked", asked_on=TODAY)
    with pytest.raises(ValidationError, match="cannot move to considering"):
        services.letter_set_status(letter=letter, status="considering", on=TODAY)
    letter.refresh_from_db()
    assert letter.status == "asked"


def test_a_thanked_letter_cannot_go_back_to_submitted():
    letter = LetterRequestFactory(status="thanked")
    with pytest.raises(ValidationError):
        services.letter_set_status(letter=letter, status="submitted", on=TODAY)


def test_set_status_refuses_an_unknown_status():
    letter = LetterRequestFactory(status="asked")
    with pytest.raises(ValidationError):
        services.letter_set_status(letter=letter, status="lost", on=TODAY)
    letter.refresh_from_db()
    assert letter.status == "asked"


def test_letter_create_refuses_another_students_writer(student, other_student):
    with pytest.raises(ValidationError):
        services.letter_create(owner=student, writer=ContactFactory(owner=other_student))


@pytest.mark.parametrize(
    ("status", "due", "due_in_days", "is_overdue"),
    [
        ("considering", datetime.date(2027, 9, 15), 14, False),
        ("asked", TODAY, 0, False),
        ("agreed", datetime.date(2027, 8, 29), -3, True),
        ("submitted", datetime.date(2027, 8, 29), None, False),
        ("thanked", datetime.date(2027, 8, 29), None, False),
        ("declined", datetime.date(2027, 8, 29), None, False),
        ("considering", None, None, False),
    ],
)
def test_letter_card_says_what_the_due_date_means_today(status, due, due_in_days, is_overdue):
    card = selectors.letter_card(
        LetterRequestFactory.build(status=status, due=due), TODAY, soon_days=14
    )
    assert (card.due_in_days, card.is_overdue) == (due_in_days, is_overdue)


def test_letter_card_names_the_next_step_and_materials():
    letter = LetterRequestFactory.build(status="asked", materials=["cv", "waiver", "unknown"])
    card = selectors.letter_card(letter, TODAY, soon_days=14)
    assert (card.next_status, card.next_status_label) == ("agreed", "Agreed")
    assert card.can_decline
    assert card.material_labels == ["CV", "Waiver signed"]


def test_letter_board_orders_each_column_by_due_date(student):
    later = LetterRequestFactory(owner=student, due=datetime.date(2027, 10, 1))
    undated = LetterRequestFactory(owner=student, due=None)
    sooner = LetterRequestFactory(owner=student, due=datetime.date(2027, 9, 10))

    board = selectors.letter_board(student, TODAY, soon_days=14)

    considering = board.columns[0]
    assert considering.status == LetterStatus.CONSIDERING
    assert [card.letter for card in considering.cards] == [sooner, later, undated]


def test_letter_timeline_of_a_declined_letter_ends_at_declined():
    letter = LetterRequestFactory(
        status="declined", asked_on=datetime.date(2027, 8, 1), declined_on=datetime.date(2027, 8, 5)
    )

    steps = selectors.letter_timeline(letter)

    assert [step.status for step in steps] == ["considering", "asked", "declined"]
    assert [step.on for step in steps[1:]] == [datetime.date(2027, 8, 1), datetime.date(2027, 8, 5)]
    assert all(step.reached for step in steps)
    assert steps[-1].current
