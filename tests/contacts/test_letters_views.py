import datetime

import pytest
from django.urls import reverse

from contacts.models import Contact, LetterRequest
from contacts.vocabulary import LETTER_FLOW, LETTER_STATUS_DATE_FIELD
from tests.factories import ContactFactory, LetterRequestFactory

pytestmark = pytest.mark.django_db

# Noon UTC on Sep 1, 2027 is Sep 1 in Chicago (the factories' time zone).
SEP_1 = datetime.datetime(2027, 9, 1, 12, tzinfo=datetime.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sep_1(time_machine):
    """Freeze the clock; list it before `student_client` so the login happens in frozen time."""
    time_machine.move_to(SEP_1, tick=False)


def advance(client, letter, status, **extra):
    return client.post(
        reverse("contacts:letter_advance", args=[letter.pk]), {"status": status}, **extra
    )


def letter_data(writer, **overrides):
    data = {
        "writer": writer.pk,
        "purpose": "residency",
        "specialty": "Internal Medicine",
        "programs": "Lakeshore IM\n\n  Mercy IM  \n",
        "due": "2027-09-15",
        "status": "considering",
        "materials": ["cv", "waiver"],
        "notes": "Met on the sub-I",
    }
    return {**data, **overrides}


# --- The board ----------------------------------------------------------------------------


def test_letter_board_needs_a_login(client):
    response = client.get(reverse("contacts:letter_board"))
    assert response.status_code == 302


def test_letter_board_explains_when_to_ask_when_there_are_no_letters(student_client):
    response = student_client.get(reverse("contacts:letter_board"))
    assert response.status_code == 200
    assert (
        "Ask for letters at least 6 weeks before they are due. "
        "Add the first person you plan to ask." in response.text
    )
    assert reverse("contacts:letter_create") in response.text


def test_letter_board_puts_each_letter_in_the_column_of_its_status(student_client, student):
    for status in ["considering", "asked", "agreed", "materials_sent", "submitted", "thanked"]:
        LetterRequestFactory(owner=student, status=status, writer__name=f"Writer {status}")

    board = student_client.get(reverse("contacts:letter_board")).context["board"]

    assert [column.status for column in board.columns] == LETTER_FLOW
    for column in board.columns:
        assert [card.letter.writer.name for card in column.cards] == [f"Writer {column.status}"]


def test_letter_board_keeps_declined_letters_apart_and_collapsed(student_client, student):
    LetterRequestFactory(owner=student, status="declined", writer__name="Dr. No")

    response = student_client.get(reverse("contacts:letter_board"))

    board = response.context["board"]
    assert [card.letter.writer.name for card in board.declined] == ["Dr. No"]
    assert all(not column.cards for column in board.columns)
    assert "<summary>Declined (1)</summary>" in response.text


def test_letter_card_shows_writer_purpose_due_programs_and_materials(
    sep_1, student_client, student
):
    LetterRequestFactory(
        owner=student,
        writer__name="Dr. Rivera",
        purpose="away_rotation",
        due=datetime.date(2027, 9, 15),
        programs=["Lakeshore IM", "Mercy IM"],
        materials=["cv", "personal_statement"],
    )

    text = student_client.get(reverse("contacts:letter_board")).text

    assert "Dr. Rivera" in text
    assert "Away-rotation application" in text
    assert "Sep 15, 2027" in text
    assert "in 14 days" in text
    assert "2 programs" in text
    assert "CV, Personal-statement draft" in text
    assert "Move to Asked" in text


def test_letter_card_says_overdue_after_the_due_date(sep_1, student_client, student):
    LetterRequestFactory(owner=student, status="agreed", due=datetime.date(2027, 8, 29))
    text = student_client.get(reverse("contacts:letter_board")).text
    assert "overdue by 3 days" in text


def test_a_submitted_letter_is_never_overdue(sep_1, student_client, student):
    LetterRequestFactory(owner=student, status="submitted", due=datetime.date(2027, 8, 29))
    text = student_client.get(reverse("contacts:letter_board")).text
    assert "overdue" not in text


def test_letter_board_offers_declined_only_once_asked(student_client, student):
    LetterRequestFactory(owner=student, status="considering")
    assert "They declined" not in student_client.get(reverse("contacts:letter_board")).text
    LetterRequestFactory(owner=student, status="asked")
    assert "They declined" in student_client.get(reverse("contacts:letter_board")).text


def test_letter_board_shows_only_the_students_own_letters(student_client, other_student):
    LetterRequestFactory(owner=other_student, writer__name="Dr. Theirs")
    response = student_client.get(reverse("contacts:letter_board"))
    assert "Dr. Theirs" not in response.text
    assert response.context["board"].is_empty


@pytest.mark.parametrize("letter_count", [2, 20])
def test_letter_board_queries_stay_the_same_as_letters_grow(
    student_client, student, django_assert_num_queries, letter_count
):
    statuses = [*LETTER_FLOW, "declined"]
    for index in range(letter_count):
        LetterRequestFactory(owner=student, status=statuses[index % len(statuses)])
    # 1 session, 2 user, 3 the student's letters with their writers
    with django_assert_num_queries(3):
        response = student_client.get(reverse("contacts:letter_board"))
    assert response.status_code == 200


# --- Moving a letter along ----------------------------------------------------------------


def test_advancing_records_the_date_of_each_step_through_the_flow(sep_1, student_client, student):
    letter = LetterRequestFactory(owner=student, status="considering")

    for status in LETTER_FLOW[1:]:
        response = advance(student_client, letter, status)
        assert response.status_code == 302
        letter.refresh_from_db()
        assert letter.status == status
        assert getattr(letter, LETTER_STATUS_DATE_FIELD[status]) == datetime.date(2027, 9, 1)

    assert letter.status == "thanked"
    assert "Move to" not in student_client.get(reverse("contacts:letter_board")).text


def test_advancing_uses_the_students_own_date(time_machine, student_client, student):
    # 2am UTC on Sep 2 is still the evening of Sep 1 in Chicago.
    letter = LetterRequestFactory(owner=student, status="considering")
    time_machine.move_to(datetime.datetime(2027, 9, 2, 2, tzinfo=datetime.UTC), tick=False)
    student_client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")

    advance(student_client, letter, "asked")

    letter.refresh_from_db()
    assert letter.asked_on == datetime.date(2027, 9, 1)


def test_advancing_keeps_a_step_date_already_recorded(sep_1, student_client, student):
    letter = LetterRequestFactory(
        owner=student, status="considering", asked_on=datetime.date(2027, 8, 20)
    )
    advance(student_client, letter, "asked")
    letter.refresh_from_db()
    assert letter.asked_on == datetime.date(2027, 8, 20)


def test_an_asked_letter_can_be_declined(sep_1, student_client, student):
    letter = LetterRequestFactory(owner=student, status="asked")

    advance(student_client, letter, "declined")

    letter.refresh_from_db()
    assert letter.status == "declined"
    assert letter.declined_on == datetime.date(2027, 9, 1)
    # Declined is the end of the road on the board.
    text = student_client.get(reverse("contacts:letter_board")).text
    assert "Move to" not in text


def test_a_letter_not_yet_asked_cannot_be_declined(student_client, student):
    letter = LetterRequestFactory(owner=student, status="considering")
    advance(student_client, letter, "declined")
    letter.refresh_from_db()
    assert letter.status == "considering"
    assert letter.declined_on is None


def test_a_second_tap_does_not_skip_a_step(student_client, student):
    letter = LetterRequestFactory(owner=student, status="considering")

    advance(student_client, letter, "asked")
    response = advance(student_client, letter, "asked")

    letter.refresh_from_db()
    assert letter.status == "asked"
    assert response.status_code == 302


def test_advancing_without_a_status_takes_the_next_step(student_client, student):
    letter = LetterRequestFactory(owner=student, status="agreed")
    student_client.post(reverse("contacts:letter_advance", args=[letter.pk]))
    letter.refresh_from_db()
    assert letter.status == "materials_sent"


def test_advancing_with_htmx_returns_just_the_board(student_client, student):
    letter = LetterRequestFactory(owner=student, status="considering", writer__name="Dr. Rivera")

    response = advance(student_client, letter, "asked", **HTMX)

    assert response.status_code == 200
    assert 'id="letter-board"' in response.text
    assert "<html" not in response.text
    asked = next(c for c in response.context["board"].columns if c.status == "asked")
    assert [card.letter.pk for card in asked.cards] == [letter.pk]


def test_advancing_from_the_letter_page_goes_back_to_it(student_client, student):
    letter = LetterRequestFactory(owner=student, status="considering")
    response = student_client.post(
        reverse("contacts:letter_advance", args=[letter.pk]), {"status": "asked", "from": "detail"}
    )
    assert response.url == letter.get_absolute_url()


def test_advancing_only_accepts_posts(student_client, student):
    letter = LetterRequestFactory(owner=student, status="considering")
    response = student_client.get(reverse("contacts:letter_advance", args=[letter.pk]))
    assert response.status_code == 405
    letter.refresh_from_db()
    assert letter.status == "considering"


# --- Create, edit, the letter page, delete ------------------------------------------------


def ask_data(**fields):
    return {"purpose": "residency", "due": "2027-09-15", **fields}


def test_asking_for_a_letter_takes_three_fields_and_opens_its_page(student_client, student):
    writer = ContactFactory(owner=student, name="Dr. Rao")

    response = student_client.post(reverse("contacts:letter_create"), ask_data(contact=writer.pk))

    letter = LetterRequest.objects.get(owner=student)
    assert response.status_code == 302
    assert response.url == letter.get_absolute_url()
    assert (letter.writer, letter.purpose, letter.due) == (
        writer,
        "residency",
        datetime.date(2027, 9, 15),
    )
    assert letter.status == "considering"


def test_the_ask_form_is_the_picker_purpose_and_due_only(student_client, student):
    text = student_client.get(reverse("contacts:letter_create")).text
    form = text[text.index('class="letter-ask"') : text.index("</form>")]
    assert 'name="contact_search"' in form
    assert 'value="away_rotation"' in form  # the purposes, as chips
    assert 'name="due"' in form
    for gone in ['name="declined_on"', 'name="materials"', 'name="notes"', "<select"]:
        assert gone not in form


def test_asking_can_add_a_new_writer_by_name_with_a_role(student_client, student):
    response = student_client.post(
        reverse("contacts:letter_create"),
        ask_data(new_contact_name="Dr. Okafor", new_contact_role="program_director"),
    )

    assert response.status_code == 302
    writer = Contact.objects.get(owner=student, name="Dr. Okafor")
    assert writer.role == "program_director"
    assert LetterRequest.objects.get(owner=student).writer == writer


def test_asking_without_js_resolves_a_typed_name(student_client, student):
    writer = ContactFactory(owner=student, name="Dr. Maya Patel")
    response = student_client.post(
        reverse("contacts:letter_create"), ask_data(contact_search="dr. maya patel")
    )
    assert response.status_code == 302
    assert LetterRequest.objects.get(owner=student).writer == writer


def test_asking_needs_a_writer(student_client, student):
    response = student_client.post(reverse("contacts:letter_create"), ask_data())
    assert "Who will write it? Start typing a name." in response.text
    assert not LetterRequest.objects.exists()


def test_asking_refuses_another_students_contact(student_client, student, other_student):
    theirs = ContactFactory(owner=other_student)

    response = student_client.post(reverse("contacts:letter_create"), ask_data(contact=theirs.pk))

    assert "contact" in response.context["form"].errors
    assert not LetterRequest.objects.exists()


def test_letter_edit_shows_programs_one_per_line(student_client, student):
    letter = LetterRequestFactory(owner=student, programs=["Lakeshore IM", "Mercy IM"])
    text = student_client.get(reverse("contacts:letter_edit", args=[letter.pk])).text
    assert "Lakeshore IM\nMercy IM</textarea>" in text


def test_letter_edit_saves_the_changes_and_step_dates(student_client, student):
    letter = LetterRequestFactory(owner=student)

    response = student_client.post(
        reverse("contacts:letter_edit", args=[letter.pk]),
        letter_data(letter.writer, status="agreed", asked_on="2027-08-01", agreed_on="2027-08-03"),
    )

    assert response.status_code == 302
    assert response.url == letter.get_absolute_url()
    letter.refresh_from_db()
    assert letter.status == "agreed"
    assert letter.asked_on == datetime.date(2027, 8, 1)
    assert letter.agreed_on == datetime.date(2027, 8, 3)


def test_letter_page_shows_the_steps_with_their_dates(student_client, student):
    letter = LetterRequestFactory(
        owner=student,
        writer__name="Dr. Rivera",
        status="agreed",
        asked_on=datetime.date(2027, 8, 1),
        agreed_on=datetime.date(2027, 8, 3),
        programs=["Lakeshore IM"],
    )

    response = student_client.get(letter.get_absolute_url())

    assert response.status_code == 200
    steps = [(step.label, step.on, step.reached) for step in response.context["timeline"]][1:]
    assert steps == [
        ("Asked", datetime.date(2027, 8, 1), True),
        ("Agreed", datetime.date(2027, 8, 3), True),
        ("Materials sent", None, False),
        ("Submitted", None, False),
        ("Thanked", None, False),
    ]
    assert "Aug 1, 2027" in response.text and "Aug 3, 2027" in response.text
    assert "Lakeshore IM" in response.text
    assert "Move to Materials sent" in response.text


def test_letter_delete_asks_first_then_deletes_it(student_client, student):
    letter = LetterRequestFactory(owner=student)
    url = reverse("contacts:letter_delete", args=[letter.pk])

    assert student_client.get(url).status_code == 200
    assert LetterRequest.objects.exists()

    response = student_client.post(url)
    assert response.url == reverse("contacts:letter_board")
    assert not LetterRequest.objects.exists()
    assert Contact.objects.filter(pk=letter.writer.pk).exists()


# --- Another student's letters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", "contacts:letter_detail"),
        ("get", "contacts:letter_edit"),
        ("post", "contacts:letter_edit"),
        ("get", "contacts:letter_delete"),
        ("post", "contacts:letter_delete"),
        ("post", "contacts:letter_advance"),
    ],
)
def test_another_students_letter_is_not_found(student_client, other_student, method, url_name):
    letter = LetterRequestFactory(owner=other_student, status="considering")

    response = getattr(student_client, method)(
        reverse(url_name, args=[letter.pk]), {**letter_data(letter.writer), "status": "asked"}
    )

    assert response.status_code == 404
    letter.refresh_from_db()
    assert letter.status == "considering"


def test_a_new_letter_can_start_from_the_writers_page(student_client, student, other_student):
    mine = ContactFactory(owner=student, name="Dr. Mine")
    theirs = ContactFactory(owner=other_student, name="Dr. Theirs")
    form = student_client.get(reverse("contacts:letter_create"), {"writer": mine.pk}).context[
        "form"
    ]
    assert form.chosen_contact == mine
    response = student_client.get(reverse("contacts:letter_create"), {"writer": theirs.pk})
    assert b"Dr. Theirs" not in response.content


def test_moving_a_card_with_htmx_keeps_it_in_view_and_says_where_it_went(student_client, student):
    letter = LetterRequestFactory(owner=student, status="considering")
    board = student_client.get(reverse("contacts:letter_board")).text
    assert f'hx-swap="outerHTML show:#letter-{letter.pk}:center"' in board
    # On a phone the empty steps are hidden (CSS), so they are marked.
    assert "board-column board-column-empty" in board

    response = student_client.post(
        reverse("contacts:letter_advance", args=[letter.pk]),
        {"status": "asked"},
        HTTP_HX_REQUEST="true",
    )

    assert '<p class="moved-note" role="status">Moved to Asked.</p>' in response.text


def test_the_board_shows_no_template_comment(student_client, student):
    LetterRequestFactory(owner=student)
    assert "{#" not in student_client.get(reverse("contacts:letter_board")).text
