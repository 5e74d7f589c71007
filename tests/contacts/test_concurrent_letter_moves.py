"""A letter moved two ways at once (agreed in one tab, declined in another): one move wins,
the other changes nothing and says so. It was a lost update: both answered 200 and the final
state was declined with the agreed step gone."""

import pytest
from django.test import Client
from django.urls import reverse

from contacts import services
from contacts.models import LetterRequest
from tests.concurrency import on_postgresql, released_together
from tests.factories import LetterRequestFactory

pytestmark = [on_postgresql, pytest.mark.django_db(transaction=True)]

MOVES = ["agreed", "declined", "agreed", "declined"]
ROUNDS = 5
REFUSALS = ("was just marked", "had already moved on")


def _race(student, letter) -> list[tuple[int, str]]:
    def move(index):
        client = Client(headers={"HX-Request": "true"})
        client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
        yield
        response = client.post(
            reverse("contacts:letter_advance", args=[letter.pk]), {"status": MOVES[index]}
        )
        return response.status_code, response.content.decode()

    return released_together(len(MOVES), move)


def test_of_simultaneous_moves_exactly_one_wins_and_the_others_are_told(student):
    for _ in range(ROUNDS):
        letter = LetterRequestFactory(owner=student, status="asked")

        answers = _race(student, letter)

        letter.refresh_from_db()
        assert [status for status, _ in answers] == [200] * len(MOVES)
        told = [page for _, page in answers if any(words in page for words in REFUSALS)]
        assert len(told) == len(MOVES) - 1
        assert letter.status in ("agreed", "declined")
        # The winner's step alone is recorded: no step erased, none half-made.
        assert (letter.agreed_on is not None) == (letter.status == "agreed")
        assert (letter.declined_on is not None) == (letter.status == "declined")


def test_a_move_from_a_stale_read_is_refused_with_what_happened(student):
    letter = LetterRequestFactory(owner=student, status="asked")
    stale = LetterRequest.objects.get(pk=letter.pk)
    services.letter_set_status(letter=letter, status="agreed", on=letter.due)

    with pytest.raises(services.LetterMoveConflict) as refused:
        services.letter_set_status(letter=stale, status="declined", on=letter.due)

    assert refused.value.messages == [
        "This letter was just marked agreed elsewhere, so it was not marked declined. "
        "Nothing else changed."
    ]
    assert stale.status == "agreed"
    letter.refresh_from_db()
    assert (letter.status, letter.declined_on) == ("agreed", None)
